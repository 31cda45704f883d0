"""Holding supervision and writing its record: the session held (a planned
one becomes the held one), its record's sections, the actions agreed, last
time's actions reviewed, the cases discussed, and the reason it was late;
saved as the supervisor's draft or signed and shared with the supervisee.

The record is the supervisor's to write (Lancashire 000_b775b8e7712f1ef5.txt
§1.8), or the colleague's covering for them (models/actions/permissions.py).
Countersigning and amending it are models/actions/records.py; the cases
discussed are models/actions/cases.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.answers import answered, earliest_open, task_by_key
from models.actions.case_supervision import CaseDiscussion, record_cases_discussed
from models.actions.cases import CASE_LIFECYCLES
from models.actions.errors import ActionError, AlreadySigned
from models.actions.permissions import check_may_record
from models.actions.records import (
    SIGNED,
    SessionResult,
    finish_session,
    locked_relationship,
    previous_actions,
    sign_record,
)
from models.db import get_sessionmaker
from models.engine.unit_obligations import supervisee_history
from models.tables.human_task import HumanTask
from models.tables.org import Organisation
from models.tables.oversight import CoverArrangement
from models.tables.supervision import (
    RecordStatus,
    SessionAction,
    SessionKind,
    SessionStatus,
    SignatoryParty,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import keys, kinds, load_profile
from policy import schedule as planning
from policy.dates import long_date
from policy.keys import relationship_fact_id

# The kinds of human task a session and its record answer, and the lifecycles that owe them.
SESSION_KINDS = (
    "supervision",
    "asye_reflective_supervision",
    "development",
    "record",
    "record_countersign",
    "late_reason",
)
SESSION_LIFECYCLES = frozenset(lc for name in SESSION_KINDS for lc in kinds.kind(name).lifecycles)

# A planned session within this many days of the day held is the one held.
PLANNED_MATCH_DAYS = 14

# The human task that holding a session of each kind answers.
HOLD_KINDS = {
    SessionKind.INDIVIDUAL: "supervision",
    SessionKind.ASYE_REFLECTIVE: "asye_reflective_supervision",
}
DOUBLE_SIGNED = "This record was already signed; it has been signed once."


@dataclass(frozen=True)
class NewAction:
    description: str
    owner_id: int | None
    due_on: date | None
    # The action's id when the form edits one already recorded on this
    # session: it is updated in place, so its task and done mark survive.
    action_id: int | None = None


@dataclass(frozen=True)
class ActionReview:
    action_id: int
    done: bool
    note: str = ""


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
        rel = locked_relationship(session, relationship_id)
        cover = check_may_record(session, rel, recorder_staff_id, on, record.held_on)
        _check_held_on(rel, record.held_on, on)
        org = session.get(Organisation, rel.supervisee.organisation_id)
        row = _session_to_record(session, rel, kind_enum, record.held_on, session_id)
        check = _late_check(session, org, rel, row, record.held_on, kind)
        row.kind = kind_enum
        case_refs = _write_record(session, org, rel, row, record, check, recorder_staff_id, cover)
        subject = relationship_fact_id(rel.id)
        hold_kind = HOLD_KINDS[kind_enum]
        completed = answered(
            task_by_key(session, org.id, task_key, kinds={hold_kind, "development"})
            or earliest_open(session, org.id, subject, hold_kind)
        )
        for ref in case_refs:
            completed += answered(earliest_open(session, org.id, ref, "case_supervision"))
        if sign:
            completed += _sign(session, org, rel, row, recorder_staff_id, on)
        else:
            row.record_status = RecordStatus.DRAFT
        return finish_session(
            session,
            rel,
            row,
            completed=completed,
            subjects={subject, *case_refs},
            lifecycles=SESSION_LIFECYCLES | (CASE_LIFECYCLES if case_refs else frozenset()),
            staff_id=recorder_staff_id,
            actor_user_id=actor_user_id,
            event=events.SESSION_RECORD_SIGNED if sign else events.SESSION_RECORDED,
            action="sign" if sign else "create",
            on=on,
        )


def _late_check(
    session: Session,
    org: Organisation,
    rel: SupervisionRelationship,
    row: SupervisionSession,
    held_on: date,
    kind: str,
) -> planning.LateCheck:
    """Whether the session came after its due date; a draft's own earlier day
    held does not count as the session before it."""
    facts = supervisee_history(session, org.id, rel, held_on)
    return planning.late_check(
        load_profile(org.profile),
        facts,
        relationship_fact_id(rel.id),
        held_on,
        kind=kind,
        exclude=[row.held_on] if row.held_on and row.held_on != held_on else (),
    )


def _write_record(
    session: Session,
    org: Organisation,
    rel: SupervisionRelationship,
    row: SupervisionSession,
    record: RecordInput,
    check: planning.LateCheck,
    recorder_staff_id: int,
    cover: CoverArrangement | None,
) -> list[str]:
    """The session held, with its record, actions, reviews and cases; the case IDs."""
    _check_action_owners(rel, record.actions, recorder_staff_id)
    late_reason = (record.late_reason or "").strip() or None
    if check.late and late_reason is None:
        raise ActionError(
            f"{check.question} It has: enter why the session was late "
            "(Bristol §3.4: the reason is recorded in the next session held)."
        )
    # Held first, so a planned row becomes a held one before anything reads it.
    row.status = SessionStatus.HELD
    row.held_on = record.held_on
    row.duration_minutes = record.duration_minutes
    row.late_reason = late_reason if check.late else None
    row.development_discussed = record.development_discussed
    case_refs = record_cases_discussed(session, org.id, row, record.cases, recorder_staff_id)
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
    _keep_actions(session, row, record.actions)
    _review_previous_actions(session, rel, row, record.reviews)
    return case_refs


def _sign(
    session: Session,
    org: Organisation,
    rel: SupervisionRelationship,
    row: SupervisionSession,
    staff_id: int,
    on: date,
) -> list[HumanTask]:
    """The supervisor's signature: the record is shared with the supervisee.
    Where the document has both parties sign (recording.countersign), the
    reconcile puts the countersignature in the supervisee's inbox; elsewhere
    the supervisor's signature completes the record."""
    needs_countersign = load_profile(org.profile).rule("recording.countersign")
    row.record_status = (
        RecordStatus.AWAITING_COUNTERSIGNATURE if needs_countersign else RecordStatus.SIGNED
    )
    # Recorded and shared with the supervisee on the day the supervisor signs
    # (Lancashire §1.8 "shared with them within 2 weeks"; Bristol Appendix 1).
    row.recorded_on = row.recorded_on or on
    # Signing shares it: the supervisee can read it from today (recording.shared),
    # unless it was copied to them before.
    row.shared_on = row.shared_on or on
    sign_record(session, row, SignatoryParty.SUPERVISOR, staff_id, on, DOUBLE_SIGNED)
    key = keys.build("record", relationship=relationship_fact_id(rel.id), day=row.held_on)
    return answered(task_by_key(session, org.id, key))


