"""For managers: the people they manage and their open human tasks, with a
bulk reassignment; and the cover form a supervisor or their manager fills in
when the supervisor will be away."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import StaffMember
from models.actions.cover import arrange_cover
from models.actions.inbox import reassign_tasks
from webapp import scope
from webapp.access import manager, rule
from webapp.database import db_session
from webapp.dates import long_date, today
from webapp.fields import chosen_name, person_choices
from webapp.human_tasks import kind_of
from webapp.perform import perform
from webapp.team import queries
from webapp.team.access import staff_manager
from webapp.team.forms import BulkReassignForm, CoverForm

bp = Blueprint("team", __name__, template_folder="templates")


@bp.route("/team", methods=["GET"])
@rule(manager)
def index():
    form = BulkReassignForm(formdata=None)
    return _team_page(form, selected=set())


@bp.route("/team/reassign", methods=["POST"])
@rule(manager)
def reassign():
    form = BulkReassignForm()
    form.to_staff.choices = person_choices(scope.people_who_can_take_tasks(current_user))
    selected = {int(v) for v in request.form.getlist("task_id") if v.isdigit()}
    task_error = None if selected else "Select at least one task to reassign"
    if form.validate_on_submit() and task_error is None:
        managed = set(db_session().scalars(scope.managed_staff_ids(current_user)))
        done = perform(
            reassign_tasks,
            task_ids=sorted(selected),
            by_staff_id=current_user.staff_id,
            to_staff_id=form.target_id(),
            reason=form.reason.data,
            allowed_assignee_ids=managed,
            actor_user_id=current_user.user_id,
        )
        task_error = done.error
        if not done.failed:
            count, name = len(done.result), chosen_name(form.to_staff)
            flash(f"You gave {count} {'task' if count == 1 else 'tasks'} to {name}.", "success")
            return redirect(url_for("team.index"))
    return _team_page(form, selected=selected, task_error=task_error)


def _team_page(form, *, selected: set[int], task_error: str | None = None):
    on = today()
    people = queries.managed_people(current_user)
    colleagues = scope.people_who_can_take_tasks(current_user)
    if not form.to_staff.choices:
        form.to_staff.choices = person_choices(colleagues)
    names = {p.id: p.name for p in colleagues}
    names.update({p.id: p.name for p in people})
    return render_template(
        "team/index.html",
        people=people,
        counts=queries.open_counts(people, on),
        tasks=queries.open_tasks_of(current_user, people),
        selected=selected,
        task_error=task_error,
        form=form,
        covers=queries.covers_for(people, on),
        names=names,
        kind_of=kind_of,
        on=on,
    )


@bp.route("/people/<int:staff_id>/cover", methods=["GET", "POST"])
@rule(staff_manager)
def cover(staff_id: int):
    person = staff_manager.loaded()
    form = CoverForm()
    form.cover_staff.choices = person_choices(
        scope.people_who_may_cover(person, form.starts_on.data, form.ends_on.data)
    )
    if form.validate_on_submit():
        done = perform(
            arrange_cover,
            absent_staff_id=staff_id,
            cover_staff_id=int(form.cover_staff.data),
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            reason=form.reason.data or "",
            by_staff_id=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        if not done.shown_on(form.cover_staff):
            flash(_cover_arranged(form, person, len(done.result.moved_task_ids)), "success")
            return redirect(url_for("people.person", staff_id=staff_id))
    return render_template("team/cover.html", form=form, person=person)


def _cover_arranged(form: CoverForm, person: StaffMember, moved: int) -> str:
    cover_name = chosen_name(form.cover_staff)
    if form.starts_on.data <= today():
        detail = (
            f"{moved} open {'task has' if moved == 1 else 'tasks have'} moved to {cover_name} now."
        )
    else:
        detail = f"Open tasks move to {cover_name} on {long_date(form.starts_on.data)}."
    return (
        f"Cover arranged: {cover_name} covers for {person.name} from "
        f"{long_date(form.starts_on.data)} to {long_date(form.ends_on.data)}. "
        f"{detail} They go back the day after the absence ends."
    )
