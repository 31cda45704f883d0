"""Actions agreed in supervision (policy/rules/actions.py): those with an
owner and a date, from held sessions, as the supervisee's facts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables.org import StaffMember
from models.tables.supervision import (
    SessionAction,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.facts import AgreedAction
from policy.keys import action_fact_id, staff_fact_id


def action_facts(session: Session, where) -> tuple[AgreedAction, ...]:
    rel = SupervisionRelationship
    rows = session.execute(
        select(
            SessionAction.id,
            rel.supervisee_id,
            SessionAction.owner_id,
            SupervisionSession.held_on,
            SessionAction.due_on,
            SessionAction.done_on,
        )
        .join(SupervisionSession, SupervisionSession.id == SessionAction.session_id)
        .join(rel, rel.id == SupervisionSession.relationship_id)
        .join(StaffMember, StaffMember.id == rel.supervisee_id)
        .where(
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on.is_not(None),
            SessionAction.owner_id.is_not(None),
            SessionAction.due_on.is_not(None),
            where,
        )
        .order_by(rel.supervisee_id, SessionAction.id)
    ).all()
    return tuple(
        AgreedAction(
            id=action_fact_id(action_id),
            supervisee=staff_fact_id(supervisee_id),
            owner=staff_fact_id(owner_id),
            agreed_on=held_on,
            due_on=max(due_on, held_on),  # a date typed before the session counts from it
            done_on=done_on,
        )
        for action_id, supervisee_id, owner_id, held_on, due_on, done_on in rows
    )
