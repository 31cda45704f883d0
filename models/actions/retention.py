"""Deleting a leaver's supervision records when the profile's retention period
is over.

Nottingham 001 §3.5: "Upon the employee leaving Nottingham City Council their
supervision records will be retained electronically for a period of five
years, following which, they will be removed and deleted from all systems."
Which people are due comes from the engine's "retention" obligations, so only
a profile with the rule (retention.deletion) deletes anything, and the period
is the profile's.

What is deleted, for each person whose period is over: the supervision
sessions in which they were supervised (with their signatures and agreed
actions), their supervision agreements (with signatures), the observations of
them (with signatures), their annual review questionnaires, their group supervision attendance
(Bristol §6.5 records it in the personal supervision record), the audits of
their own supervision file (supervision_record_audit where they were the
supervisor audited: Appendix 6's checklist is "added to the supervision file"),
the missed sessions they raised about their own supervision (missed_session,
with its escalation and response), and the payloads of their closed human
tasks. What is kept:

- Case supervision (models.tables.cases.CaseSupervision): §3.2-3.3, "The case
  consultation discussion document should be separated from the main
  supervision document and placed on the relevant child's case file ... These
  documents will then be subject to the retention guidance relating to child
  protection, child in need and looked after children." They belong to the
  child's file, so they are detached from the deleted session, not deleted.
- Records where they were the supervisor: those are their supervisees'
  records, on their supervisees' clocks. Likewise audits they carried out of
  another supervisor's file, and missed sessions they responded to as a line
  manager: those sit on the other person's file.
- Management oversight entries (models.tables.case_oversight, Wokingham
  standards 25-27), including those the leaver recorded: they are written on
  the child's record, so, like case consultation (§3.2-3.3), they follow the
  child's file and its retention, not the worker's.
- Group supervision agreements (models.tables.group_agreement; Lancashire Appendix
  A): the group's record, signed by everyone in it, not the leaver's own; their
  name and signature stay on the versions they signed, as on the paper form.
- The supervision relationship rows (who supervised whom, and when), the staff
  row itself and registration checks: employment facts, not supervision
  records; the council's HR retention schedule governs them.

Each person is one transaction: the deletions, staff_member.records_deleted_on,
the completed retention human task and an audit entry (counts by type, never
content) commit together or not at all. A run killed half-way leaves each
person either fully done or untouched; running again finishes the rest and
does nothing to those already done."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.form_steps import open_task_by_key
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.engine.unit_obligations import obligations_for_units
from models.tables.cases import CaseSupervision
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.mail import MailMessage, Notification
from models.tables.missed_session import MissedSession
from models.tables.org import Organisation, StaffMember
from models.tables.oversight import Observation, ObservationSignature, ReviewQuestionnaire
from models.tables.record_audit import SupervisionRecordAudit
from models.tables.supervision import (
    AgreementSignature,
    GroupSupervisionAttendance,
    SessionAction,
    SessionRecordVersion,
    SessionSignature,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import keys
from policy.dates import long_date
from policy.keys import parse_fact_id, staff_fact_id
from policy.obligations import ObligationStatus
from policy.units import person

DEFAULT_BATCH_SIZE = 50
LIFECYCLES = frozenset({"retention"})


@dataclass
class RetentionResult:
    deleted: dict[int, dict[str, int]] = field(default_factory=dict)  # staff id -> counts
    skipped: list[int] = field(default_factory=list)  # due, but done by someone else meanwhile


def due_for_deletion(
    session: Session, organisation_id: int, as_of: date, staff_ids: Collection[int] | None = None
) -> list[int]:
    """Staff ids (of everyone, or of `staff_ids`) whose retention period ended
    before as_of and whose records are not yet deleted, from the engine's
    retention obligations. One person's deletion asks about them alone: asking
    about every leaver for each would grow with the square of the leavers."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise LookupError(f"No organisation with id {organisation_id}")
    query = select(StaffMember.id).where(
        StaffMember.organisation_id == organisation_id,
        StaffMember.left_on.is_not(None),
        StaffMember.records_deleted_on.is_(None),
    )
    if staff_ids is not None:
        query = query.where(StaffMember.id.in_(list(staff_ids)))
    leavers = session.scalars(query)
    obligations = obligations_for_units(
        session,
        organisation_id,
        [person(staff_fact_id(i)) for i in leavers],
        as_of,
        lifecycles={"retention"},
    )
    ids = [
        parse_fact_id(o.subject, "staff")
        for o in obligations
        if o.kind == "retention" and o.status != ObligationStatus.MET and o.due < as_of
    ]
    return sorted(i for i in ids if i is not None)


