"""For managers: the people they manage and their open human tasks, with a
bulk reassignment; and the cover form a supervisor or their manager fills in
when the supervisor will be away."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from models import OPEN_STATUSES, CoverArrangement, HumanTask, StaffMember
from models.actions.errors import ActionError
from models.actions.inbox import arrange_cover, reassign_tasks
from webapp import scope
from webapp.access import manager, rule, staff_self_or_manager
from webapp.database import db_session, end_read, session_factory
from webapp.dates import long_date, today
from webapp.inbox.forms import person_choices
from webapp.inbox.kinds import kind_of
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
        end_read()
        try:
            moved = reassign_tasks(
                task_ids=sorted(selected),
                by_staff_id=current_user.staff_id,
                to_staff_id=form.target_id(),
                reason=form.reason.data,
                allowed_assignee_ids=managed,
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ActionError as error:
            task_error = str(error)
        else:
            name = dict(form.to_staff.choices)[form.to_staff.data].split(",")[0]
            count = len(moved)
            flash(f"You gave {count} {'task' if count == 1 else 'tasks'} to {name}.", "success")
            return redirect(url_for("team.index"))
    return _team_page(form, selected=selected, task_error=task_error)


def _team_page(form, *, selected: set[int], task_error: str | None = None):
    on = today()
    db = db_session()
    people = list(
        db.scalars(
            select(StaffMember)
            .where(StaffMember.id.in_(scope.managed_staff_ids(current_user)))
            .order_by(StaffMember.name, StaffMember.id)
        )
    )
    counts = {
        staff_id: (open_count, overdue)
        for staff_id, open_count, overdue in db.execute(
            select(
                HumanTask.assignee_id,
                func.count(HumanTask.id),
                func.count(HumanTask.id).filter(HumanTask.due_on < on),
            )
            .where(
                HumanTask.assignee_id.in_([p.id for p in people]),
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .group_by(HumanTask.assignee_id)
        )
    }
    tasks = list(
        db.scalars(
            select(HumanTask)
            .where(
                HumanTask.organisation_id == current_user.organisation_id,
                HumanTask.assignee_id.in_([p.id for p in people]),
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .order_by(HumanTask.due_on, HumanTask.id)
        )
    )
    if not form.to_staff.choices:
        form.to_staff.choices = person_choices(scope.people_who_can_take_tasks(current_user))
    covers = list(
        db.scalars(
            select(CoverArrangement)
            .where(
                CoverArrangement.absent_supervisor_id.in_([p.id for p in people]),
                (CoverArrangement.ends_on.is_(None)) | (CoverArrangement.ends_on >= on),
            )
            .order_by(CoverArrangement.starts_on)
        )
    )
    names = {p.id: p.name for p in scope.people_who_can_take_tasks(current_user)}
    names.update({p.id: p.name for p in people})
    return render_template(
        "team/index.html",
        people=people,
        counts=counts,
        tasks=tasks,
        selected=selected,
        task_error=task_error,
        form=form,
        covers=covers,
        names=names,
        kind_of=kind_of,
        on=on,
    )


@bp.route("/people/<int:staff_id>/cover", methods=["GET", "POST"])
@rule(staff_self_or_manager)
def cover(staff_id: int):
    person = db_session().get(StaffMember, staff_id)
    form = CoverForm()
    form.cover_staff.choices = person_choices(
        scope.people_who_can_take_tasks(current_user), exclude_ids={staff_id}
    )
    if form.validate_on_submit():
        end_read()
        try:
            result = arrange_cover(
                absent_staff_id=staff_id,
                cover_staff_id=int(form.cover_staff.data),
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                reason=form.reason.data or "",
                by_staff_id=current_user.staff_id,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ActionError as error:
            form.cover_staff.errors = [*form.cover_staff.errors, str(error)]
        else:
            cover_name = dict(form.cover_staff.choices)[form.cover_staff.data].split(",")[0]
            moved = len(result.moved_task_ids)
            if form.starts_on.data <= today():
                detail = (
                    f"{moved} open {'task has' if moved == 1 else 'tasks have'} moved to "
                    f"{cover_name} now."
                )
            else:
                detail = f"Open tasks move to {cover_name} on {long_date(form.starts_on.data)}."
            flash(
                f"Cover arranged: {cover_name} covers for {person.name} from "
                f"{long_date(form.starts_on.data)} to {long_date(form.ends_on.data)}. "
                f"{detail} They go back the day after the absence ends.",
                "success",
            )
            return redirect(url_for("people.person", staff_id=staff_id))
    return render_template("team/cover.html", form=form, person=person)
