"""What the workforce team's changes to the organisation share, whether made
on an admin page or by importing a file: who may make them (the workforce
team for the whole organisation, a head of service within the areas they
head, the command line as the system), the record of each change field by
field (the preview, and the audit trail of who changed what from what to
what), and the one end of every such change: the audit entries and an
outbox event per changed person, relationship or case (`announce`: one
INSERT for a whole batch of an import), then the unit of work reconciling
every subject the change touched."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import events
from models.actions.errors import ActionError, NotPermitted
from models.actions.unit_of_work import Audit, Finish, Finished, finish_action
from models.events import Event
from models.tables.audit import AuditEntry
from models.tables.org import (
    AppRole,
    Organisation,
    ServiceArea,
    StaffMember,
    Team,
    UserAccount,
)
from models.tables.outbox import OutboxEvent
from policy.engine import LIFECYCLES

# A change to a person or a supervision relationship may change what any
# lifecycle owes them (a role's cadence, a leaver's retention, a new agreement).
EVERY_LIFECYCLE = tuple(LIFECYCLES)


class FieldProblem(ActionError):
    """A value that cannot be stored, and which field it is in."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Actor:
    """Who is changing the organisation, and where they may."""

    organisation_id: int
    staff_id: int | None  # None: the command line, run by whoever holds the database
    user_id: int | None
    area_ids: frozenset[int] | None = None  # None: the whole organisation

    @property
    def label(self) -> str:
        return f"staff-{self.staff_id}" if self.staff_id else "command line"


def actor_for_login(session: Session, user_id: int) -> Actor:
    """The workforce team changes the whole organisation; a head of service
    the service areas they head; nobody else changes it."""
    account = session.get(UserAccount, user_id)
    if account is None or not account.active:
        raise NotPermitted("Only the workforce team and heads of service can change this.")
    staff = account.staff
    if AppRole.WORKFORCE_TEAM.value in account.role_names:
        return Actor(staff.organisation_id, staff.id, user_id, None)
    if AppRole.HEAD_OF_SERVICE.value in account.role_names:
        areas = frozenset(
            session.scalars(
                select(ServiceArea.id).where(ServiceArea.head_of_service_id == staff.id)
            )
        )
        if areas:
            return Actor(staff.organisation_id, staff.id, user_id, areas)
    raise NotPermitted("Only the workforce team and heads of service can change this.")


def command_line_actor(session: Session, slug: str) -> Actor:
    organisation = session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None:
        raise ActionError(f"There is no organisation {slug!r}.")
    return Actor(organisation.id, None, None, None)


def area_of_team(session: Session, team_id: int | None) -> int | None:
    if team_id is None:
        return None
    return session.scalar(select(Team.service_area_id).where(Team.id == team_id))


def may_change_staff(session: Session, actor: Actor, person: StaffMember | None) -> bool:
    """Whether the actor may change this person (None: a new person, who must
    then be put in one of the actor's teams)."""
    if person is not None and person.organisation_id != actor.organisation_id:
        return False
    if actor.area_ids is None:
        return True
    return person is not None and area_of_team(session, person.team_id) in actor.area_ids


def check_may_change_staff(session: Session, actor: Actor, person: StaffMember | None) -> None:
    if not may_change_staff(session, actor, person):
        raise NotPermitted("You can only change people in the service areas you head.")


def check_team_allowed(session: Session, actor: Actor, team_id: int | None) -> None:
    if actor.area_ids is not None and area_of_team(session, team_id) not in actor.area_ids:
        raise NotPermitted("Choose a team in a service area you head.")


# --- the record of a change ---------------------------------------------------------


def shown(value: Any) -> str:
    """A value as the preview and the audit trail write it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.field}: {shown(self.old)} -> {shown(self.new)}"


# What a change did: a new row, a changed one, a leaver, a reallocation, ...
NEW, CHANGED, LEAVER, REALLOCATION, CLOSED, ENDED, NEW_TEAM = (
    "new",
    "changed",
    "leaver",
    "reallocation",
    "closed",
    "ended",
    "new_team",  # a team or service area a staff file names for the first time
)
OUTCOMES = (NEW, CHANGED, LEAVER, REALLOCATION, CLOSED, ENDED, NEW_TEAM)


@dataclass
class Change:
    outcome: str  # one of OUTCOMES
    object_type: str  # "staff_member", "supervision_relationship", "case_allocation"
    label: str  # what the council calls it: a staff number, a case ID
    subject_staff_id: int | None
    fields: list[FieldChange] = field(default_factory=list)
    object_id: int | None = None

    def __str__(self) -> str:
        detail = "; ".join(str(f) for f in self.fields)
        return f"{self.outcome} {self.label}" + (f": {detail}" if detail else "")


@dataclass
class Changes:
    """The changes one action or one import made, and whose facts they touched.
    A large import settles its new rows' audit entries batch by batch and
    keeps only their count (`settle`), so its memory does not grow with them."""

    items: list[Change] = field(default_factory=list)
    subjects: set[str] = field(default_factory=set)
    unchanged: int = 0
    tally: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    audited: int = 0  # how many of `items` have their audit entry written
    announced: int = 0  # how many of `items` have had their outbox event written
    on: date | None = None  # an import's day, for the events of the batches it settles
    # An outbox event per change (the admin pages); an import announces itself
    # once instead (events.IMPORT_APPLIED), so a file of 25,000 rows does not
    # start 25,000 flow runs.
    announce_each: bool = True

    def add(self, change: Change, subjects: Iterable[str]) -> None:
        self.items.append(change)
        self.tally[change.outcome] += 1
        self.subjects.update(subjects)

    def count(self, outcome: str) -> int:
        return self.tally[outcome]

    def counts(self) -> dict[str, int]:
        return dict(self.tally) | {"unchanged": self.unchanged}

    @property
    def any(self) -> bool:
        return any(self.tally.values())

    def settle(self, session: Session, actor: Actor, action: str) -> None:
        """Write the audit entries and outbox events of the changes so far,
        then forget the new rows' details."""
        if self.on is None:
            raise ValueError("changes settled batch by batch need the day they are made (on=)")
        session.flush()
        write_audit_trail(session, actor, self, action)
        announce(session, actor, self.on, self)
        self.items = [c for c in self.items if c.outcome not in (NEW, NEW_TEAM)]
        self.audited = self.announced = len(self.items)


