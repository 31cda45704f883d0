"""A missed session raised, escalated and answered (Wokingham standards
14-15; policy/rules/missed_sessions.py): the supervisee records raising it
with their supervisor, then escalating it to the supervisor's line manager;
the line manager records their response. Each step answers its open human
task (its key names the relationship and the missed session's due date), so
a step the engine does not owe cannot be recorded. One transaction each,
ended by unit_of_work.finish_action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.answers import answered, task_by_key
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.missed_session import MissedSession
from models.tables.supervision import SupervisionRelationship
from policy import keys, kinds
from policy.keys import relationship_fact_id

__all__ = ["STEPS", "MissedStep", "record_missed_step"]

NOTE_LIMIT = 2000


@dataclass(frozen=True)
class Step:
    family: str  # the obligation key family (policy/keys.py)
    kind: str  # the human-task kind (policy/kinds/)
    day: str  # the MissedSession column the step's day goes in
    note: str  # ... and its note
    event: events.Event
    done: str  # the audit trail's words


STEPS = {
    "raise": Step("missed_raise", "missed_session_raise", "raised_on", "raised_note",
                  events.MISSED_SESSION_RAISED, "Raised the missed session with the supervisor"),
    "escalate": Step("missed_escalate", "missed_session_escalate", "escalated_on",
                     "escalated_note", events.MISSED_SESSION_ESCALATED,
                     "Escalated the missed session to the supervisor's line manager"),
    "respond": Step("missed_response", "missed_session_response", "responded_on",
                    "response_note", events.MISSED_SESSION_ANSWERED,
                    "Responded to the escalated missed session"),
}  # fmt: skip


@dataclass(frozen=True)
class MissedStep:
    missed_session_id: int
    completed_task_id: int | None


def record_missed_step(
    *,
    step: str,
    relationship_id: int,
    staff_id: int,
    due: date,
    done_on: date,
    note: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> MissedStep:
    """Record one step of the chain for the session due on `due`: "raise" and
    "escalate" by the supervisee, "respond" by whoever holds the response task
    (the supervisor's line manager, or a colleague it was handed to)."""
    what = STEPS.get(step)
    if what is None:
        raise ActionError(f"Unknown step {step!r}; expected one of {sorted(STEPS)}.")
    note = (note or "").strip()
    try:
        with (session_factory or get_sessionmaker())() as session, session.begin():
            rel = session.get(SupervisionRelationship, relationship_id)
            if rel is None:
                raise ActionError("That supervision relationship does not exist.")
            lock_organisation(session, rel.supervisee.organisation_id)
            task = _open_task(session, what, rel, due, staff_id)
            _check(done_on, due, note, on)
            row = _row(session, rel, due, step, done_on)
            setattr(row, what.day, done_on)
            setattr(row, what.note, note)
            if step == "respond":
                row.responded_by_id = staff_id
            session.flush()
            finish_action(session, _finish(rel, row, what, staff_id, actor_user_id, on, task))
            return MissedStep(row.id, task.id)
    except IntegrityError:
        raise AlreadySigned("That step is already recorded.") from None


def _open_task(session: Session, what: Step, rel, due: date, staff_id: int) -> HumanTask:
    key = keys.build(what.family, relationship=relationship_fact_id(rel.id), due=due)
    task = task_by_key(session, rel.supervisee.organisation_id, key, {what.kind})
    if task is None or task.status not in OPEN_STATUSES:
        raise AlreadySigned("There is nothing to record for that session: it is not owed now.")
    if what.kind != "missed_session_response" and staff_id != rel.supervisee_id:
        raise NotPermitted("Only the supervisee raises and escalates their missed supervision.")
    if what.kind == "missed_session_response" and staff_id != task.assignee_id:
        raise NotPermitted("Only the person holding this task can record the response.")
    return task


def _check(done_on: date, due: date, note: str, on: date) -> None:
    if done_on > on:
        raise ActionError("The date must be today or in the past.")
    if done_on < due:
        raise ActionError("The date must be on or after the day the session was due.")
    if len(note) > NOTE_LIMIT:
        raise ActionError(f"The note must be {NOTE_LIMIT} characters or fewer.")


def _row(session: Session, rel, due: date, step: str, done_on: date) -> MissedSession:
    row = session.scalars(
        select(MissedSession).where(
            MissedSession.relationship_id == rel.id, MissedSession.due_on == due
        )
    ).one_or_none()
    if row is None:
        if step != "raise":
            raise ActionError("Record raising it with the supervisor first.")
        row = MissedSession(relationship_id=rel.id, due_on=due, raised_on=done_on)
        session.add(row)
    elif step != "raise" and done_on < row.raised_on:
        raise ActionError("The date must be on or after the day it was raised.")
    return row


def _finish(rel, row, what: Step, staff_id, actor_user_id, on, task) -> Finish:
    return Finish(
        organisation_id=rel.supervisee.organisation_id,
        actor_staff_id=staff_id,
        actor_user_id=actor_user_id,
        on=on,
        completed=answered(task),
        subjects={relationship_fact_id(rel.id)},
        lifecycles=kinds.kind(what.kind).lifecycles,
        event=what.event,
        subject_id=rel.id,
        payload={"missed_session_id": row.id, "due": row.due_on.isoformat()},
        audit=Audit("record", "missed_session", row.id, rel.supervisee_id, what.done),
    )
