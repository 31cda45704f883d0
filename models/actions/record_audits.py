"""Audits of a supervisor's supervision records (policy/rules/record_audit.py):
their line manager answers the council's checklist (record_audit.yaml in the
profile folder) and writes the findings; where the council asks (Wokingham),
the supervisor then confirms the audit was discussed with them. Each is one
transaction, ended by unit_of_work.finish_action: the human task completed,
the supervisor's record-audit obligations reconciled, announced and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.answers import answered, earliest_open
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.permissions import may_oversee
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.org import Organisation, StaffMember
from models.tables.record_audit import SupervisionRecordAudit
from policy import kinds, load_profile
from policy.dates import long_date
from policy.forms.record_audit import RecordAuditForm
from policy.keys import staff_fact_id

__all__ = ["RecordAuditResult", "checklist_of", "confirm_audit_discussed", "record_audit"]

FINDINGS_LIMIT = 4000
NOTE_LIMIT = 2000
AUDIT_KIND, DISCUSS_KIND = "record_audit", "record_audit_discuss"


@dataclass(frozen=True)
class RecordAuditResult:
    audit_id: int
    completed_task_id: int | None
    next_task_ids: tuple[int, ...]


def checklist_of(profile: str) -> RecordAuditForm | None:
    """The council's audit checklist, if its policy audits supervision records."""
    return load_profile(profile).document("record_audit")


def record_audit(
    *,
    supervisor_id: int,
    auditor_staff_id: int,
    audited_on: date,
    answers: dict[str, str],
    findings: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> RecordAuditResult:
    """A manager who oversees the supervisor (their line manager, or their own
    supervisor) records the audit of the supervisor's records: every checklist
    question answered, the findings written."""
    findings = (findings or "").strip()
    factory = session_factory or get_sessionmaker()
    try:
        with factory() as session, session.begin():
            supervisor, form = _locked_supervisor(session, supervisor_id)
            if auditor_staff_id == supervisor_id or not may_oversee(
                session, auditor_staff_id, supervisor_id, on
            ):
                raise NotPermitted(
                    f"Only a manager of {supervisor.name} can audit their supervision records."
                )
            _check_audit(session, supervisor, form, audited_on, answers, findings, on)
            stored = {q.id: answers[q.id] for q in form.questions}
            audit = SupervisionRecordAudit(
                organisation_id=supervisor.organisation_id,
                supervisor_id=supervisor_id,
                auditor_id=auditor_staff_id,
                audited_on=audited_on,
                answers=stored,
                shortfalls=form.shortfalls(stored),
                findings=findings,
                discussion_note="",
            )
            session.add(audit)
            session.flush()
            task = earliest_open(
                session, supervisor.organisation_id, staff_fact_id(supervisor_id), AUDIT_KIND
            )
            done = _finish(session, supervisor, audit, auditor_staff_id, actor_user_id, on, task)
            return RecordAuditResult(audit.id, task.id if task else None, done.next_task_ids)
    except IntegrityError:
        # Two audits sent at once for the same day: the unique key kept one.
        raise AlreadySigned("An audit of these records on that day is already recorded.") from None


def confirm_audit_discussed(
    *,
    audit_id: int,
    supervisor_staff_id: int,
    discussed_on: date,
    note: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> RecordAuditResult:
    """The supervisor confirms the audit was discussed with them (Wokingham:
    "discussed with the supervisor and placed on the supervisor's file")."""
    note = (note or "").strip()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        audit = session.get(SupervisionRecordAudit, audit_id)
        if audit is None:
            raise ActionError("That audit does not exist.")
        supervisor, _form = _locked_supervisor(session, audit.supervisor_id)
        session.refresh(audit)
        if supervisor_staff_id != audit.supervisor_id:
            raise NotPermitted("Only the supervisor whose records were audited confirms this.")
        if audit.discussed_on is not None:
            raise AlreadySigned(
                f"You confirmed this audit was discussed on {audit.discussed_on:%-d %B %Y}."
            )
        if discussed_on > on or discussed_on < audit.audited_on:
            raise ActionError(
                "The date of the discussion must be on or after the audit and not in the future."
            )
        if len(note) > NOTE_LIMIT:
            raise ActionError(f"The note must be {NOTE_LIMIT} characters or fewer.")
        audit.discussed_on, audit.discussion_note = discussed_on, note
        task = earliest_open(
            session, supervisor.organisation_id, staff_fact_id(supervisor.id), DISCUSS_KIND
        )
        done = finish_action(
            session,
            Finish(
                organisation_id=supervisor.organisation_id,
                actor_staff_id=supervisor_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                completed=answered(task),
                subjects={staff_fact_id(supervisor.id)},
                lifecycles=kinds.kind(DISCUSS_KIND).lifecycles,
                event=events.RECORD_AUDIT_DISCUSSED,
                subject_id=supervisor.id,
                payload={"record_audit_id": audit.id},
                audit=Audit(
                    "discuss",
                    "supervision_record_audit",
                    audit.id,
                    supervisor.id,
                    f"Confirmed the audit of {long_date(audit.audited_on)} was discussed",
                ),
            ),
        )
        return RecordAuditResult(audit.id, task.id if task else None, done.next_task_ids)


def _locked_supervisor(session: Session, staff_id: int) -> tuple[StaffMember, RecordAuditForm]:
    supervisor = session.get(StaffMember, staff_id)
    if supervisor is None:
        raise ActionError("That member of staff does not exist.")
    lock_organisation(session, supervisor.organisation_id)
    form = checklist_of(session.get(Organisation, supervisor.organisation_id).profile)
    if form is None:
        raise ActionError("This council's policy does not ask for audits of supervision records.")
    return supervisor, form


def _check_audit(session, supervisor, form, audited_on, answers, findings, on) -> None:
    if audited_on > on:
        raise ActionError("The date of the audit must be today or in the past.")
    if audited_on < on - relativedelta(years=1):
        raise ActionError("The date of the audit must be within the last year.")
    unanswered = [
        n for n, q in enumerate(form.questions, 1) if form.answer(answers.get(q.id, "")) is None
    ]
    if unanswered:
        raise ActionError(f"Answer question {unanswered[0]} of the checklist.")
    if not findings:
        raise ActionError(form.findings_message + ".")
    if len(findings) > FINDINGS_LIMIT:
        raise ActionError(f"The findings must be {FINDINGS_LIMIT} characters or fewer.")
    existing = session.scalar(
        select(SupervisionRecordAudit.id).where(
            SupervisionRecordAudit.supervisor_id == supervisor.id,
            SupervisionRecordAudit.audited_on == audited_on,
        )
    )
    if existing is not None:
        raise AlreadySigned("An audit of these records on that day is already recorded.")


def _finish(session, supervisor, audit, auditor_id, actor_user_id, on, task):
    return finish_action(
        session,
        Finish(
            organisation_id=supervisor.organisation_id,
            actor_staff_id=auditor_id,
            actor_user_id=actor_user_id,
            on=on,
            completed=answered(task),
            subjects={staff_fact_id(supervisor.id)},
            lifecycles=kinds.kind(AUDIT_KIND).lifecycles,
            event=events.RECORD_AUDIT_RECORDED,
            subject_id=supervisor.id,
            payload={"record_audit_id": audit.id, "shortfalls": audit.shortfalls},
            audit=Audit(
                "create",
                "supervision_record_audit",
                audit.id,
                supervisor.id,
                f"Audited the supervision records ({audit.shortfalls} shortfall(s))",
            ),
        ),
    )