def set_fields(row: Any, values: dict[str, Any]) -> list[FieldChange]:
    """Set the values that differ on the row, and say which did, from what to what."""
    changed = []
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            changed.append(FieldChange(name, old, new))
            setattr(row, name, new)
    return changed


def write_audit_trail(session: Session, actor: Actor, changes: Changes, action: str) -> None:
    """An audit entry per change not yet audited, saying from what to what (in one INSERT)."""
    rows = [
        {
            "actor_user_id": actor.user_id,
            "actor": actor.label,
            "action": action,
            "object_type": change.object_type,
            "object_id": str(change.object_id or change.label),
            "subject_staff_id": change.subject_staff_id,
            "detail": str(change)[:4000],
        }
        for change in changes.items[changes.audited :]
    ]
    changes.audited = len(changes.items)
    if rows:
        session.execute(AuditEntry.__table__.insert(), rows)


# What a change to a person, a relationship or a case announces to the
# lifecycle flows, by what it is and what it did: the admin pages and the
# imports announce through this one table (other changes announce nothing).
ANNOUNCED = {
    ("staff_member", NEW): events.STAFF_ADDED,
    ("staff_member", CHANGED): events.STAFF_CHANGED,
    ("staff_member", LEAVER): events.STAFF_LEFT,
    ("supervision_relationship", NEW): events.RELATIONSHIP_STARTED,
    ("supervision_relationship", CHANGED): events.RELATIONSHIP_STARTED,  # a new supervisor
    ("supervision_relationship", ENDED): events.RELATIONSHIP_ENDED,
    ("case_allocation", NEW): events.CASE_ALLOCATED,
    ("case_allocation", REALLOCATION): events.CASE_REALLOCATED,
    ("case_allocation", CLOSED): events.CASE_CLOSED,
}


def _announcement(change: Change, organisation_id: int, on: date) -> dict | None:
    event = ANNOUNCED.get((change.object_type, change.outcome))
    if event is None:
        return None
    # A case is known by its case ID; a person or a relationship by its id.
    about = change.label if change.object_type == "case_allocation" else change.object_id
    payload: dict[str, Any] = {"fields": sorted({f.field for f in change.fields})}
    if change.object_type == "supervision_relationship":
        payload["supervisee_id"] = change.subject_staff_id
    if change.object_type == "case_allocation":
        payload |= {"case_ref": change.label, "worker_id": change.subject_staff_id}
    return {
        "event": event.name,
        "resource_id": event.resource(about),
        "payload": payload | {"organisation_id": organisation_id, "on": on.isoformat()},
    }


def announce(session: Session, actor: Actor, on: date, changes: Changes) -> None:
    """An outbox event per change not yet announced (in one INSERT), so each
    changed person's, relationship's or case's lifecycle flow runs."""
    if not changes.announce_each:
        changes.announced = len(changes.items)
        return
    rows = [
        row
        for change in changes.items[changes.announced :]
        if (row := _announcement(change, actor.organisation_id, on)) is not None
    ]
    changes.announced = len(changes.items)
    if rows:
        session.execute(OutboxEvent.__table__.insert(), rows)


@dataclass(frozen=True)
class Summary:
    """The entry that says what the action or import was as a whole."""

    action: str
    object_type: str
    object_id: int | str
    subject_staff_id: int | None
    detail: str


def finish_changes(
    session: Session,
    actor: Actor,
    on: date,
    changes: Changes,
    *,
    lifecycles: Collection[str] = EVERY_LIFECYCLE,
    summary: Summary,
    event: Event | None = None,
    subject_id: int | str | None = None,
    payload: dict[str, Any] | None = None,
) -> Finished:
    """The audit trail of each change and its outbox event (`announce`), then
    the one unit of work: the touched subjects reconciled in this
    transaction, the action's own event (if any) announced, the summary audited."""
    session.flush()
    write_audit_trail(session, actor, changes, summary.action)
    announce(session, actor, on, changes)
    return finish_action(
        session,
        Finish(
            organisation_id=actor.organisation_id,
            actor_staff_id=actor.staff_id,
            actor_user_id=actor.user_id,
            on=on,
            subjects=sorted(changes.subjects),
            lifecycles=lifecycles if changes.subjects else (),
            event=event,
            subject_id=subject_id,
            payload=payload or {},
            audit=Audit(
                summary.action,
                summary.object_type,
                summary.object_id,
                summary.subject_staff_id,
                summary.detail,
            ),
        ),
    )
