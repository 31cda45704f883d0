"""Naming a person's supervisor and ending a supervision relationship, for the
admin pages and the relationships import alike: one code path,
`name_supervisors` and `end_relationships`, which take a batch (the admin
page's one change is a batch of one) and write it in a few statements
whatever its size. Naming a new supervisor ends the relationship in force and
starts one with its reason (new starter, change of post, change of
supervisor), which starts the agreement clock exactly as the policy engine
defines it (Lancashire §1.4)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.actions.admin_action import admin_action
from models.actions.admin_changes import (
    CHANGED,
    ENDED,
    NEW,
    Actor,
    Change,
    Changes,
    FieldChange,
    FieldProblem,
    check_may_change_staff,
)
from models.actions.admin_writes import insert_returning, update_by_id
from models.actions.errors import ActionError
from models.tables.org import StaffMember
from models.tables.supervision import RelationshipReason, SupervisionRelationship
from policy.keys import relationship_fact_id, staff_fact_id


@dataclass(frozen=True)
class Person:
    """A person, as naming a supervisor needs them."""

    id: int
    staff_number: str
    left_on: date | None

    @classmethod
    def of(cls, staff: StaffMember) -> Person:
        return cls(staff.id, staff.staff_number, staff.left_on)


@dataclass(frozen=True)
class HeldRelationship:
    """A supervision relationship as it is stored."""

    id: int
    supervisee_id: int
    supervisor_id: int
    supervisor_number: str
    started_on: date
    ended_on: date | None

    @classmethod
    def of(cls, rel: SupervisionRelationship) -> HeldRelationship:
        number = rel.supervisor.staff_number
        return cls(
            rel.id, rel.supervisee_id, rel.supervisor_id, number, rel.started_on, rel.ended_on
        )


def held_relationships(session: Session, *where) -> list[HeldRelationship]:
    """The relationships meeting the conditions, oldest first (one query)."""
    rel, supervisor = SupervisionRelationship, StaffMember
    rows = session.execute(
        select(rel.id, rel.supervisee_id, rel.supervisor_id, supervisor.staff_number)
        .add_columns(rel.started_on, rel.ended_on)
        .join(supervisor, supervisor.id == rel.supervisor_id)
        .where(*where)
        .order_by(rel.started_on, rel.id)
    )
    return [HeldRelationship(*row) for row in rows]


def open_relationships(
    session: Session, supervisee_ids: Iterable[int]
) -> dict[int, HeldRelationship]:
    """Each supervisee's relationship in force (should one have two open, the latest)."""
    rel = SupervisionRelationship
    found = held_relationships(
        session, rel.supervisee_id.in_(list(supervisee_ids)), rel.ended_on.is_(None)
    )
    return {held.supervisee_id: held for held in found}


def relationship_subjects(rel_id: int, supervisee_id: int) -> set[str]:
    return {relationship_fact_id(rel_id), staff_fact_id(supervisee_id)}


def end_relationships(
    session: Session, ends: Iterable[tuple[HeldRelationship, date]], changes: Changes
) -> None:
    """End each relationship on its day, recording each, in one UPDATE."""
    ends = list(ends)
    if any(ended_on < rel.started_on for rel, ended_on in ends):
        raise FieldProblem("ended_on", "The relationship cannot end before it started.")
    for rel, ended_on in ends:
        fields = [FieldChange("ended_on", rel.ended_on, ended_on)]
        label = f"relationship {rel.id}"
        changes.add(
            Change(ENDED, "supervision_relationship", label, rel.supervisee_id, fields, rel.id),
            relationship_subjects(rel.id, rel.supervisee_id),
        )
    update_by_id(session, SupervisionRelationship, {rel.id: {"ended_on": day} for rel, day in ends})


def end_in_session(
    session: Session, rel: SupervisionRelationship, ended_on: date, changes: Changes
) -> None:
    end_relationships(session, [(HeldRelationship.of(rel), ended_on)], changes)


def check_pair(supervisee: Person, supervisor: Person, started_on: date) -> None:
    if supervisee.id == supervisor.id:
        raise FieldProblem("supervisor", "A person cannot supervise themselves.")
    if supervisor.left_on is not None and supervisor.left_on < started_on:
        raise FieldProblem("supervisor", "The supervisor had left by that date.")
    if supervisee.left_on is not None and supervisee.left_on < started_on:
        raise FieldProblem("supervisee", "The person had left by that date.")


@dataclass(frozen=True)
class Naming:
    """What a file's row or the admin page asks: this supervisor from this day."""

    supervisee: Person
    supervisor: Person
    started_on: date
    reason: RelationshipReason | None = None  # None: new starter, or change of supervisor
    row: int = 0  # the file's row (0: the admin page)


Refuse = Callable[[Naming, FieldProblem], None]


def _raise(_naming: Naming, problem: FieldProblem) -> None:
    raise problem


def _check_naming(naming: Naming, current: HeldRelationship | None) -> None:
    check_pair(naming.supervisee, naming.supervisor, naming.started_on)
    if current is None or current.supervisor_id == naming.supervisor.id:
        return
    if naming.started_on < current.started_on:
        raise FieldProblem(
            "started_on", "The new supervisor must start after the current one started."
        )


