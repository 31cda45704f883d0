"""Holding and recording supervision, countersigning and amending the record,
and case supervision (case directions) by case ID.

Each function follows models/actions/agreements.py: one transaction; lock the
organisation; record the fact; complete the human task it answers by its key;
reconcile that subject so the next step is in the next inbox at once; an
outbox row; an audit entry.

The record is the supervisor's to write (Lancashire 000_b775b8e7712f1ef5.txt
§1.8) and both parties sign it (Nottingham 001_223e21d801bb36c8.txt §1.10,
§2.6; Wokingham 003 "Recording Supervision"). A signed version is never
edited: an amendment archives it (SessionRecordVersion) and starts the next
version, which both sign again.

The supervisee's countersignature is the engine's `record_countersign`
obligation (lifecycle `recording`, key record-countersign:{rel}:{held_on}:v{n})
where the profile's document has both parties sign; the reconcile in each
action's transaction creates, completes or cancels it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.base import utcnow
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.engine.unit_obligations import supervisee_history
from models.tables.audit import AuditEntry
from models.tables.cases import CaseAllocation, CaseSupervision, CaseType, check_case_id
from models.tables.human_task import OPEN_STATUSES, HumanTask, HumanTaskStatus
from models.tables.org import Organisation, StaffMember
from models.tables.outbox import OutboxEvent
from models.tables.oversight import CoverArrangement
from models.tables.supervision import (
    RecordStatus,
    SessionAction,
    SessionKind,
    SessionRecordVersion,
    SessionSignature,
    SessionStatus,
    SignatoryParty,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import load_profile
from policy import schedule as planning
from policy.keys import relationship_fact_id

# The engine's lifecycles a recorded session can change, and the case ones.
SESSION_LIFECYCLES = frozenset({"personal_supervision", "asye", "recording", "development"})
CASE_LIFECYCLES = frozenset({"case_supervision", "recording"})

# A planned session within this many days of the day held is the one held.
PLANNED_MATCH_DAYS = 14

_HOLD_KINDS = {
    SessionKind.INDIVIDUAL: "supervision",
    SessionKind.ASYE_REFLECTIVE: "asye_reflective_supervision",
}


@dataclass(frozen=True)
class NewAction:
    description: str
    owner_id: int | None
    due_on: date | None


@dataclass(frozen=True)
class ActionReview:
    action_id: int
    done: bool
    note: str = ""


@dataclass(frozen=True)
class CaseDiscussion:
    case_ref: str
    decision: str = ""
    rationale: str = ""
    next_steps: str = ""
    important_decision: bool = False  # RAG rating, safeguarding or legal (Lancashire §1.8)


@dataclass(frozen=True)
class RecordInput:
    held_on: date
    duration_minutes: int | None
    sections: dict[str, str]
    late_reason: str | None = None
    development_discussed: bool = False
    actions: Sequence[NewAction] = ()
    reviews: Sequence[ActionReview] = ()
    cases: Sequence[CaseDiscussion] = ()
    extra: dict[str, str] = field(default_factory=dict)  # profile questions (group attendance)


@dataclass(frozen=True)
class SessionResult:
    session_id: int
    record_status: RecordStatus
    version: int
    completed_task_ids: tuple[int, ...]
    next_task_ids: tuple[int, ...]


@dataclass(frozen=True)
class CaseResult:
    allocation_id: int | None
    case_supervision_id: int | None
    completed_task_ids: tuple[int, ...]
    next_task_ids: tuple[int, ...]


# --- holding and recording a session -------------------------------------------------


def record_session(
    *,
    relationship_id: int,
    recorder_staff_id: int,
    record: RecordInput,
    sign: bool,
    on: date,
    kind: str = "individual",
    session_id: int | None = None,
    task_key: str | None = None,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> SessionResult:
    """Record that a session was held, with its record, as the supervisor's
    draft or signed by the supervisor (then it is shared with the supervisee,
    who is asked to countersign). `session_id` edits a draft (or a new
    version after an amendment); without it, a planned session near the day
    held becomes the held one, or a new session is made."""
    kind_enum = SessionKind(kind)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        rel = _locked_relationship(session, relationship_id)
        cover = _check_may_record(session, rel, recorder_staff_id, on, record.held_on)
        _check_held_on(rel, record.held_on, on)
        org = session.get(Organisation, rel.supervisee.organisation_id)
        row = _session_to_record(session, rel, kind_enum, record.held_on, session_id)
        facts = supervisee_history(session, org.id, rel, record.held_on)
        check = planning.late_check(
            load_profile(org.profile),
            facts,
            relationship_fact_id(rel.id),
            record.held_on,
            kind=kind,
            exclude=[row.held_on] if row.held_on and row.held_on != record.held_on else (),
        )
        late_reason = (record.late_reason or "").strip() or None
        if check.late and late_reason is None:
            raise ActionError(
                f"{check.question} It has: enter why the session was late "
                "(Bristol §3.4: the reason is recorded in the next session held)."
            )
        # Held first, so a planned row becomes a held one before anything reads it.
        row.status = SessionStatus.HELD
        row.kind = kind_enum
        row.held_on = record.held_on
        row.duration_minutes = record.duration_minutes
        row.late_reason = late_reason if check.late else None
        row.development_discussed = record.development_discussed
        case_refs = _replace_cases(session, org.id, rel, row, record.cases, recorder_staff_id)
        row.record = {
            "sections": dict(record.sections),
            "extra": dict(record.extra),
            "case_refs": case_refs,
            # Who held and recorded it: the supervisor, or the colleague covering
            # for them (the relationship itself does not change).
            "recorded_by": recorder_staff_id,
            "covering_for": rel.supervisor_id if cover is not None else None,
            "late": {
                "question": check.question,
                "late": check.late,
                "since": check.since.isoformat(),
                "due": check.due.isoformat() if check.due else None,
            },
        }
        session.flush()
        _replace_actions(session, row, record.actions)
        _review_previous_actions(session, rel, row, record.reviews)

        completed: list[HumanTask] = []
        hold_kind = _HOLD_KINDS[kind_enum]
        completed += _complete(
            session,
            _task_by_key(session, task_key, kinds={hold_kind, "development"})
            or _earliest_open(session, org.id, relationship_fact_id(rel.id), hold_kind),
            recorder_staff_id,
        )
        for ref in case_refs:
            completed += _complete(
                session, _earliest_open(session, org.id, ref, "case_supervision"), recorder_staff_id
            )
        if sign:
            # Where the document has both parties sign (recording.countersign), the
            # reconcile below puts the countersignature in the supervisee's inbox;
            # elsewhere the supervisor's signature completes the record.
            needs_countersign = load_profile(org.profile).rule("recording.countersign")
            row.record_status = (
                RecordStatus.AWAITING_COUNTERSIGNATURE if needs_countersign else RecordStatus.SIGNED
            )
            # Recorded and shared with the supervisee on the day the supervisor signs
            # (Lancashire §1.8 "shared with them within 2 weeks"; Bristol Appendix 1).
            row.recorded_on = row.recorded_on or on
            row.signatures.append(
                SessionSignature(
                    version=row.record_version,
                    party=SignatoryParty.SUPERVISOR,
                    staff_id=recorder_staff_id,
                    signed_on=on,
                )
            )
            completed += _complete(
                session,
                _task_by_key(
                    session, f"record:{relationship_fact_id(rel.id)}:{row.held_on.isoformat()}"
                ),
                recorder_staff_id,
            )
        else:
            row.record_status = RecordStatus.DRAFT
        return _finish(
            session,
            org,
            rel,
            row,
            subjects={relationship_fact_id(rel.id), *case_refs},
            lifecycles=SESSION_LIFECYCLES | (CASE_LIFECYCLES if case_refs else frozenset()),
            completed=completed,
            staff_id=recorder_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.session.record-signed" if sign else "oversight.session.recorded",
            action="sign" if sign else "create",
            on=on,
        )


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
    with (session_factory or get_sessionmaker())() as session, session.begin():
        row, rel = _locked_session(session, session_id)
        if rel.supervisee_id != signer_staff_id:
            raise NotPermitted("Only the supervisee in this relationship can countersign it.")
        if row.record_status == RecordStatus.SIGNED:
            raise AlreadySigned("You have already countersigned this record.")
        if row.record_status != RecordStatus.AWAITING_COUNTERSIGNATURE:
            raise ActionError("There is no record waiting for your countersignature.")
        row.signatures.append(
            SessionSignature(
                version=row.record_version,
                party=SignatoryParty.SUPERVISEE,
                staff_id=signer_staff_id,
                signed_on=on,
            )
        )
        row.record_status = RecordStatus.SIGNED
        org = session.get(Organisation, rel.supervisee.organisation_id)
        completed = _complete(
            session, _task_by_key(session, countersign_key(rel.id, row)), signer_staff_id
        )
        return _finish(
            session,
            org,
            rel,
            row,
            subjects={relationship_fact_id(rel.id)},
            lifecycles=frozenset({"recording"}),
            completed=completed,
            staff_id=signer_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.session.record-countersigned",
            action="sign",
            on=on,
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
        row, rel = _locked_session(session, session_id)
        _check_may_record(session, rel, by_staff_id, on, row.held_on)
        if row.record_status not in (RecordStatus.AWAITING_COUNTERSIGNATURE, RecordStatus.SIGNED):
            raise ActionError(
                "This record is still a draft: change it and sign it; there is nothing to amend."
            )
        session.add(
            SessionRecordVersion(
                session_id=row.id,
                version=row.record_version,
                held_on=row.held_on,
                duration_minutes=row.duration_minutes,
                late_reason=row.late_reason,
                development_discussed=row.development_discussed,
                record={
                    **(row.record or {}),
                    "actions": [
                        {
                            "description": a.description,
                            "owner_id": a.owner_id,
                            "due_on": a.due_on.isoformat() if a.due_on else None,
                        }
                        for a in row.actions
                    ],
                },
                amended_reason=reason,
            )
        )
        old = session.scalars(
            select(HumanTask).where(HumanTask.key == countersign_key(rel.id, row))
        ).one_or_none()
        if old is not None and old.status in OPEN_STATUSES:
            old.status = HumanTaskStatus.CANCELLED
            old.completed_at = utcnow()
            old.closed_reason = f"replaced by version {row.record_version + 1}"
        row.record_version += 1
        row.record_status = RecordStatus.DRAFT
        org = session.get(Organisation, rel.supervisee.organisation_id)
        return _finish(
            session,
            org,
            rel,
            row,
            subjects={relationship_fact_id(rel.id)},
            lifecycles=frozenset({"recording"}),
            completed=[],
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.session.record-amended",
            action="amend",
            on=on,
            detail=f"Amendment: {reason}",
        )


def countersign_key(relationship_id: int, row: SupervisionSession) -> str:
    held = row.held_on.isoformat() if row.held_on else "undated"
    rel = relationship_fact_id(relationship_id)
    return f"record-countersign:{rel}:{held}:v{row.record_version}"


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


def _locked_relationship(session: Session, relationship_id: int) -> SupervisionRelationship:
    rel = session.get(SupervisionRelationship, relationship_id)
    if rel is None:
        raise ActionError("That supervision relationship does not exist.")
    lock_organisation(session, rel.supervisee.organisation_id)
    session.refresh(rel)
    return rel


def _locked_session(session: Session, session_id: int):
    row = session.get(SupervisionSession, session_id)
    if row is None:
        raise ActionError("That supervision session does not exist.")
    rel = row.supervision_relationship
    lock_organisation(session, rel.supervisee.organisation_id)
    session.refresh(row)
    return row, rel


def _check_held_on(rel: SupervisionRelationship, held_on: date, on: date) -> None:
    if held_on > on:
        raise ActionError("The date the session was held must be today or in the past.")
    if held_on < rel.started_on:
        raise ActionError(
            "The date the session was held must be on or after the supervision relationship "
            f"began ({held_on.isoformat()} is before {rel.started_on.isoformat()})."
        )
    if rel.ended_on is not None and held_on >= rel.ended_on:
        raise ActionError("The session must have been held before the relationship ended.")


def cover_in_force(
    session: Session, absent_staff_id: int, cover_staff_id: int, on: date
) -> CoverArrangement | None:
    """The cover arrangement under which `cover_staff_id` covers for
    `absent_staff_id` on `on`, if there is one."""
    return session.scalars(
        select(CoverArrangement)
        .where(
            CoverArrangement.absent_supervisor_id == absent_staff_id,
            CoverArrangement.cover_supervisor_id == cover_staff_id,
            CoverArrangement.in_force_on(on),
        )
        .order_by(CoverArrangement.starts_on, CoverArrangement.id)
        .limit(1)
    ).one_or_none()


def may_record_for(session: Session, rel: SupervisionRelationship, staff_id: int, on: date) -> bool:
    """Whether this person may record and sign this relationship's supervision
    on `on`: its supervisor, or the colleague covering for them that day
    (Wokingham 003 standards 12-13: while a supervisor is absent "effective
    arrangements are in place for the supervision of the affected staff and
    their work"). Signing the agreement is not in this: it stays between the
    named supervisor and the supervisee."""
    if rel.supervisor_id == staff_id:
        return True
    if rel.supervisee_id == staff_id:
        return False  # covering for their own supervisor does not cover themselves
    return cover_in_force(session, rel.supervisor_id, staff_id, on) is not None


def _check_may_record(
    session: Session,
    rel: SupervisionRelationship,
    staff_id: int,
    on: date,
    held_on: date | None,
) -> CoverArrangement | None:
    """None for the relationship's supervisor; the arrangement for a colleague
    covering for them. A cover supervisor records the sessions held while they
    cover, not one the absent supervisor held before the cover began."""
    if rel.supervisor_id == staff_id:
        return None
    cover = cover_in_force(session, rel.supervisor_id, staff_id, on)
    if rel.supervisee_id == staff_id:
        raise NotPermitted("You cannot record your own supervision, even while covering.")
    if cover is None:
        raise NotPermitted(
            "Only the supervisor in this relationship, or a colleague covering for them while "
            "the cover is in force, can record and sign its sessions."
        )
    if held_on is not None and held_on < cover.starts_on:
        raise NotPermitted(
            f"You are covering from {_long(cover.starts_on)}: you can record sessions held from "
            "then on. A session held before that is for the supervisor to record."
        )
    return cover


def _session_to_record(
    session: Session,
    rel: SupervisionRelationship,
    kind: SessionKind,
    held_on: date,
    session_id: int | None,
) -> SupervisionSession:
    if session_id is not None:
        row = session.get(SupervisionSession, session_id)
        if row is None or row.relationship_id != rel.id:
            raise ActionError("That supervision session does not exist.")
        session.refresh(row)
        if row.record_status in (RecordStatus.AWAITING_COUNTERSIGNATURE, RecordStatus.SIGNED):
            raise AlreadySigned(
                "This record has been signed, so it cannot be changed. Amend it to make a new "
                "version."
            )
        return row
    same_day = session.scalars(
        select(SupervisionSession).where(
            SupervisionSession.relationship_id == rel.id,
            SupervisionSession.kind == kind,
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on == held_on,
        )
    ).first()
    if same_day is not None:
        if same_day.record_status in (RecordStatus.AWAITING_COUNTERSIGNATURE, RecordStatus.SIGNED):
            # A second submission of the same form: it was recorded (and signed) once.
            raise AlreadySigned(
                f"The session held on {held_on.isoformat()} is already recorded and signed."
            )
        return same_day
    planned = session.scalars(
        select(SupervisionSession).where(
            SupervisionSession.relationship_id == rel.id,
            SupervisionSession.kind == kind,
            SupervisionSession.status == SessionStatus.PLANNED,
            SupervisionSession.planned_on.between(
                held_on - timedelta(days=PLANNED_MATCH_DAYS),
                held_on + timedelta(days=PLANNED_MATCH_DAYS),
            ),
        )
    ).all()
    if planned:
        return min(planned, key=lambda s: (abs((s.planned_on - held_on).days), s.id))
    row = SupervisionSession(relationship_id=rel.id, kind=kind, status=SessionStatus.HELD)
    session.add(row)
    return row


def _replace_actions(session: Session, row: SupervisionSession, actions: Iterable[NewAction]):
    for old in list(row.actions):
        session.delete(old)
    session.flush()
    session.expire(row, ["actions"])
    for item in actions:
        if not item.description.strip():
            continue
        session.add(
            SessionAction(
                session_id=row.id,
                description=item.description.strip(),
                owner_id=item.owner_id,
                due_on=item.due_on,
            )
        )
    session.flush()


def _review_previous_actions(
    session: Session,
    rel: SupervisionRelationship,
    row: SupervisionSession,
    reviews: Iterable[ActionReview],
) -> None:
    """Lancashire record §1 "check actions have been completed, record outcomes and
    progress"; Wokingham standard 6 "ensuring actions agreed at previous
    supervisions have been completed"."""
    owed = {a.id: a for a in previous_actions(session, rel.id, row)}
    for review in reviews:
        action = owed.get(review.action_id)
        if action is None:
            continue
        action.done_on = row.held_on if review.done else None
        action.review_note = review.note.strip() or None
        action.reviewed_in_session_id = row.id


def _replace_cases(
    session: Session,
    organisation_id: int,
    rel: SupervisionRelationship,
    row: SupervisionSession,
    cases: Iterable[CaseDiscussion],
    recorder_staff_id: int,
) -> list[str]:
    """One CaseSupervision row per case discussed. The directions live there, not
    in the personal record (Bristol §5.2: "removed from the supervisee's record of
    supervision and recorded directly on the individual child/carer's record")."""
    session.flush()
    existing = {}
    if row.id is not None:
        for old in session.scalars(
            select(CaseSupervision).where(CaseSupervision.session_id == row.id)
        ):
            existing[old.allocation.case_ref] = old.recorded_on
            session.delete(old)
        session.flush()
    refs: list[str] = []
    for discussion in cases:
        ref = _checked_case_id(discussion.case_ref)
        if ref in refs:
            raise ActionError(f"Case {ref} is entered twice: discuss each case once.")
        allocation = _open_allocation(session, organisation_id, ref)
        if allocation is None:
            raise ActionError(
                f"There is no open case {ref}. Check the case ID, or allocate the case first."
            )
        refs.append(ref)
        session.add(
            CaseSupervision(
                allocation_id=allocation.id,
                session_id=row.id,
                supervisor_id=recorder_staff_id,
                supervised_on=row.held_on,
                decision=discussion.decision.strip(),
                rationale=discussion.rationale.strip(),
                next_steps=discussion.next_steps.strip(),
                important_decision=discussion.important_decision,
                recorded_on=existing.get(ref),
            )
        )
    return refs


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "an undated session"


# --- case supervision ----------------------------------------------------------------


def record_case_supervision(
    *,
    case_ref: str,
    supervisor_staff_id: int,
    supervised_on: date,
    discussion: CaseDiscussion,
    on: date,
    task_key: str | None = None,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """A case discussed outside a personal supervision session: the case
    direction (decision, rationale, next steps) for one case ID."""
    ref = _checked_case_id(case_ref)
    if supervised_on > on:
        raise ActionError("The date of the discussion must be today or in the past.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = _locked_org_of(session, supervisor_staff_id)
        allocation = _open_allocation(session, organisation_id, ref)
        if allocation is None:
            raise ActionError(f"There is no open case {ref}.")
        if not _may_supervise_case(session, supervisor_staff_id, allocation.worker_id, on):
            raise NotPermitted(
                "Only the allocated worker's supervisor, or a colleague covering for them, can "
                "record this."
            )
        duplicate = session.scalars(
            select(CaseSupervision).where(
                CaseSupervision.allocation_id == allocation.id,
                CaseSupervision.supervised_on == supervised_on,
                CaseSupervision.session_id.is_(None),
                CaseSupervision.decision == discussion.decision.strip(),
            )
        ).first()
        if duplicate is not None:
            raise AlreadySigned(
                f"This case direction for {ref} is already recorded; it has been recorded once."
            )
        direction = CaseSupervision(
            allocation_id=allocation.id,
            supervisor_id=supervisor_staff_id,
            supervised_on=supervised_on,
            decision=discussion.decision.strip(),
            rationale=discussion.rationale.strip(),
            next_steps=discussion.next_steps.strip(),
            important_decision=discussion.important_decision,
        )
        session.add(direction)
        session.flush()
        completed = _complete(
            session,
            _task_by_key(session, task_key, kinds={"case_supervision"})
            or _earliest_open(session, organisation_id, ref, "case_supervision"),
            supervisor_staff_id,
        )
        return _finish_case(
            session,
            organisation_id,
            allocation,
            direction,
            completed=completed,
            staff_id=supervisor_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.case.supervised",
            detail=f"Case direction for {ref} on {supervised_on.isoformat()}",
            on=on,
        )


def mark_direction_recorded(
    *,
    case_supervision_id: int,
    by_staff_id: int,
    recorded_on: date,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """The case direction was entered on the child's record in the case system on
    `recorded_on`: meets the case_record and decision_record obligations."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = _locked_org_of(session, by_staff_id)
        direction = session.get(CaseSupervision, case_supervision_id)
        if direction is None or direction.allocation.organisation_id != organisation_id:
            raise ActionError("That case direction does not exist.")
        allocation = direction.allocation
        if not _may_supervise_case(session, by_staff_id, allocation.worker_id, on) and (
            by_staff_id != direction.supervisor_id
        ):
            raise NotPermitted("Only the supervisor can record this.")
        if recorded_on > on:
            raise ActionError("The date entered on the child's record must be today or earlier.")
        if recorded_on < direction.supervised_on:
            raise ActionError(
                "The date entered on the child's record cannot be before the discussion "
                f"({direction.supervised_on.isoformat()})."
            )
        if direction.recorded_on is not None:
            raise AlreadySigned(
                f"This direction was already entered on the child's record on "
                f"{direction.recorded_on.isoformat()}."
            )
        direction.recorded_on = recorded_on
        day = direction.supervised_on.isoformat()
        completed = _complete(
            session, _task_by_key(session, f"record:case:{allocation.case_ref}:{day}"), by_staff_id
        )
        if direction.important_decision:
            completed += _complete(
                session,
                _task_by_key(session, f"record:decision:{allocation.case_ref}:{day}"),
                by_staff_id,
            )
        return _finish_case(
            session,
            organisation_id,
            allocation,
            direction,
            completed=completed,
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.case.direction-recorded",
            detail=f"Entered on the child's record on {recorded_on.isoformat()}",
            on=on,
        )


def allocate_case(
    *,
    case_ref: str,
    case_type: str,
    worker_id: int,
    allocated_on: date,
    by_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    ref = _checked_case_id(case_ref)
    try:
        kind = CaseType(case_type)
    except ValueError:
        raise ActionError("Select the type of case.") from None
    if allocated_on > on:
        raise ActionError("The date allocated must be today or in the past.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = _locked_org_of(session, by_staff_id)
        worker = session.get(StaffMember, worker_id)
        if worker is None or worker.organisation_id != organisation_id:
            raise ActionError("Select the worker the case is allocated to.")
        if not _may_oversee(session, by_staff_id, worker_id, on):
            raise NotPermitted("You can only allocate cases to people you supervise.")
        if _open_allocation(session, organisation_id, ref) is not None:
            raise AlreadySigned(f"Case {ref} is already allocated. Reallocate it instead.")
        allocation = CaseAllocation(
            organisation_id=organisation_id,
            case_ref=ref,
            case_type=kind,
            worker_id=worker_id,
            allocated_on=allocated_on,
        )
        session.add(allocation)
        session.flush()
        return _finish_case(
            session,
            organisation_id,
            allocation,
            None,
            completed=[],
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.case.allocated",
            detail=f"Allocated {ref} ({kind.value}) to staff-{worker_id}",
            on=on,
        )


def reallocate_case(
    *,
    case_ref: str,
    new_worker_id: int,
    on: date,
    by_staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """End the current allocation and start a new one for the new worker, which
    restarts the first-supervision clock (Wokingham 003 standard 21: "All cases
    must be supervised within a month of being allocated; this includes
    allocation to a new worker"). A recorded per-case frequency carries over."""
    ref = _checked_case_id(case_ref)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = _locked_org_of(session, by_staff_id)
        current = _open_allocation(session, organisation_id, ref)
        if current is None:
            raise ActionError(f"There is no open case {ref}.")
        worker = session.get(StaffMember, new_worker_id)
        if worker is None or worker.organisation_id != organisation_id:
            raise ActionError("Select the worker to reallocate the case to.")
        if new_worker_id == current.worker_id:
            raise ActionError("The case is already allocated to that worker.")
        if not (
            _may_oversee(session, by_staff_id, current.worker_id, on)
            and _may_oversee(session, by_staff_id, new_worker_id, on)
        ):
            raise NotPermitted("You can only reallocate cases between people you supervise.")
        if on < current.allocated_on:
            raise ActionError("A case cannot be reallocated before it was allocated.")
        current.ended_on = on
        allocation = CaseAllocation(
            organisation_id=organisation_id,
            case_ref=ref,
            case_type=current.case_type,
            worker_id=new_worker_id,
            allocated_on=on,
            frequency_weeks=current.frequency_weeks,
            frequency_reason=current.frequency_reason,
        )
        session.add(allocation)
        session.flush()
        return _finish_case(
            session,
            organisation_id,
            allocation,
            None,
            completed=[],
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.case.reallocated",
            detail=f"Reallocated {ref} from staff-{current.worker_id} to staff-{new_worker_id}",
            on=on,
        )


def close_case(
    *,
    case_ref: str,
    on: date,
    by_staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    ref = _checked_case_id(case_ref)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = _locked_org_of(session, by_staff_id)
        current = _open_allocation(session, organisation_id, ref)
        if current is None:
            raise AlreadySigned(f"Case {ref} is already closed.")
        if not _may_oversee(session, by_staff_id, current.worker_id, on):
            raise NotPermitted("Only the allocated worker's supervisor can close this case.")
        current.ended_on = max(on, current.allocated_on)
        return _finish_case(
            session,
            organisation_id,
            current,
            None,
            completed=[],
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.case.closed",
            detail=f"Closed {ref}",
            on=on,
        )


def set_case_frequency(
    *,
    case_ref: str,
    weeks: int | None,
    reason: str,
    on: date,
    by_staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """Record how often this case will be supervised, and why (Lancashire §1.9:
    "they should record the frequency in the most recent management oversight").
    The profile's limit is enforced with its own words; None clears it."""
    ref = _checked_case_id(case_ref)
    reason = (reason or "").strip()
    if weeks is not None and not reason:
        raise ActionError("Enter why this case needs a different frequency.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = _locked_org_of(session, by_staff_id)
        current = _open_allocation(session, organisation_id, ref)
        if current is None:
            raise ActionError(f"There is no open case {ref}.")
        if not _may_oversee(session, by_staff_id, current.worker_id, on):
            raise NotPermitted("Only the allocated worker's supervisor can set this.")
        org = session.get(Organisation, organisation_id)
        if weeks is not None:
            problem = planning.case_frequency_problem(
                load_profile(org.profile), current.case_type.value, weeks
            )
            if problem:
                raise ActionError(problem)
        current.frequency_weeks = weeks
        current.frequency_reason = reason if weeks is not None else None
        return _finish_case(
            session,
            organisation_id,
            current,
            None,
            completed=[],
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event="oversight.case.frequency-recorded",
            detail=f"Frequency for {ref}: {weeks or 'policy default'} weeks. {reason}".strip(),
            on=on,
        )


def _checked_case_id(value: str) -> str:
    from models.tables.cases import CaseIdError

    try:
        return check_case_id(value)
    except CaseIdError as error:
        raise ActionError(str(error)) from None


def _locked_org_of(session: Session, staff_id: int) -> int:
    person = session.get(StaffMember, staff_id)
    if person is None:
        raise ActionError("Unknown person.")
    lock_organisation(session, person.organisation_id)
    return person.organisation_id


def _open_allocation(session: Session, organisation_id: int, ref: str) -> CaseAllocation | None:
    return session.scalars(
        select(CaseAllocation)
        .where(
            CaseAllocation.organisation_id == organisation_id,
            CaseAllocation.case_ref == ref,
            CaseAllocation.ended_on.is_(None),
        )
        .order_by(CaseAllocation.allocated_on.desc(), CaseAllocation.id.desc())
    ).first()


def _may_oversee(session: Session, staff_id: int, worker_id: int, on: date) -> bool:
    """The worker's supervisor (a relationship in force) or line manager."""
    worker = session.get(StaffMember, worker_id)
    if worker is None:
        return False
    if worker.line_manager_id == staff_id:
        return True
    return (
        session.scalar(
            select(SupervisionRelationship.id)
            .where(
                SupervisionRelationship.supervisor_id == staff_id,
                SupervisionRelationship.supervisee_id == worker_id,
                SupervisionRelationship.started_on <= on,
                (SupervisionRelationship.ended_on.is_(None))
                | (SupervisionRelationship.ended_on > on),
            )
            .limit(1)
        )
        is not None
    )


def _may_supervise_case(session: Session, staff_id: int, worker_id: int, on: date) -> bool:
    """Case supervision: the worker's supervisor or line manager, or a colleague
    covering on `on` for a supervisor of the worker. Allocating, reallocating,
    closing a case and setting its frequency stay with the first two."""
    return _may_oversee(session, staff_id, worker_id, on) or supervises_or_covers(
        session, staff_id, worker_id, on
    )


def supervises_or_covers(session: Session, staff_id: int, supervisee_id: int, on: date) -> bool:
    """Whether `staff_id` supervises `supervisee_id` on `on` (a relationship in
    force), themselves or as the colleague covering for their supervisor.
    Nobody supervises themselves: a supervisee covering for their own
    supervisor does not cover their own supervision, cases or checks."""
    if staff_id == supervisee_id:
        return False
    covered = select(CoverArrangement.absent_supervisor_id).where(
        CoverArrangement.cover_supervisor_id == staff_id,
        CoverArrangement.in_force_on(on),
    )
    return (
        session.scalar(
            select(SupervisionRelationship.id)
            .where(
                (SupervisionRelationship.supervisor_id == staff_id)
                | SupervisionRelationship.supervisor_id.in_(covered),
                SupervisionRelationship.supervisee_id == supervisee_id,
                SupervisionRelationship.started_on <= on,
                (SupervisionRelationship.ended_on.is_(None))
                | (SupervisionRelationship.ended_on > on),
            )
            .limit(1)
        )
        is not None
    )


# --- shared endings ------------------------------------------------------------------


def _task_by_key(session: Session, key: str | None, kinds: set[str] | None = None):
    if not key:
        return None
    task = session.scalars(select(HumanTask).where(HumanTask.key == key)).one_or_none()
    if task is None or (kinds is not None and task.kind not in kinds):
        return None
    return task


def _earliest_open(session: Session, organisation_id: int, subject: str, kind: str):
    return session.scalars(
        select(HumanTask)
        .where(
            HumanTask.organisation_id == organisation_id,
            HumanTask.subject == subject,
            HumanTask.kind == kind,
            HumanTask.status.in_(OPEN_STATUSES),
        )
        .order_by(HumanTask.due_on, HumanTask.id)
        .limit(1)
    ).one_or_none()


def _complete(session: Session, task: HumanTask | None, staff_id: int) -> list[HumanTask]:
    if task is None or task.status not in OPEN_STATUSES:
        return []
    task.complete(staff_id)
    return [task]


def _finish(
    session: Session,
    org: Organisation,
    rel: SupervisionRelationship,
    row: SupervisionSession,
    *,
    subjects: set[str],
    lifecycles: frozenset[str],
    completed: list[HumanTask],
    staff_id: int,
    actor_user_id: int | None,
    event: str,
    action: str,
    on: date,
    detail: str = "",
) -> SessionResult:
    session.flush()
    reconciled = reconcile_in_session(
        session,
        organisation_id=org.id,
        lifecycles=lifecycles,
        as_of=on,
        subjects=subjects,
        actor=f"staff-{staff_id}",
    )
    session.flush()
    session.add(
        OutboxEvent(
            event=event,
            resource_id=f"oversight.relationship.{rel.id}",
            payload={
                "relationship_id": rel.id,
                "session_id": row.id,
                "organisation_id": org.id,
                "version": row.record_version,
                "on": on.isoformat(),
            },
        )
    )
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            actor=f"staff-{staff_id}",
            action=action,
            object_type="supervision_session",
            object_id=str(row.id),
            subject_staff_id=rel.supervisee_id,
            detail=detail or f"{event} (version {row.record_version})",
        )
    )
    session.flush()
    return SessionResult(
        session_id=row.id,
        record_status=row.record_status,
        version=row.record_version,
        completed_task_ids=tuple(sorted(t.id for t in completed)),
        next_task_ids=reconciled.created_ids,
    )


def _finish_case(
    session: Session,
    organisation_id: int,
    allocation: CaseAllocation,
    direction: CaseSupervision | None,
    *,
    completed: list[HumanTask],
    staff_id: int,
    actor_user_id: int | None,
    event: str,
    detail: str,
    on: date,
) -> CaseResult:
    session.flush()
    reconciled = reconcile_in_session(
        session,
        organisation_id=organisation_id,
        lifecycles=CASE_LIFECYCLES,
        as_of=on,
        subjects={allocation.case_ref},
        actor=f"staff-{staff_id}",
    )
    session.add(
        OutboxEvent(
            event=event,
            resource_id=f"oversight.case.{allocation.case_ref}",
            payload={
                "case_ref": allocation.case_ref,
                "allocation_id": allocation.id,
                "case_supervision_id": direction.id if direction else None,
                "organisation_id": organisation_id,
                "on": on.isoformat(),
            },
        )
    )
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            actor=f"staff-{staff_id}",
            action="create",
            object_type="case_supervision" if direction else "case_allocation",
            object_id=str(direction.id if direction else allocation.id),
            subject_staff_id=allocation.worker_id,
            detail=detail,
        )
    )
    session.flush()
    return CaseResult(
        allocation_id=allocation.id,
        case_supervision_id=direction.id if direction else None,
        completed_task_ids=tuple(sorted(t.id for t in completed)),
        next_task_ids=reconciled.created_ids,
    )
