"""For managers: the people they manage and their open human tasks, with a
bulk reassignment; and the cover form a supervisor or their manager fills in
when the supervisor will be away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import HumanTask, StaffMember
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
    return _team_page(form, _TeamTasks.now(), selected=set())


@bp.route("/team/reassign", methods=["POST"])
@rule(manager)
def reassign():
    form = BulkReassignForm()
    team = _TeamTasks.now()
    # The choices the page offered (anyone who may take one of its tasks); the
    # action names any ticked task the one chosen may not do.
    form.to_staff.choices = team.choices(set())
    selected = {int(v) for v in request.form.getlist("task_id") if v.isdigit()}
    task_error = team.stuck(selected) if selected else "Select at least one task to reassign"
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
    return _team_page(form, team, selected=selected, task_error=task_error)


@dataclass(frozen=True)
class _TeamTasks:
    """The people this manager manages, their open tasks, and who may take
    each task (models.actions.eligibility, the rule reassign_tasks checks)."""

    on: date
    people: list[StaffMember]
    tasks: list[HumanTask]
    takers: dict[int, set[int]]
    colleagues: dict[int, StaffMember]

    @classmethod
    def now(cls) -> _TeamTasks:
        on = today()
        people = queries.managed_people(current_user)
        tasks = queries.open_tasks_of(current_user, people)
        takers, colleagues = queries.takers_of(current_user, [t.id for t in tasks], on)
        return cls(on, people, tasks, takers, colleagues)

    def stuck(self, selected: set[int]) -> str | None:
        """Why a ticked task can go to nobody, if one cannot."""
        for task in self.tasks:
            if task.id in selected and not self.takers.get(task.id):
                named_only = not kind_of(task).delegable or kind_of(task).named_supervisor_only
                return (
                    f"“{task.title}” can only be done by the person named on it, so it cannot "
                    "be given to anyone else."
                    if named_only
                    else f"Nobody else may do “{task.title}” now: untick it to reassign the rest."
                )
        return None

    def choices(self, selected: set[int]) -> list[tuple[str, str]]:
        """Those who may take every ticked task, or, with none ticked, any task shown."""
        shown = {t.id for t in self.tasks}
        ticked = selected & shown
        every = queries.offered(self.takers, self.colleagues, ticked or shown, every=bool(ticked))
        return person_choices(every)


def _team_page(form, team: _TeamTasks, *, selected: set[int], task_error: str | None = None):
    form.to_staff.choices = team.choices(selected)
    covers = queries.covers_for(team.people, team.on)
    names = queries.names_of(current_user, {c.cover_supervisor_id for c in covers})
    names.update({p.id: p.name for p in team.people})
    return render_template(
        "team/index.html",
        people=team.people,
        counts=queries.open_counts(team.people, team.on),
        tasks=team.tasks,
        selected=selected,
        task_error=task_error,
        form=form,
        covers=covers,
        names=names,
        kind_of=kind_of,
        on=team.on,
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
