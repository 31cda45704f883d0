"""The opening and the end every admin page's action shares, written once.

    with admin_action(actor_user_id, on, session_factory) as action:
        person = action.person_to_change(staff_id)
        ... record the change in action.changes ...
        done = action.finish("update", "staff_member", person.id, person.id)

The opening: one transaction, the login's actor (the workforce team, or a
head of service within the areas they head: `actor_for_login`) and the
organisation locked, so two changes to one organisation never interleave.
The end: `finish_changes` (the audit trail field by field, an outbox event
per change, the touched subjects reconciled, the summary audited), with the
summary's detail the changes themselves unless the action words it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from models.actions.admin_changes import (
    Actor,
    Changes,
    Summary,
    actor_for_login,
    check_may_change_staff,
    finish_changes,
)
from models.actions.errors import ActionError
from models.actions.unit_of_work import Finished
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.org import StaffMember


@dataclass
class AdminAction:
    """One admin change in progress: its transaction, who makes it, the day,
    and the changes recorded so far."""

    session: Session
    actor: Actor
    on: date
    changes: Changes = field(default_factory=Changes)

    def person_to_change(self, staff_id: int) -> StaffMember:
        """The person, if the actor may change them."""
        person = self.session.get(StaffMember, staff_id)
        if person is None:
            raise ActionError("There is no such person.")
        check_may_change_staff(self.session, self.actor, person)
        return person

    def described(self) -> str:
        """The changes so far, as the audit trail words them."""
        return "; ".join(map(str, self.changes.items))

    def finish(
        self,
        action: str,
        object_type: str,
        object_id: int | str,
        subject_staff_id: int | None,
        *,
        detail: str | None = None,
        **end: Any,
    ) -> Finished:
        """The one end of the change (`finish_changes`; `end` holds its
        lifecycles, event, subject_id and payload), summarised as `action` on
        the object, in words `detail` or, by default, the changes."""
        summary = Summary(
            action,
            object_type,
            object_id,
            subject_staff_id,
            self.described() if detail is None else detail,
        )
        return finish_changes(
            self.session, self.actor, self.on, self.changes, summary=summary, **end
        )


@contextmanager
def admin_action(
    actor_user_id: int, on: date, session_factory: sessionmaker | None = None
) -> Iterator[AdminAction]:
    """The admin change's transaction, its actor and the organisation's lock;
    an error inside rolls all of it back."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        actor = actor_for_login(session, actor_user_id)
        lock_organisation(session, actor.organisation_id)
        yield AdminAction(session, actor, on)
