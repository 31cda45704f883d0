"""The record form's page, between the form and the action: filling the form
from a session (or the council's defaults), reading the record's input back
from it, the checks only the whole form can make, and the late question."""

from __future__ import annotations

from datetime import date

from flask_login import current_user
from sqlalchemy import select

from models import CaseSupervision, SessionKind, SessionStatus
from models.actions.case_supervision import CaseDiscussion
from models.actions.sessions import ActionReview, NewAction, RecordInput
from models.engine.unit_obligations import supervisee_history
from policy import schedule as planning
from policy.forms.record_form import Agenda
from policy.keys import relationship_fact_id
from policy.profile import Profile
from webapp.database import db_session
from webapp.dates import long_date, today

DOUBLE_SUBMIT_MESSAGE = "This record was already signed; it has been signed once."
KIND_LABELS = {
    SessionKind.INDIVIDUAL: "One-to-one supervision",
    SessionKind.ASYE_REFLECTIVE: "ASYE reflective supervision",
}


def wtforms_error_list(form) -> list[dict]:
    """The form's errors as a GOV.UK error summary's list."""
    from govuk_frontend_wtf.main import wtforms_errors

    return wtforms_errors(form)["errorList"] if form.errors else []


def error_list_with_date(form, date_field: str) -> list[dict]:
    """The form's errors, a date's linked to its first box (day), which takes the focus."""
    return [
        {**e, "href": f"#{date_field}-day"} if e.get("href") == f"#{date_field}" else e
        for e in wtforms_error_list(form)
    ]


def action_owners(rel) -> list[tuple[str, str]]:
    """Who may own an action: either party, or the colleague covering for the supervisor."""
    owners = [("", "Select who"), (str(rel.supervisor_id), rel.supervisor.name)]
    owners.append((str(rel.supervisee_id), rel.supervisee.name))
    if current_user.staff_id not in (rel.supervisor_id, rel.supervisee_id):
        owners.append((str(current_user.staff_id), current_user.name))
    return owners


def late_check(profile: Profile, rel, held_on: date, kind: str, row):
    """Whether a session held on `held_on` was late (Bristol §3.4)."""
    facts = supervisee_history(db_session(), current_user.organisation_id, rel, held_on)
    exclude = [row.held_on] if row is not None and row.held_on else []
    return planning.late_check(
        profile, facts, relationship_fact_id(rel.id), held_on, kind=kind, exclude=exclude
    )


def prefill(form, agenda: Agenda, row, profile: Profile, kind: str) -> None:
    """The form as the session stands, or today and the council's session length."""
    form.duration_minutes.data = str(planning.session_minutes(profile, kind))
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
                "action_id": str(action.id),
                "description": action.description,
                "owner": str(action.owner_id or ""),
                "due_on": action.due_on,
            }
        )
    form.actions.append_entry()
    _prefill_cases(form, row)


def _prefill_cases(form, row) -> None:
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


def match_reviews(form, previous) -> None:
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


def cross_checks(form, check, previous) -> list[dict]:
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


def record_input(form, previous) -> RecordInput:
    """The record as the action takes it, from the submitted form."""
    actions = [
        NewAction(
            description=(e.form.description.data or "").strip(),
            owner_id=int(e.form.owner.data) if (e.form.owner.data or "").isdigit() else None,
            due_on=e.form.due_on.data,
            action_id=int(e.form.action_id.data)
            if (e.form.action_id.data or "").isdigit()
            else None,
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