def name_supervisors(
    session: Session, namings: Sequence[Naming], changes: Changes, refuse: Refuse = _raise
) -> dict[int, int]:
    """Each supervisee's supervisor in force from the day named (the
    supervisees distinct): unchanged when it already is them; otherwise the
    relationship in force ends that day and a new one begins (a new starter's
    first, or a change of supervisor unless another reason is given). A naming
    that cannot be made is refused (by default raised). Three statements:
    the relationships in force read, those that end updated, the new inserted.
    The relationship in force afterwards, by supervisee id."""
    if not namings:
        return {}
    held = open_relationships(session, [n.supervisee.id for n in namings])
    in_force: dict[int, int] = {}
    starting: list[tuple[Naming, HeldRelationship | None]] = []
    for naming in namings:
        current = held.get(naming.supervisee.id)
        try:
            _check_naming(naming, current)
        except FieldProblem as problem:
            refuse(naming, problem)
            continue
        if current is not None and current.supervisor_id == naming.supervisor.id:
            changes.unchanged += 1
            in_force[naming.supervisee.id] = current.id
        else:
            starting.append((naming, current))
    end_relationships(
        session, [(current, n.started_on) for n, current in starting if current], changes
    )
    in_force |= _start(session, starting, changes)
    return in_force


def _start(
    session: Session, starting: list[tuple[Naming, HeldRelationship | None]], changes: Changes
) -> dict[int, int]:
    """The new relationships, in one INSERT, each recorded: their ids by supervisee id."""
    reasons = {
        n.supervisee.id: n.reason
        or (RelationshipReason.CHANGE_OF_SUPERVISOR if current else RelationshipReason.NEW_STARTER)
        for n, current in starting
    }
    new_ids = insert_relationships(
        session,
        [
            {"supervisor_id": n.supervisor.id, "supervisee_id": n.supervisee.id}
            | {"started_on": n.started_on, "reason": reasons[n.supervisee.id]}
            for n, _current in starting
        ],
    )
    for naming, current in starting:
        rel_id = new_ids[naming.supervisee.id]
        fields = [
            FieldChange(
                "supervisor",
                current.supervisor_number if current else None,
                naming.supervisor.staff_number,
            ),
            FieldChange("reason", None, reasons[naming.supervisee.id]),
            FieldChange("started_on", None, naming.started_on),
        ]
        outcome = CHANGED if current else NEW
        supervisee = naming.supervisee
        label = supervisee.staff_number
        change = Change(outcome, "supervision_relationship", label, supervisee.id, fields, rel_id)
        changes.add(change, relationship_subjects(rel_id, supervisee.id))
    return new_ids


def insert_relationships(session: Session, rows: list[dict]) -> dict[int, int]:
    """New relationships of distinct supervisees, in one INSERT: their ids by supervisee id."""
    return insert_returning(session, SupervisionRelationship, rows, key="supervisee_id")


def name_in_session(
    session: Session,
    supervisee: StaffMember,
    supervisor: StaffMember,
    started_on: date,
    reason: RelationshipReason | None,
    changes: Changes,
) -> int:
    """The admin page's naming, as a batch of one: the relationship in force's id."""
    naming = Naming(Person.of(supervisee), Person.of(supervisor), started_on, reason)
    return name_supervisors(session, [naming], changes)[supervisee.id]


# --- the admin pages' actions ---------------------------------------------------------


@dataclass(frozen=True)
class RelationshipResult:
    relationship_id: int
    next_task_ids: tuple[int, ...]


def _person(session: Session, actor: Actor, staff_id: int, field: str) -> StaffMember:
    person = session.get(StaffMember, staff_id)
    if person is None or person.organisation_id != actor.organisation_id:
        raise FieldProblem(field, "Select a person in this organisation.")
    return person


def name_supervisor(
    *,
    actor_user_id: int,
    supervisee_id: int,
    supervisor_id: int,
    reason: str,
    started_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> RelationshipResult:
    try:
        why = RelationshipReason(reason)
    except ValueError:
        raise FieldProblem("reason", "Select why the supervisor is being named.") from None
    with admin_action(actor_user_id, on, session_factory) as action:
        supervisee = _person(action.session, action.actor, supervisee_id, "supervisee")
        supervisor = _person(action.session, action.actor, supervisor_id, "supervisor")
        check_may_change_staff(action.session, action.actor, supervisee)
        rel_id = name_in_session(
            action.session, supervisee, supervisor, started_on, why, action.changes
        )
        if not action.changes.items:
            raise ActionError("That person is already their supervisor.")
        done = action.finish("create", "supervision_relationship", rel_id, supervisee.id)
        return RelationshipResult(rel_id, done.next_task_ids)


def end_relationship(
    *,
    actor_user_id: int,
    relationship_id: int,
    ended_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> RelationshipResult:
    with admin_action(actor_user_id, on, session_factory) as action:
        rel = action.session.get(SupervisionRelationship, relationship_id)
        if rel is None:
            raise ActionError("There is no such relationship.")
        check_may_change_staff(action.session, action.actor, rel.supervisee)
        if rel.ended_on is not None:
            raise ActionError("That relationship has already ended.")
        rel_id, supervisee_id = rel.id, rel.supervisee_id
        end_in_session(action.session, rel, ended_on, action.changes)
        done = action.finish("update", "supervision_relationship", rel_id, supervisee_id)
        return RelationshipResult(rel_id, done.next_task_ids)
