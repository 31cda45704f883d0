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
(Bristol §6.5 records it in the personal supervision record), and the payloads
of their closed human tasks. What is kept:

- Case supervision (models.tables.cases.CaseSupervision): §3.2-3.3, "The case
  consultation discussion document should be separated from the main
  supervision document and placed on the relevant child's case file ... These
  documents will then be subject to the retention guidance relating to child
  protection, child in need and looked after children." They belong to the
  child's file, so they are detached from the deleted session, not deleted.
- Records where they were the supervisor: those are their supervisees'
  records, on their supervisees' clocks.
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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from models.actions.mail import MailMessage, Notification
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.engine.unit_obligations import obligations_for_units
from models.tables.audit import AuditEntry
from models.tables.cases import CaseSupervision
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.org import Organisation, StaffMember
from models.tables.outbox import OutboxEvent
from models.tables.oversight import Observation, ObservationSignature, ReviewQuestionnaire
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
from policy.keys import parse_fact_id, staff_fact_id
from policy.obligations import ObligationStatus
from policy.units import person

DEFAULT_BATCH_SIZE = 50


@dataclass
class RetentionResult:
    deleted: dict[int, dict[str, int]] = field(default_factory=dict)  # staff id -> counts
    skipped: list[int] = field(default_factory=list)  # due, but done by someone else meanwhile


