"""The supervision record once written: the supervisee countersigns it, the
supervisor amends it as a new version; and the end every session action
shares (`finish_session`).

Both parties sign the record (Nottingham 001_223e21d801bb36c8.txt §1.10,
§2.6; Wokingham 003 "Recording Supervision"), each once per version, through
models/actions/signing.sign. A signed version is never edited: an amendment
archives it (SessionRecordVersion) and starts the next version, which both
sign again.

The supervisee's countersignature is the engine's `record_countersign`
obligation (lifecycle `recording`, key record-countersign:{rel}:{held_on}:v{n})
where the profile's document has both parties sign; the reconcile in each
action's transaction creates, completes or cancels it."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.answers import answered, task_by_key
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.permissions import check_may_record
from models.actions.signing import sign
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.base import utcnow
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.events import Event
from models.tables.human_task import HumanTask, HumanTaskStatus
from models.tables.supervision import (
    RecordStatus,
    SessionAction,
    SessionRecordVersion,
    SessionSignature,
    SessionStatus,
    SignatoryParty,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import keys, kinds
from policy.dates import long_date
from policy.keys import relationship_fact_id

# The lifecycles whose obligations the record's countersignature, sharing and
# amendment change.
RECORD_LIFECYCLES = frozenset(kinds.kind("record_countersign").lifecycles)
SIGNED = (RecordStatus.AWAITING_COUNTERSIGNATURE, RecordStatus.SIGNED)


@dataclass(frozen=True)
class SessionResult:
    session_id: int
    record_status: RecordStatus
    version: int
    completed_task_ids: tuple[int, ...]
    next_task_ids: tuple[int, ...]


def countersign_record(
    *,
    session_id: int,
    signer_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> SessionResult:
    """The supervisee signs the record the supervisor signed (Nottingham §2.6:
    "Both supervisor and supervisee must sign the Supervision Record to confirm
    it is an accurate reflection of what has been discussed and agreed")."""
    already = "You have already countersigned this record."
    with (session_factory or get_sessionmaker())() as session, session.begin():
        row, rel = locked_session(session, session_id)
        if rel.supervisee_id != signer_staff_id:
            raise NotPermitted("Only the supervisee in this relationship can countersign it.")
        if row.record_status == RecordStatus.SIGNED:
            raise AlreadySigned(already)
        if row.record_status != RecordStatus.AWAITING_COUNTERSIGNATURE:
            raise ActionError("There is no record waiting for your countersignature.")
        sign_record(session, row, SignatoryParty.SUPERVISEE, signer_staff_id, on, already)
        row.record_status = RecordStatus.SIGNED
        task = task_by_key(session, rel.supervisee.organisation_id, countersign_key(rel.id, row))
        return finish_session(
            session,
            rel,
            row,
            completed=answered(task),
            staff_id=signer_staff_id,
            actor_user_id=actor_user_id,
            event=events.SESSION_RECORD_COUNTERSIGNED,
            action="sign",
            on=on,
        )


def share_record(
    *,
    session_id: int,
    by_staff_id: int,
    shared_on: date,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> SessionResult:
    """Record the day the record was shared with (copied to) the supervisee,
    apart from the day it was written (Lancashire §1.8, Bristol Appendix 1,
    North West "notes copied to the individual"): a copy given outside
    Oversight before the supervisor signed it here. Meets `record_shared`."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        row, rel = locked_session(session, session_id)
        check_may_record(session, rel, by_staff_id, on, row.held_on)
        if row.status != SessionStatus.HELD or row.held_on is None:
            raise ActionError("Only the record of a session that was held can be shared.")
        if row.shared_on is not None:
            raise ActionError(
                f"This record was already shared with the supervisee on {long_date(row.shared_on)}."
            )
        if not row.held_on <= shared_on <= on:
            raise ActionError(
                "The date it was shared must be on or after the day the session was held "
                f"({long_date(row.held_on)}) and not in the future."
            )
        row.shared_on = shared_on
        key = keys.build(
            "record_shared", relationship=relationship_fact_id(rel.id), day=row.held_on
        )
        return finish_session(
            session,
            rel,
            row,
            completed=answered(task_by_key(session, rel.supervisee.organisation_id, key)),
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event=events.SESSION_RECORD_SHARED,
            action="share",
            on=on,
            detail=f"Shared with the supervisee on {long_date(shared_on)}",
        )


def amend_record(
    *,
    session_id: int,
    by_staff_id: int,
    reason: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> SessionResult:
    """Start a new version of a signed record. The signed version is archived as
    it was; the new one is a draft the supervisor edits and signs, then the
    supervisee countersigns again. An open countersignature of the old version
    is cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionError("Enter why the record needs to be amended.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        row, rel = locked_session(session, session_id)
        check_may_record(session, rel, by_staff_id, on, row.held_on)
        if row.record_status not in SIGNED:
            raise ActionError(
                "This record is still a draft: change it and sign it; there is nothing to amend."
            )
        _archive(session, row, reason)
        old = task_by_key(session, rel.supervisee.organisation_id, countersign_key(rel.id, row))
        if old is not None and old.is_open:
            old.status = HumanTaskStatus.CANCELLED
            old.completed_at = utcnow()
            old.closed_reason = f"replaced by version {row.record_version + 1}"
        row.record_version += 1
        row.record_status = RecordStatus.DRAFT
        return finish_session(
            session,
            rel,
            row,
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event=events.SESSION_RECORD_AMENDED,
            action="amend",
            on=on,
            detail=f"Amendment: {reason}",
        )


def _archive(session: Session, row: SupervisionSession, reason: str) -> None:
    """Keep the signed version as it was signed, with its actions."""
    actions = [
        {
            "description": a.description,
            "owner_id": a.owner_id,
            "due_on": a.due_on.isoformat() if a.due_on else None,
        }
        for a in row.actions
    ]
    session.add(
        SessionRecordVersion(
            session_id=row.id,
            version=row.record_version,
            held_on=row.held_on,
            duration_minutes=row.duration_minutes,
            late_reason=row.late_reason,
            development_discussed=row.development_discussed,
            record={**(row.record or {}), "actions": actions},
            amended_reason=reason,
        )
    )


def sign_record(
    session: Session,
    row: SupervisionSession,
    party: SignatoryParty,
    staff_id: int,
    on: date,
    already: str,
) -> None:
    """One party's signature on the record's current version, once."""
    sign(
        session,
        SessionSignature,
        staff_id=staff_id,
        on=on,
        already=already,
        session_id=row.id,
        version=row.record_version,
        party=party,
    )


def countersign_key(relationship_id: int, row: SupervisionSession) -> str:
    """The key of the supervisee's countersignature of the record's current version."""
    return keys.build(
        "record_countersign",
        relationship=relationship_fact_id(relationship_id),
        day=row.held_on or "undated",
        version=row.record_version,
    )


def previous_actions(session: Session, relationship_id: int, before: SupervisionSession | None):
    """Actions from earlier sessions of this relationship still to review: not
    reviewed yet, or reviewed in `before` itself (a draft being edited)."""
    query = (
        select(SessionAction)
        .join(SupervisionSession, SupervisionSession.id == SessionAction.session_id)
        .where(
            SupervisionSession.relationship_id == relationship_id,
            SupervisionSession.status == SessionStatus.HELD,
        )
        .order_by(SupervisionSession.held_on, SessionAction.id)
    )
    if before is not None and before.id is not None:
        query = query.where(SessionAction.session_id != before.id)
        if before.held_on is not None:
            query = query.where(SupervisionSession.held_on <= before.held_on)
        query = query.where(
            (SessionAction.reviewed_in_session_id.is_(None))
            | (SessionAction.reviewed_in_session_id == before.id)
        )
    else:
        query = query.where(SessionAction.reviewed_in_session_id.is_(None))
    return list(session.scalars(query))


def locked_relationship(session: Session, relationship_id: int) -> SupervisionRelationship:
    """The relationship, under its organisation's lock."""
    rel = session.get(SupervisionRelationship, relationship_id)
    if rel is None:
        raise ActionError("That supervision relationship does not exist.")
    lock_organisation(session, rel.supervisee.organisation_id)
    session.refresh(rel)
    return rel


def locked_session(session: Session, session_id: int):
    """The session and its relationship, under the organisation's lock."""
    row = session.get(SupervisionSession, session_id)
    if row is None:
        raise ActionError("That supervision session does not exist.")
    rel = row.supervision_relationship
    lock_organisation(session, rel.supervisee.organisation_id)
    session.refresh(row)
    return row, rel


def finish_session(
    session: Session,
    rel: SupervisionRelationship,
    row: SupervisionSession,
    *,
    staff_id: int,
    actor_user_id: int | None,
    event: Event,
    action: str,
    on: date,
    completed: Iterable[HumanTask] = (),
    subjects: Collection[str] = (),
    lifecycles: Collection[str] = RECORD_LIFECYCLES,
    detail: str = "",
) -> SessionResult:
    """The end of a session action (unit_of_work.finish_action), announced
    about the relationship and audited against the supervisee. The subjects
    reconciled are the relationship's unless the action names more."""
    session.flush()
    done = finish_action(
        session,
        Finish(
            organisation_id=rel.supervisee.organisation_id,
            actor_staff_id=staff_id,
            actor_user_id=actor_user_id,
            on=on,
            completed=completed,
            subjects=subjects or {relationship_fact_id(rel.id)},
            lifecycles=lifecycles,
            event=event,
            subject_id=rel.id,
            payload={
                "relationship_id": rel.id,
                "session_id": row.id,
                "version": row.record_version,
            },
            audit=Audit(
                action,
                "supervision_session",
                row.id,
                rel.supervisee_id,
                detail or f"{event.name} (version {row.record_version})",
            ),
        ),
    )
    return SessionResult(
        session_id=row.id,
        record_status=row.record_status,
        version=row.record_version,
        completed_task_ids=done.completed_task_ids,
        next_task_ids=done.next_task_ids,
    )