def delete_expired_records(
    organisation_id: int,
    as_of: date,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    session_factory: sessionmaker | None = None,
    after_person: Callable[[int], None] | None = None,
) -> RetentionResult:
    """Delete the supervision records of everyone in the organisation whose
    retention period is over. Finds them in batches, and deletes each person
    in a transaction of their own. `after_person` is called with each staff id
    once their transaction has committed (progress reporting; tests use it to
    stop a run half-way)."""
    factory = session_factory or get_sessionmaker()
    result = RetentionResult()
    done: set[int] = set()
    while True:
        with factory() as session:
            due = [i for i in due_for_deletion(session, organisation_id, as_of) if i not in done]
        if not due:
            return result
        for staff_id in due[:batch_size]:
            done.add(staff_id)
            counts = delete_person_records(
                organisation_id, staff_id, as_of, session_factory=factory
            )
            if counts is None:
                result.skipped.append(staff_id)
            else:
                result.deleted[staff_id] = counts
            if after_person is not None:
                after_person(staff_id)


def delete_person_records(
    organisation_id: int,
    staff_id: int,
    as_of: date,
    *,
    session_factory: sessionmaker | None = None,
) -> dict[str, int] | None:
    """One person, one transaction. None if there was nothing to do (already
    deleted, or not due: the check is repeated under the organisation lock)."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        lock_organisation(session, organisation_id)
        person = session.get(StaffMember, staff_id)
        if person is None or person.organisation_id != organisation_id:
            return None
        session.refresh(person)
        if person.records_deleted_on is not None:
            return None
        if staff_id not in due_for_deletion(session, organisation_id, as_of, [staff_id]):
            return None
        counts = _delete(session, person)
        person.records_deleted_on = as_of
        subject = staff_fact_id(staff_id)
        task = open_task_by_key(session, organisation_id, keys.build("retention", staff=subject))
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        finish_action(
            session,
            Finish(
                organisation_id=organisation_id,
                actor_staff_id=None,
                actor_user_id=None,
                on=as_of,
                completed=[task] if task else [],
                subjects={subject},
                lifecycles=LIFECYCLES,
                event=events.RETENTION_DELETED,
                subject_id=staff_id,
                payload={"staff_id": staff_id, "counts": counts},
                audit=Audit(
                    "delete",
                    "staff_member",
                    staff_id,
                    staff_id,
                    f"Supervision records deleted on {long_date(as_of)} under the retention "
                    f"rule (left on {long_date(person.left_on)}): {summary}",
                ),
                closed_reason="records deleted",
            ),
        )
        return counts


def _delete(session: Session, person: StaffMember) -> dict[str, int]:
    """Set-based deletes, children first; returns the number of rows by type."""
    records = _Records.of(session, person)
    counts = _counts(session, records)
    # Materialised first: deleting the notifications changes what the subquery finds.
    mail_ids = list(session.scalars(records.mail_ids))

    def run(statement) -> int:
        return session.execute(statement.execution_options(synchronize_session=False)).rowcount

    for statement in _deletions(records, person, mail_ids):
        run(statement)
    counts["task_payloads"] = _clear_closed_task_payloads(session, records, run)
    session.expire_all()
    return counts


@dataclass(frozen=True)
class _Records:
    """The selections of a leaver's supervision records (subqueries, not rows)."""

    person_id: int
    relationships: list[int]  # a person's few, read first (see _about)
    sessions: Select
    agreements: Select
    observations: Select
    tasks: Select  # human tasks about them or their supervision
    mail_ids: Select  # mail to them, or about their human tasks

    @classmethod
    def of(cls, session: Session, person: StaffMember) -> _Records:
        rel_ids = list(
            session.scalars(
                select(SupervisionRelationship.id).where(
                    SupervisionRelationship.supervisee_id == person.id
                )
            )
        )
        task_ids = select(HumanTask.id).where(_about(person.id, rel_ids))
        return cls(
            person_id=person.id,
            relationships=rel_ids,
            sessions=select(SupervisionSession.id).where(
                SupervisionSession.relationship_id.in_(rel_ids)
            ),
            agreements=select(SupervisionAgreement.id).where(
                SupervisionAgreement.relationship_id.in_(rel_ids)
            ),
            observations=select(Observation.id).where(Observation.staff_id == person.id),
            tasks=task_ids,
            mail_ids=select(MailMessage.id).where(
                (MailMessage.recipient_id == person.id)
                | MailMessage.id.in_(
                    select(Notification.mail_id).where(Notification.human_task_id.in_(task_ids))
                )
            ),
        )


def _about(person_id: int, rel_ids: list[int]):
    """The human tasks about this person or their supervision. The
    relationships are ids, not a subquery: PostgreSQL answers an OR of two
    indexed columns from both indexes only when each side is a value or a
    list (ix_human_task_subject_staff_id, ix_human_task_relationship_id);
    beside a subquery it reads every task ever raised."""
    return (HumanTask.subject_staff_id == person_id) | (HumanTask.relationship_id.in_(rel_ids))


