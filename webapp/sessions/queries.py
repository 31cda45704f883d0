"""Reads for supervision sessions, scoped to the signed-in person's
organisation. Each returns None for anything the person may not see, so a
view answers 404 whether the row is missing or someone else's. A session's
parties are webapp.queries (session_as_party, session_as_supervisee)."""

from __future__ import annotations

from sqlalchemy import select

from models import SessionStatus, SupervisionRelationship, SupervisionSession
from models.actions.permissions import may_record_for
from webapp import queries
from webapp.database import db_session
from webapp.dates import today
from webapp.users import AppUser


def relationship_as_recorder(user: AppUser, relationship_id: int) -> SupervisionRelationship | None:
    """The relationship, if this person may record and sign its sessions today:
    its supervisor, or the colleague covering for them while the cover is in
    force (models.actions.permissions.may_record_for)."""
    rel = queries.relationship_in_org(user, relationship_id)
    if rel is None or not may_record_for(db_session(), rel, user.staff_id, today()):
        return None
    return rel


def session_as_recorder(user: AppUser, session_id: int) -> SupervisionSession | None:
    row = queries.session_in_org(user, session_id)
    if row is None or relationship_as_recorder(user, row.relationship_id) is None:
        return None
    return row


def sessions_of(relationship_id: int) -> list[SupervisionSession]:
    return list(
        db_session().scalars(
            select(SupervisionSession)
            .where(SupervisionSession.relationship_id == relationship_id)
            .order_by(
                SupervisionSession.held_on.is_(None),
                SupervisionSession.held_on.desc(),
                SupervisionSession.planned_on,
                SupervisionSession.id,
            )
        )
    )


def held_on_day(relationship_id: int, held_on) -> SupervisionSession | None:
    return (
        db_session()
        .scalars(
            select(SupervisionSession)
            .where(
                SupervisionSession.relationship_id == relationship_id,
                SupervisionSession.status == SessionStatus.HELD,
                SupervisionSession.held_on == held_on,
            )
            .order_by(SupervisionSession.id)
            .limit(1)
        )
        .one_or_none()
    )
