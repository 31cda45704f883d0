"""Children's cases, by case ID only (Wokingham 003 standard 9: "The client's
MOSAIC ID should be used in place of any personal details"): a worker's and a
supervisor's case lists, allocating, reallocating and closing a case, a
per-case frequency, case directions, and "entered on the child's record"."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Organisation
from models.actions.case_category import CATEGORY_LABELS, categories_of
from models.actions.case_supervision import (
    CaseDiscussion,
    mark_direction_recorded,
    record_case_supervision,
)
from models.actions.cases import allocate_case, close_case, reallocate_case, set_case_frequency
from policy import load_profile
from policy import schedule as planning
from policy.profile import Profile
from webapp import lists, queries
from webapp.access import logged_in, rule
from webapp.audit import record_read
from webapp.cases import listing
from webapp.cases import queries as case_queries
from webapp.cases.access import case_overseer, case_supervisor, case_viewer, supervises_someone
from webapp.cases.forms import (
    CASE_TYPE_LABELS,
    AllocateForm,
    CaseSupervisionForm,
    CloseForm,
    FrequencyForm,
    ReallocateForm,
    RecordedForm,
)
from webapp.database import db_session
from webapp.dates import today
from webapp.perform import perform

bp = Blueprint("cases", __name__, template_folder="templates")


def _profile() -> Profile:
    return load_profile(db_session().get(Organisation, current_user.organisation_id).profile)


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
    on = today()
    mine = case_queries.open_cases_of([current_user.staff_id])
    # While covering for an absent supervisor, their supervisees' cases are
    # the cover supervisor's to direct (Wokingham 003 standards 12-13), so
    # they are listed, each saying whose they are and until when.
    covers = case_queries.covered_staff(current_user)
    covered = case_queries.open_cases_of(list(covers))
    reading = listing.read_filters(current_user, request.args, covers, CASE_TYPE_LABELS)
    wanted = reading.values
    page, total = listing.cases_page(current_user, wanted, covers, on)
    due = case_queries.next_due(
        current_user,
        [a.case_ref for a in (*mine, *covered)]
        + [a.case_ref for a, *_ in page if a.ended_on is None],
    )
    overseen = [
        {
            "allocation": a,
            "type": CASE_TYPE_LABELS[a.case_type],
            "team": team,
            "last_supervised": last,
            "next_due": due.get(a.case_ref) if a.ended_on is None else None,
            "overdue": overdue,
        }
        for a, team, last, overdue in page
    ]
    return render_template(
        "cases/index.html",
        mine=_rows(mine, due),
        overseen=overseen,
        covered=_rows(covered, due, covers),
        covering=bool(covers),
        can_allocate=bool(case_queries.overseen_staff(current_user)),
        oversees=listing.oversees_anyone(current_user, covers),
        total=total,
        wanted=wanted,
        errors=reading.error_summary(),
        teams=listing.team_options(current_user, covers),
        roles=lists.ROLE_LABELS,
        case_types=CASE_TYPE_LABELS,
        statuses=listing.STATUSES,
        shown=lists.showing(wanted["page"], total),
        pagination=lists.pagination("cases.index", wanted, wanted["page"], total),
        filtered=any(wanted[k] for k in ("q", "team", "role", "type", "overdue"))
        or wanted["status"] != "open",
        on=on,
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
        done = perform(
            allocate_case,
            case_ref=ref,
            case_type=form.case_type.data,
            worker_id=int(form.worker.data),
            allocated_on=form.allocated_on.data,
            by_staff_id=current_user.staff_id,
            on=today(),
            actor_user_id=current_user.user_id,
        )
        problem = done.error
        if not done.failed:
            flash(f"Case {ref} is allocated.", "success")
            return redirect(url_for("cases.view", case_ref=ref))
    return render_template("cases/allocate.html", form=form, problem=problem)


@bp.route("/cases/<case_ref>")
@rule(case_viewer)
def view(case_ref: str):
    allocation = case_viewer.loaded()
    directions = case_queries.directions_for(allocation.case_ref, current_user.organisation_id)
    due = case_queries.next_due(current_user, [allocation.case_ref]).get(allocation.case_ref)
    is_overseer = allocation.worker_id in case_queries.overseen_staff(current_user)
    may_supervise = case_queries.case_for_supervisor(current_user, allocation.case_ref) is not None
    record_read(
        "case_allocation",
        allocation.id,
        subject_staff_id=allocation.worker_id,
        detail=f"Viewed case directions at {request.path}",
    )
    return render_template(
        "cases/view.html",
        allocation=allocation,
        type_label=CASE_TYPE_LABELS[allocation.case_type],
        directions=directions,
        next_due=due,
        is_overseer=is_overseer,
        may_supervise=may_supervise,
        longest_weeks=planning.longest_case_weeks(
            _profile(), allocation.case_type.value, allocation.category
        ),
        categories=categories_of(_profile()),
        category_labels=CATEGORY_LABELS,
    )


def _simple_form(form, allocation, problem: str | None = None):
    """A one-question form about a case: reallocate, close, or its frequency."""
    ref = allocation.case_ref
    title, intro = {
        "cases.reallocate": (
            f"Reallocate case {ref}",
            f"Currently allocated to {allocation.worker.name}.",
        ),
        "cases.close": (
            f"Close case {ref}",
            "No further case supervision will be owed for this case.",
        ),
        "cases.frequency": (
            f"How often case {ref} is supervised",
            f"Type of case: {CASE_TYPE_LABELS[allocation.case_type]}.",
        ),
    }[request.endpoint]
    return render_template(
        "cases/simple_form.html",
        form=form,
        allocation=allocation,
        title=title,
        intro=intro,
        action=url_for(request.endpoint, case_ref=ref),
        problem=problem,
    )


def _closed(allocation):
    """Where to go from a closed case's form, or None while it is open."""
    if allocation.ended_on is None:
        return None
    flash(f"Case {allocation.case_ref} is closed.")
    return redirect(url_for("cases.view", case_ref=allocation.case_ref))


