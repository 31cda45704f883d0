"""Holding and recording supervision: the supervisor records the session and
its record (draft, or signed and shared), the supervisee countersigns, either
party reads it, the supervisor amends it as a new version; the relationship's
schedule of sessions (plan the year, cancel and reschedule).

State changes go through models.actions.sessions and models.actions.schedule. Every
read of a supervision record writes an AuditEntry."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import (
    AuditEntry,
    CaseSupervision,
    HumanTask,
    Organisation,
    RecordStatus,
    SessionKind,
    SessionStatus,
    SignatoryParty,
    StaffMember,
)
from models.actions.group_attendance import (
    council_records_group_supervision,
    record_group_attendance,
)
from models.actions.schedule import ScheduleError, cancel_session, plan_year
from models.actions.sessions import (
    ActionError,
    ActionReview,
    AlreadySigned,
    CaseDiscussion,
    NewAction,
    RecordInput,
    amend_record,
    countersign_record,
    previous_actions,
    record_session,
)
from models.engine.unit_obligations import supervisee_history
from policy import load_profile
from policy import schedule as planning
from policy.keys import relationship_fact_id
from webapp import queries
from webapp.access import (
    relationship_recorder,
    relationship_supervisor,
    relationship_viewer,
    rule,
    session_party,
    session_supervisee,
    session_supervisor,
    session_viewer,
    task_assignee,
)
from webapp.database import db_session, end_read, session_factory
from webapp.dates import long_date, today
from webapp.scope import people_who_can_take_tasks
from webapp.sessions import queries as session_queries
from webapp.sessions.agendas import Agenda, agenda_for
from webapp.sessions.forms import (
    AmendForm,
    CancelForm,
    CountersignForm,
    GroupAttendanceForm,
    PlanForm,
    parse_date,
    record_form_class,
)

bp = Blueprint("sessions", __name__, template_folder="templates")

DOUBLE_SUBMIT_MESSAGE = "This record was already signed; it has been signed once."
GROUP_RECORDED_ONCE = (
    "Attendance at group supervision on {day} was already recorded; it has been recorded once."
)
KIND_LABELS = {
    SessionKind.INDIVIDUAL: "One-to-one supervision",
    SessionKind.ASYE_REFLECTIVE: "ASYE reflective supervision",
}


# --- recording ---------------------------------------------------------------------


@bp.route("/relationships/<int:relationship_id>/sessions/new", methods=["GET", "POST"])
@rule(relationship_recorder)
def new(relationship_id: int):
    """The "hold supervision" task's form: record a session just held (by the
    supervisor, or by the colleague covering for them)."""
    rel = session_queries.relationship_as_recorder(current_user, relationship_id)
    kind = _kind_arg()
    task = _my_task(request.args.get("task", type=int))
    return _record_page(rel, None, kind, task)


@bp.route("/relationships/<int:relationship_id>/sessions/record")
@rule(relationship_recorder)
def open_record(relationship_id: int):
    """The "record" and "late reason" tasks name a session by its day: open its record."""
    rel = session_queries.relationship_as_recorder(current_user, relationship_id)
    held_on = parse_date(request.args.get("held_on"))
    row = session_queries.held_on_day(rel.id, held_on) if held_on else None
    if row is None:
        abort(404)
    if row.record_status in (RecordStatus.NOT_STARTED, RecordStatus.DRAFT):
        return redirect(url_for("sessions.edit", session_id=row.id))
    return redirect(url_for("sessions.view", session_id=row.id))


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@rule(session_supervisor)
def edit(session_id: int):
    """Record a planned session, or change a draft (a signed version is never edited)."""
    row = session_queries.session_as_recorder(current_user, session_id)
    if row.status == SessionStatus.CANCELLED or row.record_status in (
        RecordStatus.AWAITING_COUNTERSIGNATURE,
        RecordStatus.SIGNED,
    ):
        if request.method == "POST":
            flash(DOUBLE_SUBMIT_MESSAGE)
        return redirect(url_for("sessions.view", session_id=row.id))
    return _record_page(row.supervision_relationship, row, row.kind.value, None)


def _kind_arg() -> str:
    kind = request.args.get("kind", SessionKind.INDIVIDUAL.value)
    return kind if kind in {k.value for k in SessionKind} else SessionKind.INDIVIDUAL.value


def _my_task(task_id: int | None) -> HumanTask | None:
    return queries.task_for_assignee(current_user, task_id) if task_id else None


def _record_page(rel, row, kind: str, task: HumanTask | None):
    org = db_session().get(Organisation, current_user.organisation_id)
    profile = load_profile(org.profile)
    agenda = agenda_for(org.profile, rel.supervisee.role.value)
    form = record_form_class(agenda)()
    if row is None and request.method == "POST" and form.held_on.data:
        done = session_queries.held_on_day(rel.id, form.held_on.data)
        if done is not None and done.record_status in (
            RecordStatus.AWAITING_COUNTERSIGNATURE,
            RecordStatus.SIGNED,
        ):
            # A second submission of the same form: it was recorded and signed once.
            flash(
                f"The session held on {long_date(done.held_on)} is already recorded and signed; "
                "it has been signed once."
            )
            return redirect(url_for("sessions.view", session_id=done.id))
    previous = previous_actions(db_session(), rel.id, row)
    owners = [("", "Select who"), (str(rel.supervisor_id), rel.supervisor.name)]
    owners.append((str(rel.supervisee_id), rel.supervisee.name))
    if current_user.staff_id not in (rel.supervisor_id, rel.supervisee_id):
        # The colleague covering for the supervisor may own an action too.
        owners.append((str(current_user.staff_id), current_user.name))

    if request.method == "GET":
        _prefill(form, agenda, row, org.profile, kind, previous)
        if row is not None and row.status == SessionStatus.HELD:
            _audit_read(row, "Opened the record to edit it")
    _match_reviews(form, previous)
    if request.method == "POST" and (form.add_action.data or form.add_case.data):
        (form.actions if form.add_action.data else form.cases).append_entry()
        return _render_record(form, agenda, rel, row, kind, task, previous, owners, [])

    for entry in form.actions:
        entry.form.owner.choices = owners
    check = _late_check(profile, rel, form.held_on.data or today(), kind, row)
    extra_errors: list[dict] = []
    if form.validate_on_submit():
        problems = _cross_checks(form, check, previous)
        if not problems:
            end_read()
            try:
                result = record_session(
                    relationship_id=rel.id,
                    recorder_staff_id=current_user.staff_id,
                    record=_record_input(form, agenda, previous),
                    sign=form.signing,
                    on=today(),
                    kind=kind,
                    session_id=row.id if row is not None else None,
                    task_key=task.key if task is not None else None,
                    actor_user_id=current_user.user_id,
                    session_factory=session_factory(),
                )
            except AlreadySigned as error:
                flash(str(error))
                return redirect(url_for("inbox.index"))
            except IntegrityError:
                flash(DOUBLE_SUBMIT_MESSAGE)
                return redirect(url_for("inbox.index"))
            except ActionError as error:
                extra_errors.append({"text": str(error), "href": "#held_on"})
            else:
                if form.signing:
                    flash(
                        f"You signed the supervision record. It is now in "
                        f"{rel.supervisee.name}'s inbox to countersign.",
                        "success",
                    )
                else:
                    flash("You saved the record as a draft. Sign it when it is ready.", "success")
                return redirect(url_for("sessions.view", session_id=result.session_id))
        extra_errors += problems
    return _render_record(form, agenda, rel, row, kind, task, previous, owners, extra_errors, check)


def _render_record(form, agenda, rel, row, kind, task, previous, owners, extra_errors, check=None):
    for entry in form.actions:
        entry.form.owner.choices = owners
    if check is None:
        org = db_session().get(Organisation, current_user.organisation_id)
        check = _late_check(load_profile(org.profile), rel, form.held_on.data or today(), kind, row)
    errors = wtforms_error_list(form) + extra_errors
    return render_template(
        "sessions/record_form.html",
        form=form,
        agenda=agenda,
        relationship=rel,
        session=row,
        kind=kind,
        kind_label=KIND_LABELS[SessionKind(kind)],
        task=task,
        previous=list(zip(previous, form.reviews, strict=False)),
        owners=dict(owners),
        check=check,
        error_list=errors,
        action_url=url_for("sessions.edit", session_id=row.id)
        if row is not None
        else url_for(
            "sessions.new",
            relationship_id=rel.id,
            kind=kind,
            **({"task": task.id} if task else {}),
        ),
    )


def wtforms_error_list(form) -> list[dict]:
    from govuk_frontend_wtf.main import wtforms_errors

    return wtforms_errors(form)["errorList"] if form.errors else []


def _late_check(profile, rel, held_on: date, kind: str, row):
    facts = supervisee_history(db_session(), current_user.organisation_id, rel, held_on)
    exclude = [row.held_on] if row is not None and row.held_on else []
    return planning.late_check(
        profile, facts, relationship_fact_id(rel.id), held_on, kind=kind, exclude=exclude
    )


def _prefill(form, agenda: Agenda, row, profile_name: str, kind: str, previous) -> None:
    form.duration_minutes.data = str(planning.session_minutes(profile_name, kind))
    form.held_on.data = today()
    if row is None:
        return
    if row.planned_on and row.status == SessionStatus.PLANNED:
        form.held_on.data = min(row.planned_on, today())
    if row.held_on:
        form.held_on.data = row.held_on
    if row.duration_minutes:
        form.duration_minutes.data = str(row.duration_minutes)
    record = row.record or {}
    for key, value in (record.get("sections") or {}).items():
        if f"s_{key}" in form:
            form[f"s_{key}"].data = value
    for key, value in (record.get("extra") or {}).items():
        if f"q_{key}" in form:
            form[f"q_{key}"].data = value
    form.late_reason.data = row.late_reason or ""
    form.development_discussed.data = row.development_discussed
    while len(form.actions) > 0:
        form.actions.pop_entry()
    for action in row.actions:
        form.actions.append_entry(
            {
                "description": action.description,
                "owner": str(action.owner_id or ""),
                "due_on": action.due_on,
            }
        )
    form.actions.append_entry()
    directions = db_session().scalars(
        select(CaseSupervision).where(CaseSupervision.session_id == row.id)
    )
    filled = [
        {
            "case_ref": d.allocation.case_ref,
            "decision": d.decision,
            "rationale": d.rationale,
            "next_steps": d.next_steps,
            "important": d.important_decision,
        }
        for d in directions
    ]
    if filled:
        while len(form.cases) > 0:
            form.cases.pop_entry()
        for item in filled:
            form.cases.append_entry(item)
        form.cases.append_entry()


def _match_reviews(form, previous) -> None:
    """One review entry per previous action, in order, whatever was posted."""
    posted = {e.form.action_id.data: e for e in form.reviews}
    values = []
    for action in previous:
        entry = posted.get(str(action.id))
        if entry is not None:
            values.append(
                {
                    "action_id": str(action.id),
                    "outcome": entry.form.outcome.data,
                    "note": entry.form.note.data,
                }
            )
        elif action.reviewed_in_session_id is not None:
            values.append(
                {
                    "action_id": str(action.id),
                    "outcome": "done" if action.done_on else "not_done",
                    "note": action.review_note or "",
                }
            )
        else:
            values.append({"action_id": str(action.id), "outcome": None, "note": ""})
    while len(form.reviews) > 0:
        form.reviews.pop_entry()
    for value in values:
        form.reviews.append_entry(value)


def _cross_checks(form, check, previous) -> list[dict]:
    """What only the whole form can say: the late reason (Bristol §3.4), every
    previous action reviewed and every case given a direction before signing."""
    problems = []
    if check.late and not (form.late_reason.data or "").strip():
        message = (
            f"{check.question} Yes: enter why the session was late "
            f"(it was due by {long_date(check.due)})"
        )
        form.late_reason.errors = [message]
        problems.append({"text": message, "href": "#late_reason"})
    if form.signing:
        for i, entry in enumerate(form.reviews):
            if entry.form.outcome.data not in ("done", "not_done"):
                message = f"Say whether “{previous[i].description}” was done"
                entry.form.outcome.errors = [message]
                problems.append({"text": message, "href": f"#reviews-{i}-outcome"})
        for i, entry in enumerate(form.cases):
            if (entry.form.case_ref.data or "").strip() and not (
                entry.form.decision.data or ""
            ).strip():
                message = f"Enter the decision or direction for case {entry.form.case_ref.data}"
                entry.form.decision.errors = [message]
                problems.append({"text": message, "href": f"#cases-{i}-decision"})
    return problems


def _record_input(form, agenda: Agenda, previous) -> RecordInput:
    actions = [
        NewAction(
            description=(e.form.description.data or "").strip(),
            owner_id=int(e.form.owner.data) if (e.form.owner.data or "").isdigit() else None,
            due_on=e.form.due_on.data,
        )
        for e in form.actions
        if (e.form.description.data or "").strip()
    ]
    reviews = [
        ActionReview(
            action_id=int(e.form.action_id.data),
            done=e.form.outcome.data == "done",
            note=e.form.note.data or "",
        )
        for e in form.reviews
        if e.form.outcome.data in ("done", "not_done") and (e.form.action_id.data or "").isdigit()
    ]
    cases = [
        CaseDiscussion(
            case_ref=e.form.case_ref.data,
            decision=e.form.decision.data or "",
            rationale=e.form.rationale.data or "",
            next_steps=e.form.next_steps.data or "",
            important_decision=bool(e.form.important.data),
        )
        for e in form.cases
        if not e.form.is_blank
    ]
    return RecordInput(
        held_on=form.held_on.data,
        duration_minutes=int(form.duration_minutes.data.strip()),
        sections=form.section_values(),
        late_reason=form.late_reason.data,
        development_discussed=bool(form.development_discussed.data),
        actions=actions,
        reviews=reviews,
        cases=cases,
        extra=form.question_values(),
    )


# --- group reflective supervision (Bristol §6) -------------------------------------


@bp.route("/relationships/<int:relationship_id>/group-supervision/new", methods=["GET", "POST"])
@rule(relationship_recorder)
def group_attendance(relationship_id: int):
    """The "group_supervision" task's form: the supervisor (or the colleague
    covering for them) records that the supervisee attended group or peer
    reflective supervision (Bristol §6.1 every four weeks; §6.5 attendance is
    recorded in the personal supervision record)."""
    rel = session_queries.relationship_as_recorder(current_user, relationship_id)
    org = db_session().get(Organisation, current_user.organisation_id)
    if not council_records_group_supervision(org.profile):
        flash("Your council's supervision policy has no group reflective supervision to record.")
        return redirect(url_for("sessions.schedule", relationship_id=rel.id))
    form = GroupAttendanceForm()
    form.facilitator_id.choices = [("", "Not recorded, or from outside the council")] + [
        (str(p.id), p.name) for p in people_who_can_take_tasks(current_user)
    ]
    if request.method == "GET":
        form.attended_on.data = today()
    extra_errors: list[dict] = []
    if form.validate_on_submit():
        supervisee = rel.supervisee.name
        end_read()
        try:
            result = record_group_attendance(
                relationship_id=rel.id,
                recorder_staff_id=current_user.staff_id,
                attended_on=form.attended_on.data,
                model=form.model.data,
                facilitator_staff_id=int(form.facilitator_id.data)
                if form.facilitator_id.data
                else None,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except IntegrityError:
            flash(GROUP_RECORDED_ONCE.format(day=long_date(form.attended_on.data)))
            return redirect(url_for("inbox.index"))
        except ActionError as error:
            form.attended_on.errors = [str(error)]
            extra_errors.append({"text": str(error), "href": "#attended_on-day"})
        else:
            day = long_date(form.attended_on.data)
            if result.recorded:
                flash(
                    f"You recorded that {supervisee} attended group reflective supervision "
                    f"on {day}.",
                    "success",
                )
            else:
                flash(GROUP_RECORDED_ONCE.format(day=day))
            return redirect(url_for("inbox.index"))
    # The summary links a date to its first box (day), which takes the focus.
    errors = extra_errors or [
        {**e, "href": "#attended_on-day"} if e.get("href") == "#attended_on" else e
        for e in wtforms_error_list(form)
    ]
    return render_template(
        "sessions/group_attendance.html", form=form, relationship=rel, error_list=errors
    )


# --- reading, countersigning, amending ----------------------------------------------


@bp.route("/sessions/<int:session_id>")
@rule(session_viewer)
def view(session_id: int):
    row = session_queries.session_for_viewer(current_user, session_id)
    context = _view_context(row)
    _audit_read(row, f"Viewed version {row.record_version} at {request.path}")
    return render_template("sessions/view.html", **context)


@bp.route("/sessions/<int:session_id>/countersign", methods=["GET", "POST"])
@rule(session_supervisee)
def countersign(session_id: int):
    row = session_queries.session_as_supervisee(current_user, session_id)
    if row.record_status != RecordStatus.AWAITING_COUNTERSIGNATURE:
        if request.method == "POST":
            flash(
                DOUBLE_SUBMIT_MESSAGE
                if row.record_status == RecordStatus.SIGNED
                else "There is no record waiting for your countersignature."
            )
        return redirect(url_for("sessions.view", session_id=row.id))
    form = CountersignForm()
    if form.validate_on_submit():
        end_read()
        try:
            countersign_record(
                session_id=row.id,
                signer_staff_id=current_user.staff_id,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except (ActionError, IntegrityError) as error:
            flash(DOUBLE_SUBMIT_MESSAGE if isinstance(error, IntegrityError) else str(error))
            return redirect(url_for("sessions.view", session_id=row.id))
        flash(
            "You countersigned your supervision record. Both of you have now signed it.", "success"
        )
        return redirect(url_for("sessions.view", session_id=row.id))
    context = _view_context(row)
    _audit_read(row, f"Opened version {row.record_version} to countersign it")
    return render_template("sessions/countersign.html", form=form, **context)


@bp.route("/sessions/<int:session_id>/amend", methods=["GET", "POST"])
@rule(session_supervisor)
def amend(session_id: int):
    row = session_queries.session_as_recorder(current_user, session_id)
    if row.record_status not in (RecordStatus.AWAITING_COUNTERSIGNATURE, RecordStatus.SIGNED):
        return redirect(url_for("sessions.edit", session_id=row.id))
    form = AmendForm()
    if form.validate_on_submit():
        end_read()
        try:
            amend_record(
                session_id=row.id,
                by_staff_id=current_user.staff_id,
                reason=form.reason.data,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ActionError as error:
            flash(str(error))
            return redirect(url_for("sessions.view", session_id=row.id))
        flash(
            "You started a new version of the record. The signed version is kept. Change it "
            "and sign it; it will go back to the supervisee to countersign.",
            "success",
        )
        return redirect(url_for("sessions.edit", session_id=row.id))
    return render_template(
        "sessions/amend.html",
        form=form,
        session=row,
        relationship=row.supervision_relationship,
    )


def _view_context(row) -> dict:
    rel = row.supervision_relationship
    org = db_session().get(Organisation, current_user.organisation_id)
    agenda = agenda_for(org.profile, rel.supervisee.role.value)
    staff = {
        s.id: s
        for s in db_session().scalars(
            select(StaffMember).where(
                StaffMember.id.in_(
                    [
                        rel.supervisor_id,
                        rel.supervisee_id,
                        *(a.owner_id for a in row.actions if a.owner_id),
                        *(s.staff_id for s in row.signatures),
                        (row.record or {}).get("recorded_by") or rel.supervisor_id,
                    ]
                )
            )
        )
    }
    directions = list(
        db_session().scalars(
            select(CaseSupervision)
            .where(CaseSupervision.session_id == row.id)
            .order_by(CaseSupervision.id)
        )
    )
    reviewed = [
        a for a in previous_actions(db_session(), rel.id, row) if a.reviewed_in_session_id == row.id
    ]
    return {
        "session": row,
        "relationship": rel,
        "agenda": agenda,
        "kind_label": KIND_LABELS[row.kind],
        "staff": staff,
        "directions": directions,
        "reviewed": reviewed,
        "supervisor_signature": row.signature_by(SignatoryParty.SUPERVISOR),
        "supervisee_signature": row.signature_by(SignatoryParty.SUPERVISEE),
        "signatures_of": lambda version: (
            row.signature_by(SignatoryParty.SUPERVISOR, version),
            row.signature_by(SignatoryParty.SUPERVISEE, version),
        ),
        "is_supervisor": rel.supervisor_id == current_user.staff_id,
        "is_supervisee": rel.supervisee_id == current_user.staff_id,
        # The supervisor, or the colleague covering for them: records and amends.
        "may_record": session_queries.relationship_as_recorder(current_user, rel.id) is not None,
        "covering_for": (row.record or {}).get("covering_for"),
    }


def _audit_read(row, detail: str) -> None:
    """Record who opened this supervision record, in its own transaction."""
    end_read()
    with session_factory().begin() as audit_session:
        audit_session.add(
            AuditEntry(
                actor_user_id=current_user.user_id,
                actor=f"staff-{current_user.staff_id}",
                action="read",
                object_type="supervision_session",
                object_id=str(row.id),
                subject_staff_id=row.supervision_relationship.supervisee_id,
                detail=detail[:500],
            )
        )


# --- the schedule --------------------------------------------------------------------


@bp.route("/relationships/<int:relationship_id>/sessions")
@rule(relationship_viewer)
def schedule(relationship_id: int):
    rel = queries.relationship_for_viewer(current_user, relationship_id)
    org = db_session().get(Organisation, current_user.organisation_id)
    rows = session_queries.sessions_of(rel.id)
    return render_template(
        "sessions/schedule.html",
        relationship=rel,
        planned=sorted(
            (r for r in rows if r.status == SessionStatus.PLANNED),
            key=lambda r: (r.planned_on, r.id),
        ),
        held=[r for r in rows if r.status == SessionStatus.HELD],
        cancelled=[r for r in rows if r.status == SessionStatus.CANCELLED],
        required_by=planning.SCHEDULE_REQUIRED.get(org.profile),
        is_supervisor=rel.supervisor_id == current_user.staff_id,
        may_record=session_queries.relationship_as_recorder(current_user, rel.id) is not None,
        is_party=current_user.staff_id in (rel.supervisor_id, rel.supervisee_id),
        plan_form=PlanForm(),
        kind_labels=KIND_LABELS,
        on=today(),
    )


@bp.route("/relationships/<int:relationship_id>/sessions/plan", methods=["POST"])
@rule(relationship_supervisor)
def plan(relationship_id: int):
    rel = queries.relationship_as_supervisor(current_user, relationship_id)
    form = PlanForm()
    if form.validate_on_submit():
        end_read()
        try:
            result = plan_year(
                rel.id,
                today(),
                actor=f"staff-{current_user.staff_id}",
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ScheduleError as error:
            flash(str(error))
        else:
            count = len(result.created)
            flash(
                f"Planned {count} session{'s' if count != 1 else ''} for the next 12 months."
                if count
                else "The next 12 months are already planned; nothing new was added.",
                "success",
            )
    return redirect(url_for("sessions.schedule", relationship_id=rel.id))


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@rule(session_party)
def cancel(session_id: int):
    row = session_queries.session_as_party(current_user, session_id)
    rel = row.supervision_relationship
    if row.status != SessionStatus.PLANNED:
        flash("This session is not planned any more, so it cannot be cancelled.")
        return redirect(url_for("sessions.schedule", relationship_id=rel.id))
    form = CancelForm()
    if form.validate_on_submit():
        end_read()
        try:
            result = cancel_session(
                row.id,
                form.reason.data,
                current_user.staff_id,
                on=today(),
                actor_user_id=current_user.user_id,
                session_factory=session_factory(),
            )
        except ScheduleError as error:
            flash(str(error))
        else:
            flash(f"The session is cancelled and moved to {long_date(result.moved_to)}.", "success")
        return redirect(url_for("sessions.schedule", relationship_id=rel.id))
    return render_template("sessions/cancel.html", form=form, session=row, relationship=rel)


# --- from an inbox task to its form --------------------------------------------------


@bp.route("/tasks/<int:task_id>/supervision")
@rule(task_assignee)
def from_task(task_id: int):
    """Send a session, record or case task to the form that completes it.
    Keys: session:{rel}:{due}, asye-reflective:{rel}:{due}, development:{rel}:{due},
    record:{rel}:{held_on}, late-reason:{rel}:{held_on}, case:{case}:{due},
    record:case:{case}:{day}, record:decision:{case}:{day}."""
    task = queries.task_for_assignee(current_user, task_id)
    day = task.key.rsplit(":", 1)[-1]
    if task.kind in ("supervision", "asye_reflective_supervision", "development"):
        if task.relationship_id is None:
            abort(404)
        kind = "asye_reflective" if task.kind == "asye_reflective_supervision" else "individual"
        return redirect(
            url_for("sessions.new", relationship_id=task.relationship_id, kind=kind, task=task.id)
        )
    if task.kind in ("record", "late_reason") and task.relationship_id is not None:
        return redirect(
            url_for("sessions.open_record", relationship_id=task.relationship_id, held_on=day)
        )
    if task.kind == "record_countersign" and task.relationship_id is not None:
        # record-countersign:{rel}:{held_on}:v{version}
        held_on, version = task.key.split(":")[-2], task.key.rsplit(":v", 1)[-1]
        row = session_queries.held_on_day(task.relationship_id, date.fromisoformat(held_on))
        if row is None or str(row.record_version) != version:
            abort(404)
        return redirect(url_for("sessions.countersign", session_id=row.id))
    if task.kind == "case_supervision":
        return redirect(url_for("cases.supervise", case_ref=task.subject, task=task.id))
    if task.kind in ("case_record", "decision_record"):
        return redirect(url_for("cases.recorded", case_ref=task.subject, on=day))
    abort(404)
