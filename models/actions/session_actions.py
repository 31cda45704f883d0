"""An action agreed in supervision marked done by its owner, from the human
task that makes it owed (policy/rules/actions.py), with a note saying what
was done. One transaction, ended by unit_of_work.finish_action: the action's
task completed, the supervisee's recording obligations reconciled,
announced and audited. The next session's review of previous actions still
lists it, with the owner's note, and can record it as not done after all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import sessionmaker

from models import events
from models.actions.answers import answered, task_by_key
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.supervision import (
    SessionAction,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import keys, kinds
from policy.dates import long_date
from policy.keys import action_fact_id, staff_fact_id

__all__ = ["ActionDone", "mark_action_done"]

NOTE_LIMIT = 2000


@dataclass(frozen=True)
class ActionDone:
    action_id: int
    completed_task_id: int | None


def mark_action_done(
    *,
    action_id: int,
    owner_staff_id: int,
    done_on: date,
    note: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> ActionDone:
    """The action's owner says it is done, on `done_on`, and what they did."""
    note = (note or "").strip()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        action = session.get(SessionAction, action_id)
        if action is None:
            raise ActionError("That action does not exist.")
        held: SupervisionSession = session.get(SupervisionSession, action.session_id)
        rel = session.get(SupervisionRelationship, held.relationship_id)
        lock_organisation(session, rel.supervisee.organisation_id)
        session.refresh(action)
        _check_done(action, held, owner_staff_id, done_on, note, on)
        action.done_on, action.done_note = done_on, note
        key = keys.build("session_action", action=action_fact_id(action.id))
        done = finish_action(
            session,
            Finish(
                organisation_id=rel.supervisee.organisation_id,
                actor_staff_id=owner_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                completed=answered(
                    task_by_key(session, rel.supervisee.organisation_id, key, {"session_action"})
                ),
                subjects={staff_fact_id(rel.supervisee_id)},
                lifecycles=kinds.kind("session_action").lifecycles,
                event=events.SESSION_ACTION_DONE,
                subject_id=rel.id,
                payload={"session_action_id": action.id},
                audit=Audit(
                    "complete",
                    "session_action",
                    action.id,
                    rel.supervisee_id,
                    f"Marked an action agreed on {long_date(held.held_on)}"
                    f" done on {long_date(done_on)}",
                ),
            ),
        )
        completed = done.completed_task_ids
        return ActionDone(action.id, completed[0] if completed else None)


def _check_done(
    action: SessionAction,
    held: SupervisionSession,
    owner_staff_id: int,
    done_on: date,
    note: str,
    on: date,
) -> None:
    """Refuse, saying why, unless the owner marks it done once, on a real day, with a note."""
    if action.owner_id != owner_staff_id:
        raise NotPermitted("Only the person who owns this action can mark it done.")
    if action.done_on is not None:
        raise AlreadySigned(f"This action was marked done on {long_date(action.done_on)}.")
    if held.held_on is not None and done_on < held.held_on:
        raise ActionError("The date it was done must be on or after the session that agreed it.")
    if done_on > on:
        raise ActionError("The date it was done must be today or in the past.")
    if not note:
        raise ActionError("Enter what was done.")
    if len(note) > NOTE_LIMIT:
        raise ActionError(f"The note must be {NOTE_LIMIT} characters or fewer.")