@bp.route("/cases/<case_ref>/reallocate", methods=["GET", "POST"])
@rule(case_overseer)
def reallocate(case_ref: str):
    allocation = case_overseer.loaded()
    if closed := _closed(allocation):
        return closed
    form = ReallocateForm()
    form.worker.choices = [
        ("", "Select a worker"),
        *(c for c in case_queries.staff_choices(current_user) if c[0] != str(allocation.worker_id)),
    ]
    problem = None
    if form.validate_on_submit():
        done = perform(
            reallocate_case,
            case_ref=allocation.case_ref,
            new_worker_id=int(form.worker.data),
            on=today(),
            by_staff_id=current_user.staff_id,
            actor_user_id=current_user.user_id,
        )
        problem = done.error
        if not done.failed:
            flash(f"Case {allocation.case_ref} is reallocated.", "success")
            return redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return _simple_form(form, allocation, problem)


@bp.route("/cases/<case_ref>/close", methods=["GET", "POST"])
@rule(case_overseer)
def close(case_ref: str):
    allocation = case_overseer.loaded()
    if closed := _closed(allocation):
        return closed
    form = CloseForm()
    if form.validate_on_submit():
        done = perform(
            close_case,
            case_ref=allocation.case_ref,
            on=today(),
            by_staff_id=current_user.staff_id,
            actor_user_id=current_user.user_id,
        )
        if not done.flashed():
            flash(f"Case {allocation.case_ref} is closed.", "success")
        return redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return _simple_form(form, allocation)


@bp.route("/cases/<case_ref>/frequency", methods=["GET", "POST"])
@rule(case_overseer)
def frequency(case_ref: str):
    allocation = case_overseer.loaded()
    if closed := _closed(allocation):
        return closed
    form = FrequencyForm()
    if request.method == "GET" and allocation.frequency_weeks:
        form.weeks.data = str(allocation.frequency_weeks)
        form.reason.data = allocation.frequency_reason or ""
    if form.validate_on_submit():
        weeks = int(form.weeks.data.strip())
        problem = planning.case_frequency_problem(
            _profile(), allocation.case_type.value, weeks, allocation.category
        )
        if problem:
            form.weeks.errors = [problem]
        else:
            done = perform(
                set_case_frequency,
                case_ref=allocation.case_ref,
                weeks=weeks,
                reason=form.reason.data,
                on=today(),
                by_staff_id=current_user.staff_id,
                actor_user_id=current_user.user_id,
            )
            if not done.shown_on(form.weeks):
                flash(
                    f"Case {allocation.case_ref} will be supervised every {weeks} weeks.", "success"
                )
                return redirect(url_for("cases.view", case_ref=allocation.case_ref))
    return _simple_form(form, allocation)


@bp.route("/cases/<case_ref>/supervise", methods=["GET", "POST"])
@rule(case_supervisor)
def supervise(case_ref: str):
    """The "case supervision" task's form: a case direction outside a session."""
    allocation = case_supervisor.loaded()
    if closed := _closed(allocation):
        return closed
    task_id = request.args.get("task", type=int)
    task = queries.task_for_assignee(current_user, task_id) if task_id else None
    form = CaseSupervisionForm()
    if request.method == "GET":
        form.supervised_on.data = today()
    problem = None
    if form.validate_on_submit():
        done = perform(
            record_case_supervision,
            double_submit="Already recorded.",
            case_ref=allocation.case_ref,
            supervisor_staff_id=current_user.staff_id,
            supervised_on=form.supervised_on.data,
            discussion=CaseDiscussion(
                case_ref=allocation.case_ref,
                decision=form.decision.data,
                rationale=form.rationale.data,
                next_steps=form.next_steps.data or "",
                important_decision=bool(form.important.data),
                made_in="outside_supervision" if form.outside.data else "supervision",
            ),
            on=today(),
            task_key=task.key if task else None,
            actor_user_id=current_user.user_id,
        )
        if done.again:
            done.flashed()
            return redirect(url_for("cases.view", case_ref=allocation.case_ref))
        problem = done.error
        if not done.failed:
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
    allocation = case_supervisor.loaded()
    day = request.args.get("on", type=date.fromisoformat)
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
        for direction_id in [d.id for d in waiting]:
            done = perform(
                mark_direction_recorded,
                case_supervision_id=direction_id,
                by_staff_id=current_user.staff_id,
                recorded_on=form.recorded_on.data,
                on=today(),
                actor_user_id=current_user.user_id,
            )
            if done.failed:
                problem = done.error
                break
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


# The category form registers on this blueprint (Nottingham §1.6).
from webapp.cases import category  # noqa: E402, F401
