"""Children's cases, by case ID only (Wokingham 003 standard 9: "The client's
MOSAIC ID should be used in place of any personal details"): a worker's and a
supervisor's case lists, allocating, reallocating and closing a case, a
per-case frequency, case directions, and "entered on the child's record"."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from models import AuditEntry, Organisation
from models.actions.sessions import (
    ActionError,
    AlreadySigned,
    CaseDiscussion,
    allocate_case,
    close_case,
    mark_direction_recorded,
    reallocate_case,
    record_case_supervision,
    set_case_frequency,
)
from policy import load_profile
from policy import schedule as planning
from webapp import queries
from webapp.access import (
    case_overseer,
    case_supervisor,
    case_viewer,
    logged_in,
    rule,
    supervises_someone,
)
from webapp.cases import queries as case_queries
from webapp.cases.forms import (
    CASE_TYPE_LABELS,
    AllocateForm,
    CaseSupervisionForm,
    CloseForm,
    FrequencyForm,
    ReallocateForm,
    RecordedForm,
)
from webapp.database import db_session, end_read, session_factory
from webapp.dates import today
from webapp.sessions.forms import parse_date

bp = Blueprint("cases", __name__, template_folder="templates")


def _profile_name() -> str:
    return db_session().get(Organisation, current_user.organisation_id).profile


def _rows(allocations, due: dict[str, date], covers=None) -> list[dict]:
    last = case_queries.last_supervised([a.id for a in allocations])
    return [
        {
            "allocation": a,
            "type": CASE_TYPE_LABELS[a.case_type],
            "last_supervised": last.get(a.id),
            "next_due": due.get(a.case_ref),
            "cover": covers.get(a.worker_id) if covers else None,
        }
        for a in allocations
    ]


@bp.route("/cases")
@rule(logged_in)
def index():
    mine = case_queries.open_cases_of([current_user.staff_id])
    overseen = case_queries.open_cases_of(case_queries.overseen_staff(current_user))
    # While covering for an absent supervisor, their supervisees' cases are
    # the cover supervisor's to direct (Wokingham 003 standards 12-13), so
    # they are listed, each saying whose they are and until when.
    covers = case_queries.covered_staff(current_user)
    covered = case_queries.open_cases_of(list(covers))
    due = case_queries.next_due(current_user, [a.case_ref for a in (*mine, *overseen, *covered)])
    return render_template(
        "cases/index.html",
        mine=_rows(mine, due),
        overseen=_rows(overseen, due),
        covered=_rows(covered, due, covers),
        covering=bool(covers),
        can_allocate=bool(case_queries.overseen_staff(current_user)),
        on=today(),
    )


@bp.route("/cases/allocate", methods=["GET", "POST"])
@rule(supervises_someone)
def allocate():
    form = AllocateForm()
    form.worker.choices = [("", "Select a worker"), *case_queries.staff_choices(current_user)]
    if request.method == "GET":
        form.allocated_on.data = today()
    problem = None
    if form.validate_on_submit():
        ref = form.case_ref.data.strip().upper()
        end_read()
        try:
            allocate_case(
                case_ref=ref,
                case_type=form.case_type.data,
                worker_id=int(form.worker.data),
                allocated_on=form.allocated_on.data,
                by_staff_id=current_user.staff_id,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except (ActionError, ValueError) as error:
            problem = str(error)
        else:
            flash(f"Case {ref} is allocated.", "success")
            return redirect(url_for("cases.view", case_ref=ref))
    return render_template("cases/allocate.html", form=form, problem=problem)


@bp.route("/cases/<case_ref>")
@rule(case_viewer)
def view(case_ref: str):
    allocation = case_queries.case_for_viewer(current_user, case_ref)
    directions = case_queries.directions_for(allocation.case_ref, current_user.organisation_id)
    due = case_queries.next_due(current_user, [allocation.case_ref]).get(allocation.case_ref)
    is_overseer = allocation.worker_id in case_queries.overseen_staff(current_user)
    may_supervise = case_queries.case_for_supervisor(current_user, allocation.case_ref) is not None
    _audit_read(allocation, f"Viewed case directions at {request.path}")
    return render_template(
        "cases/view.html",
        allocation=allocation,
        type_label=CASE_TYPE_LABELS[allocation.case_type],
        directions=directions,
        next_due=due,
        is_overseer=is_overseer,
        may_supervise=may_supervise,
        longest_weeks=planning.longest_case_weeks(
            load_profile(_profile_name()), allocation.case_type.value
        ),
    )


def _open_or_404(case_ref: str, find=case_queries.case_for_overseer):
    allocation = find(current_user, case_ref)
    if allocation.ended_on is not None:
        flash(f"Case {allocation.case_ref} is closed.")
        return None, redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return allocation, None


@bp.route("/cases/<case_ref>/reallocate", methods=["GET", "POST"])
@rule(case_overseer)
def reallocate(case_ref: str):
    allocation, closed = _open_or_404(case_ref)
    if closed:
        return closed
    form = ReallocateForm()
    form.worker.choices = [
        ("", "Select a worker"),
        *(c for c in case_queries.staff_choices(current_user) if c[0] != str(allocation.worker_id)),
    ]
    problem = None
    if form.validate_on_submit():
        end_read()
        try:
            reallocate_case(
                case_ref=allocation.case_ref,
                new_worker_id=int(form.worker.data),
                on=today(),
                by_staff_id=current_user.staff_id,
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except (ActionError, ValueError) as error:
            problem = str(error)
        else:
            flash(f"Case {allocation.case_ref} is reallocated.", "success")
            return redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return render_template(
        "cases/simple_form.html",
        form=form,
        allocation=allocation,
        title=f"Reallocate case {allocation.case_ref}",
        intro=f"Currently allocated to {allocation.worker.name}.",
        action=url_for("cases.reallocate", case_ref=allocation.case_ref),
        problem=problem,
    )


@bp.route("/cases/<case_ref>/close", methods=["GET", "POST"])
@rule(case_overseer)
def close(case_ref: str):
    allocation, closed = _open_or_404(case_ref)
    if closed:
        return closed
    form = CloseForm()
    if form.validate_on_submit():
        end_read()
        try:
            close_case(
                case_ref=allocation.case_ref,
                on=today(),
                by_staff_id=current_user.staff_id,
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ActionError as error:
            flash(str(error))
        else:
            flash(f"Case {allocation.case_ref} is closed.", "success")
        return redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return render_template(
        "cases/simple_form.html",
        form=form,
        allocation=allocation,
        title=f"Close case {allocation.case_ref}",
        intro="No further case supervision will be owed for this case.",
        action=url_for("cases.close", case_ref=allocation.case_ref),
        problem=None,
    )


@bp.route("/cases/<case_ref>/frequency", methods=["GET", "POST"])
@rule(case_overseer)
def frequency(case_ref: str):
    allocation, closed = _open_or_404(case_ref)
    if closed:
        return closed
    form = FrequencyForm()
    if request.method == "GET" and allocation.frequency_weeks:
        form.weeks.data = str(allocation.frequency_weeks)
        form.reason.data = allocation.frequency_reason or ""
    if form.validate_on_submit():
        weeks = int(form.weeks.data.strip())
        problem = planning.case_frequency_problem(
            load_profile(_profile_name()), allocation.case_type.value, weeks
        )
        if problem:
            form.weeks.errors = [problem]
        else:
            end_read()
            try:
                set_case_frequency(
                    case_ref=allocation.case_ref,
                    weeks=weeks,
                    reason=form.reason.data,
                    on=today(),
                    by_staff_id=current_user.staff_id,
                    actor_user_id=current_user.user_id,
                    session_factory=session_factory(),
                )
            except ActionError as error:
                form.weeks.errors = [str(error)]
            else:
                flash(
                    f"Case {allocation.case_ref} will be supervised every {weeks} weeks.", "success"
                )
                return redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return render_template(
        "cases/simple_form.html",
        form=form,
        allocation=allocation,
        title=f"How often case {allocation.case_ref} is supervised",
        intro=f"Type of case: {CASE_TYPE_LABELS[allocation.case_type]}.",
        action=url_for("cases.frequency", case_ref=allocation.case_ref),
        problem=None,
    )


@bp.route("/cases/<case_ref>/supervise", methods=["GET", "POST"])
@rule(case_supervisor)
def supervise(case_ref: str):
    """The "case supervision" task's form: a case direction outside a session."""
    allocation, closed = _open_or_404(case_ref, case_queries.case_for_supervisor)
    if closed:
        return closed
    task_id = request.args.get("task", type=int)
    task = queries.task_for_assignee(current_user, task_id) if task_id else None
    form = CaseSupervisionForm()
    if request.method == "GET":
        form.supervised_on.data = today()
    problem = None
    if form.validate_on_submit():
        end_read()
        try:
            record_case_supervision(
                case_ref=allocation.case_ref,
                supervisor_staff_id=current_user.staff_id,
                supervised_on=form.supervised_on.data,
                discussion=CaseDiscussion(
                    case_ref=allocation.case_ref,
                    decision=form.decision.data,
                    rationale=form.rationale.data,
                    next_steps=form.next_steps.data or "",
                    important_decision=bool(form.important.data),
                ),
                on=today(),
                task_key=task.key if task else None,
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except (AlreadySigned, IntegrityError) as error:
            flash(str(error) if isinstance(error, AlreadySigned) else "Already recorded.")
            return redirect(url_for("cases.view", case_ref=allocation.case_ref))
        except ActionError as error:
            problem = str(error)
        else:
            flash(f"You recorded the case direction for {allocation.case_ref}.", "success")
            return redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return render_template(
        "cases/supervise.html", form=form, allocation=allocation, task=task, problem=problem
    )


@bp.route("/cases/<case_ref>/recorded", methods=["GET", "POST"])
@rule(case_supervisor)
def recorded(case_ref: str):
    """The case_record and decision_record tasks: the direction of a day was
    entered on the child's record (the obligation is met by that date)."""
    allocation = case_queries.case_for_supervisor(current_user, case_ref)
    day = parse_date(request.args.get("on"))
    waiting = [
        d
        for d in case_queries.directions_for(allocation.case_ref, current_user.organisation_id)
        if d.recorded_on is None and (day is None or d.supervised_on == day)
    ]
    form = RecordedForm()
    if request.method == "GET":
        form.recorded_on.data = today()
    problem = None
    if waiting and form.validate_on_submit():
        ids = [d.id for d in waiting]
        end_read()
        try:
            for direction_id in ids:
                mark_direction_recorded(
                    case_supervision_id=direction_id,
                    by_staff_id=current_user.staff_id,
                    recorded_on=form.recorded_on.data,
                    on=today(),
                    actor_user_id=current_user.user_id,
                    session_factory=session_factory(),
                )
        except ActionError as error:
            problem = str(error)
        else:
            flash("Saved: the case direction is on the child's record.", "success")
            return redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return render_template(
        "cases/recorded.html",
        form=form,
        allocation=allocation,
        waiting=waiting,
        problem=problem,
        day=day,
    )


def _audit_read(allocation, detail: str) -> None:
    end_read()
    with session_factory().begin() as audit_session:
        audit_session.add(
            AuditEntry(
                actor_user_id=current_user.user_id,
                actor=f"staff-{current_user.staff_id}",
                action="read",
                object_type="case_allocation",
                object_id=str(allocation.id),
                subject_staff_id=allocation.worker_id,
                detail=detail[:500],
            )
        )