def _check_held_on(rel: SupervisionRelationship, held_on: date, on: date) -> None:
    if held_on > on:
        raise ActionError("The date the session was held must be today or in the past.")
    if held_on < rel.started_on:
        raise ActionError(
            "The date the session was held must be on or after the supervision relationship "
            f"began ({long_date(held_on)} is before {long_date(rel.started_on)})."
        )
    if rel.ended_on is not None and held_on >= rel.ended_on:
        raise ActionError("The session must have been held before the relationship ended.")


def _session_to_record(
    session: Session,
    rel: SupervisionRelationship,
    kind: SessionKind,
    held_on: date,
    session_id: int | None,
) -> SupervisionSession:
    """The draft named, else the session held that day, else the planned one
    nearest the day, else a new one."""
    if session_id is not None:
        row = session.get(SupervisionSession, session_id)
        if row is None or row.relationship_id != rel.id:
            raise ActionError("That supervision session does not exist.")
        session.refresh(row)
        if row.record_status in SIGNED:
            raise AlreadySigned(
                "This record has been signed, so it cannot be changed. Amend it to make a new "
                "version."
            )
        return row
    same_day = session.scalars(
        _of_kind(rel, kind, SessionStatus.HELD).where(SupervisionSession.held_on == held_on)
    ).first()
    if same_day is not None:
        if same_day.record_status in SIGNED:
            # A second submission of the same form: it was recorded (and signed) once.
            raise AlreadySigned(
                f"The session held on {long_date(held_on)} is already recorded and signed."
            )
        return same_day
    window = timedelta(days=PLANNED_MATCH_DAYS)
    planned = session.scalars(
        _of_kind(rel, kind, SessionStatus.PLANNED).where(
            SupervisionSession.planned_on.between(held_on - window, held_on + window)
        )
    ).all()
    if planned:
        return min(planned, key=lambda s: (abs((s.planned_on - held_on).days), s.id))
    row = SupervisionSession(relationship_id=rel.id, kind=kind, status=SessionStatus.HELD)
    session.add(row)
    return row


def _of_kind(rel: SupervisionRelationship, kind: SessionKind, status: SessionStatus):
    return select(SupervisionSession).where(
        SupervisionSession.relationship_id == rel.id,
        SupervisionSession.kind == kind,
        SupervisionSession.status == status,
    )


def _check_action_owners(
    rel: SupervisionRelationship, actions: Sequence[NewAction], recorder_staff_id: int
) -> None:
    """An action is owned by someone the record form offers: the supervisor,
    the supervisee or the person recording it (a colleague covering), all of
    the relationship's organisation; never a name typed into the request."""
    may_own = {rel.supervisor_id, rel.supervisee_id, recorder_staff_id}
    for number, item in enumerate(actions, start=1):
        if item.description.strip() and item.owner_id not in (None, *may_own):
            raise ActionError(
                f"Action {number}: choose who owns it from the supervisor, the supervisee "
                "or yourself; the person sent is not one of them."
            )


def _keep_actions(session: Session, row: SupervisionSession, actions: Iterable[NewAction]):
    """The session's actions as the form now has them. One sent with the id of
    an action of this session is that action, changed in place: its id, and so
    its task (`action:act-{id}`), its owner's done mark and its review stay.
    One without (or with another session's id) is new; one no longer sent is
    deleted."""
    existing = {a.id: a for a in row.actions}
    kept: set[int] = set()
    for item in actions:
        description = item.description.strip()
        if not description:
            continue
        action = existing.get(item.action_id) if item.action_id not in kept else None
        if action is None:
            action = SessionAction(session_id=row.id)
            session.add(action)
        else:
            kept.add(action.id)
        action.description = description
        action.owner_id = item.owner_id
        action.due_on = item.due_on
    for action_id in existing.keys() - kept:
        session.delete(existing[action_id])
    session.flush()
    session.expire(row, ["actions"])


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