def _counts(session: Session, r: _Records) -> dict[str, int]:
    """What will be deleted, by type (the audit entry's summary: counts, never content)."""
    counted = {
        "supervision_sessions": (SupervisionSession, SupervisionSession.id.in_(r.sessions)),
        "session_signatures": (SessionSignature, SessionSignature.session_id.in_(r.sessions)),
        "session_record_versions": (
            SessionRecordVersion,
            SessionRecordVersion.session_id.in_(r.sessions),
        ),
        "session_actions": (SessionAction, SessionAction.session_id.in_(r.sessions)),
        "agreements": (SupervisionAgreement, SupervisionAgreement.id.in_(r.agreements)),
        "agreement_signatures": (
            AgreementSignature,
            AgreementSignature.agreement_id.in_(r.agreements),
        ),
        "observations": (Observation, Observation.id.in_(r.observations)),
        "observation_signatures": (
            ObservationSignature,
            ObservationSignature.observation_id.in_(r.observations),
        ),
        "review_questionnaires": (
            ReviewQuestionnaire,
            ReviewQuestionnaire.relationship_id.in_(r.relationships),
        ),
        "group_supervision_attendance": (
            GroupSupervisionAttendance,
            GroupSupervisionAttendance.staff_id == r.person_id,
        ),
        "record_audits": (
            SupervisionRecordAudit,
            SupervisionRecordAudit.supervisor_id == r.person_id,
        ),
        "missed_sessions": (MissedSession, MissedSession.relationship_id.in_(r.relationships)),
        "mail_messages": (MailMessage, MailMessage.id.in_(r.mail_ids)),
    }
    return {
        name: session.scalar(select(func.count()).select_from(model).where(where)) or 0
        for name, (model, where) in counted.items()
    }


def _deletions(r: _Records, person: StaffMember, mail_ids: list[int]) -> list:
    """The statements, children before the rows they point at."""
    statements = [
        # Case supervision stays with the child's file (§3.2-3.3): detach, don't delete.
        update(CaseSupervision)
        .where(CaseSupervision.session_id.in_(r.sessions))
        .values(session_id=None),
        update(SessionAction)
        .where(SessionAction.reviewed_in_session_id.in_(r.sessions))
        .values(reviewed_in_session_id=None),
        update(SupervisionSession)
        .where(SupervisionSession.rescheduled_from_id.in_(r.sessions))
        .values(rescheduled_from_id=None),
        delete(SessionRecordVersion).where(SessionRecordVersion.session_id.in_(r.sessions)),
        delete(SessionSignature).where(SessionSignature.session_id.in_(r.sessions)),
        delete(SessionAction).where(SessionAction.session_id.in_(r.sessions)),
        delete(SupervisionSession).where(SupervisionSession.id.in_(r.sessions)),
        delete(AgreementSignature).where(AgreementSignature.agreement_id.in_(r.agreements)),
        delete(SupervisionAgreement).where(SupervisionAgreement.id.in_(r.agreements)),
        delete(ObservationSignature).where(ObservationSignature.observation_id.in_(r.observations)),
        delete(Observation).where(Observation.id.in_(r.observations)),
        delete(ReviewQuestionnaire).where(ReviewQuestionnaire.relationship_id.in_(r.relationships)),
        delete(GroupSupervisionAttendance).where(GroupSupervisionAttendance.staff_id == person.id),
        delete(SupervisionRecordAudit).where(SupervisionRecordAudit.supervisor_id == person.id),
        delete(MissedSession).where(MissedSession.relationship_id.in_(r.relationships)),
    ]
    if mail_ids:
        statements += [
            delete(Notification).where(Notification.mail_id.in_(mail_ids)),
            delete(MailMessage).where(MailMessage.id.in_(mail_ids)),
        ]
    return statements


def _clear_closed_task_payloads(session: Session, r: _Records, run) -> int:
    """Empty the payloads of their closed human tasks (what a form step
    carried); the tasks themselves stay, as the trail of what was done."""
    # JSON has no equality operator on PostgreSQL, so the non-empty payloads
    # are picked out here rather than in the WHERE clause.
    closed = session.execute(
        select(HumanTask.id, HumanTask.payload).where(
            _about(r.person_id, r.relationships), HumanTask.status.not_in(OPEN_STATUSES)
        )
    ).all()
    with_payload = [task_id for task_id, payload in closed if payload]
    if with_payload:
        run(update(HumanTask).where(HumanTask.id.in_(with_payload)).values(payload={}))
    return len(with_payload)
