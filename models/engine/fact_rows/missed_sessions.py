"""Missed sessions raised and escalated (policy/rules/missed_sessions.py):
a few rows a relationship at most, so every one of a relationship is read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables.missed_session import MissedSession as MissedRow
from models.tables.org import StaffMember
from models.tables.supervision import SupervisionRelationship
from policy.facts import MissedSession
from policy.keys import relationship_fact_id


def missed_session_facts(session: Session, where) -> tuple[MissedSession, ...]:
    rel = SupervisionRelationship
    rows = session.execute(
        select(
            MissedRow.relationship_id,
            MissedRow.due_on,
            MissedRow.raised_on,
            MissedRow.escalated_on,
            MissedRow.responded_on,
        )
        .join(rel, rel.id == MissedRow.relationship_id)
        .join(StaffMember, StaffMember.id == rel.supervisee_id)
        .where(where)
        .order_by(MissedRow.relationship_id, MissedRow.due_on)
    ).all()
    return tuple(
        MissedSession(
            relationship=relationship_fact_id(rel_id),
            due=due_on,
            raised_on=raised_on,
            escalated_on=escalated_on,
            responded_on=responded_on,
        )
        for rel_id, due_on, raised_on, escalated_on, responded_on in rows
    )
