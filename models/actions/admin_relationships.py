"""Naming a person's supervisor and ending a supervision relationship, for the
admin pages and the relationships import alike. Naming a new supervisor ends
the relationship in force and starts one with its reason (new starter, change
of post, change of supervisor), which starts the agreement clock exactly as
the policy engine defines it (Lancashire §1.4)."""

from __future__ import annotations

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
from models.actions.errors import ActionError
from models.tables.org import StaffMember
from models.tables.supervision import RelationshipReason, SupervisionRelationship
from policy.keys import relationship_fact_id, staff_fact_id


def open_relationship(session: Session, supervisee_id: int) -> SupervisionRelationship | None:
    return session.scalars(
        select(SupervisionRelationship)
        .where(
            SupervisionRelationship.supervisee_id == supervisee_id,
            SupervisionRelationship.ended_on.is_(None),
        )
        .order_by(SupervisionRelationship.started_on.desc(), SupervisionRelationship.id.desc())
    ).first()


def _subjects(rel: SupervisionRelationship) -> set[str]:
    return {relationship_fact_id(rel.id), staff_fact_id(rel.supervisee_id)}


def end_in_session(
    session: Session, rel: SupervisionRelationship, ended_on: date, changes: Changes
) -> None:
    if ended_on < rel.started_on:
        raise FieldProblem("ended_on", "The relationship cannot end before it started.")
    changes.add(
        Change(
            ENDED,
            "supervision_relationship",
            f"relationship {rel.id}",
            rel.supervisee_id,
            [FieldChange("ended_on", rel.ended_on, ended_on)],
            rel.id,
        ),
        _subjects(rel),
    )
    rel.ended_on = ended_on


def check_pair(supervisee: StaffMember, supervisor: StaffMember, started_on: date) -> None:
    if supervisee.id == supervisor.id:
        raise FieldProblem("supervisor", "A person cannot supervise themselves.")
    if supervisor.left_on is not None and supervisor.left_on < started_on:
        raise FieldProblem("supervisor", "The supervisor had left by that date.")
    if supervisee.left_on is not None and supervisee.left_on < started_on:
        raise FieldProblem("supervisee", "The person had left by that date.")


def name_in_session(
    session: Session,
    supervisee: StaffMember,
    supervisor: StaffMember,
    started_on: date,
    reason: RelationshipReason | None,
    changes: Changes,
) -> SupervisionRelationship:
    """The supervisor in force from `started_on`: unchanged when it already is
    them; otherwise the current relationship ends that day and a new one
    begins (a new starter's first, or a change of supervisor unless another
    reason is given)."""
    check_pair(supervisee, supervisor, started_on)
    current = open_relationship(session, supervisee.id)
    if current is not None and current.supervisor_id == supervisor.id:
        changes.unchanged += 1
        return current
    if current is not None:
        if started_on < current.started_on:
            raise FieldProblem(
                "started_on", "The new supervisor must start after the current one started."
            )
        end_in_session(session, current, started_on, changes)
    reason = reason or (
        RelationshipReason.CHANGE_OF_SUPERVISOR if current else RelationshipReason.NEW_STARTER
    )
    rel = SupervisionRelationship(
        supervisor_id=supervisor.id,
        supervisee_id=supervisee.id,
        started_on=started_on,
        reason=reason,
    )
    session.add(rel)
    session.flush()
    fields = [
        FieldChange(
            "supervisor",
            current.supervisor.staff_number if current else None,
            supervisor.staff_number,
        ),
        FieldChange("reason", None, reason),
        FieldChange("started_on", None, started_on),
    ]
    outcome = CHANGED if current else NEW
    changes.add(
        Change(
            outcome,
            "supervision_relationship",
            supervisee.staff_number,
            supervisee.id,
            fields,
            rel.id,
        ),
        _subjects(rel),
    )
    return rel


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
        rel = name_in_session(
            action.session, supervisee, supervisor, started_on, why, action.changes
        )
        if not action.changes.items:
            raise ActionError("That person is already their supervisor.")
        done = action.finish("create", "supervision_relationship", rel.id, supervisee.id)
        return RelationshipResult(rel.id, done.next_task_ids)


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
        end_in_session(action.session, rel, ended_on, action.changes)
        done = action.finish("update", "supervision_relationship", rel.id, rel.supervisee_id)
        return RelationshipResult(rel.id, done.next_task_ids)