def due_for_deletion(session: Session, organisation_id: int, as_of: date) -> list[int]:
    """Staff ids whose retention period ended before as_of and whose records
    are not yet deleted, from the engine's retention obligations."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise LookupError(f"No organisation with id {organisation_id}")
    leavers = session.scalars(
        select(StaffMember.id).where(
            StaffMember.organisation_id == organisation_id,
            StaffMember.left_on.is_not(None),
            StaffMember.records_deleted_on.is_(None),
        )
    )
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
        if staff_id not in due_for_deletion(session, organisation_id, as_of):
            return None
        counts = _delete(session, person)
        person.records_deleted_on = as_of
        session.flush()
        key = f"retention:{staff_fact_id(staff_id)}"
        task = session.scalars(select(HumanTask).where(HumanTask.key == key)).one_or_none()
        if task is not None and task.is_open:
            task.complete(None, "records deleted")
        reconcile_in_session(
            session,
            organisation_id=organisation_id,
            lifecycles={"retention"},
            as_of=as_of,
            subjects={staff_fact_id(staff_id)},
            actor="retention",
        )
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        session.add(
            AuditEntry(
                actor="system",
                action="delete",
                object_type="staff_member",
                object_id=str(staff_id),
                subject_staff_id=staff_id,
                detail=f"Supervision records deleted on {as_of.isoformat()} under the retention "
                f"rule (left on {person.left_on.isoformat()}): {summary}",
            )
        )
        session.add(
            OutboxEvent(
                event="oversight.retention.deleted",
                resource_id=f"oversight.staff.{staff_id}",
                payload={
                    "organisation_id": organisation_id,
                    "staff_id": staff_id,
                    "on": as_of.isoformat(),
                    "counts": counts,
                },
            )
        )
        return counts


def _delete(session: Session, person: StaffMember) -> dict[str, int]:
    """Set-based deletes, children first; returns the number of rows by type."""
    rel_ids = select(SupervisionRelationship.id).where(
        SupervisionRelationship.supervisee_id == person.id
    )
    session_ids = select(SupervisionSession.id).where(
        SupervisionSession.relationship_id.in_(rel_ids)
    )
    agreement_ids = select(SupervisionAgreement.id).where(
        SupervisionAgreement.relationship_id.in_(rel_ids)
    )
    observation_ids = select(Observation.id).where(Observation.staff_id == person.id)
    # Mail to the leaver, or about their human tasks, names them and their work.
    their_task_ids = select(HumanTask.id).where(
        (HumanTask.subject_staff_id == person.id) | (HumanTask.relationship_id.in_(rel_ids))
    )
    mail_ids = select(MailMessage.id).where(
        (MailMessage.recipient_id == person.id)
        | MailMessage.id.in_(
            select(Notification.mail_id).where(Notification.human_task_id.in_(their_task_ids))
        )
    )

    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    counts = {
        "supervision_sessions": count(SupervisionSession, SupervisionSession.id.in_(session_ids)),
        "session_signatures": count(SessionSignature, SessionSignature.session_id.in_(session_ids)),
        "session_record_versions": count(
            SessionRecordVersion, SessionRecordVersion.session_id.in_(session_ids)
        ),
        "session_actions": count(SessionAction, SessionAction.session_id.in_(session_ids)),
        "agreements": count(SupervisionAgreement, SupervisionAgreement.id.in_(agreement_ids)),
        "agreement_signatures": count(
            AgreementSignature, AgreementSignature.agreement_id.in_(agreement_ids)
        ),
        "observations": count(Observation, Observation.id.in_(observation_ids)),
        "observation_signatures": count(
            ObservationSignature, ObservationSignature.observation_id.in_(observation_ids)
        ),
        "review_questionnaires": count(
            ReviewQuestionnaire, ReviewQuestionnaire.relationship_id.in_(rel_ids)
        ),
        "group_supervision_attendance": count(
            GroupSupervisionAttendance, GroupSupervisionAttendance.staff_id == person.id
        ),
        "mail_messages": count(MailMessage, MailMessage.id.in_(mail_ids)),
    }
    # Materialised first: deleting the notifications changes what the subquery finds.
    mail_id_list = list(session.scalars(mail_ids))

    def run(statement) -> int:
        return session.execute(statement.execution_options(synchronize_session=False)).rowcount

    # Case supervision stays with the child's file (§3.2-3.3): detach, don't delete.
    run(
        update(CaseSupervision)
        .where(CaseSupervision.session_id.in_(session_ids))
        .values(session_id=None)
    )
    run(
        update(SessionAction)
        .where(SessionAction.reviewed_in_session_id.in_(session_ids))
        .values(reviewed_in_session_id=None)
    )
    run(
        update(SupervisionSession)
        .where(SupervisionSession.rescheduled_from_id.in_(session_ids))
        .values(rescheduled_from_id=None)
    )
    run(delete(SessionRecordVersion).where(SessionRecordVersion.session_id.in_(session_ids)))
    run(delete(SessionSignature).where(SessionSignature.session_id.in_(session_ids)))
    run(delete(SessionAction).where(SessionAction.session_id.in_(session_ids)))
    run(delete(SupervisionSession).where(SupervisionSession.id.in_(session_ids)))
    run(delete(AgreementSignature).where(AgreementSignature.agreement_id.in_(agreement_ids)))
    run(delete(SupervisionAgreement).where(SupervisionAgreement.id.in_(agreement_ids)))
    run(
        delete(ObservationSignature).where(ObservationSignature.observation_id.in_(observation_ids))
    )
    run(delete(Observation).where(Observation.id.in_(observation_ids)))
    run(delete(ReviewQuestionnaire).where(ReviewQuestionnaire.relationship_id.in_(rel_ids)))
    run(delete(GroupSupervisionAttendance).where(GroupSupervisionAttendance.staff_id == person.id))
    if mail_id_list:
        run(delete(Notification).where(Notification.mail_id.in_(mail_id_list)))
        run(delete(MailMessage).where(MailMessage.id.in_(mail_id_list)))
    # JSON has no equality operator on PostgreSQL, so the non-empty payloads
    # are picked out here rather than in the WHERE clause.
    closed = session.execute(
        select(HumanTask.id, HumanTask.payload).where(
            (HumanTask.subject_staff_id == person.id) | (HumanTask.relationship_id.in_(rel_ids)),
            HumanTask.status.not_in(OPEN_STATUSES),
        )
    ).all()
    with_payload = [task_id for task_id, payload in closed if payload]
    if with_payload:
        run(update(HumanTask).where(HumanTask.id.in_(with_payload)).values(payload={}))
    counts["task_payloads"] = len(with_payload)
    session.expire_all()
    return counts
