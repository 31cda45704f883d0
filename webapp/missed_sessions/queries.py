"""The reads of the missed-session page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from models import OPEN_STATUSES, HumanTask, MissedSession, SupervisionRelationship
from webapp import queries as core
from webapp.database import db_session
from webapp.users import AppUser

KINDS = ("missed_session_raise", "missed_session_escalate", "missed_session_response")


def relationship_of_managed_supervisor(user: AppUser, relationship_id: int):
    """The relationship, if the signed-in person holds an open response task
    about it (the supervisor's line manager, or whoever it was handed to)."""
    rel = core.relationship_in_org(user, relationship_id)
    if rel is None or user.staff_id is None:
        return None
    held = db_session().scalar(
        select(HumanTask.id)
        .where(
            HumanTask.relationship_id == rel.id,
            HumanTask.kind == "missed_session_response",
            HumanTask.assignee_id == user.staff_id,
            HumanTask.status.in_(OPEN_STATUSES),
        )
        .limit(1)
    )
    return rel if held is not None else None


def chain_of(rel: SupervisionRelationship) -> list[MissedSession]:
    return list(
        db_session().scalars(
            select(MissedSession)
            .where(MissedSession.relationship_id == rel.id)
            .order_by(MissedSession.due_on.desc())
        )
    )


def open_steps(rel: SupervisionRelationship) -> list[HumanTask]:
    """The chain's open human tasks about this relationship, oldest session first."""
    return list(
        db_session().scalars(
            select(HumanTask)
            .where(
                HumanTask.relationship_id == rel.id,
                HumanTask.kind.in_(KINDS),
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .options(joinedload(HumanTask.assignee))
            .order_by(HumanTask.due_on, HumanTask.id)
        )
    )
