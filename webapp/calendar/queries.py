"""Reads for the calendar pages: a login's live feed link, the login a feed
token belongs to, and a person's planned sessions."""

from __future__ import annotations

import hmac

from sqlalchemy import or_, select

from models import (
    CalendarToken,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
    UserAccount,
)
from models.actions.accounts import can_sign_in
from models.actions.calendar import hash_token
from webapp.database import db_session
from webapp.dates import today


def live_token(user_id: int) -> CalendarToken | None:
    return (
        db_session()
        .scalars(
            select(CalendarToken)
            .where(CalendarToken.user_id == user_id, CalendarToken.revoked_at.is_(None))
            .order_by(CalendarToken.created_at.desc())
            .limit(1)
        )
        .one_or_none()
    )


def account_for(token: str) -> UserAccount | None:
    """The login whose live token this is, if it may still sign in."""
    digest = hash_token(token)
    row = (
        db_session()
        .scalars(select(CalendarToken).where(CalendarToken.token_hash == digest).limit(1))
        .one_or_none()
    )
    # The lookup is by hash (an attacker cannot steer it); compare in constant time too.
    if row is None or not hmac.compare_digest(row.token_hash, digest) or row.revoked_at:
        return None
    account = db_session().get(UserAccount, row.user_id)
    if account is None or not can_sign_in(account, today()):
        return None
    return account


def planned_sessions(staff_id: int) -> list[SupervisionSession]:
    """The planned sessions this person is either party to, soonest first."""
    rel = SupervisionRelationship
    return list(
        db_session().scalars(
            select(SupervisionSession)
            .join(rel, rel.id == SupervisionSession.relationship_id)
            .where(
                SupervisionSession.status == SessionStatus.PLANNED,
                SupervisionSession.planned_on.is_not(None),
                or_(rel.supervisor_id == staff_id, rel.supervisee_id == staff_id),
            )
            .order_by(SupervisionSession.planned_on, SupervisionSession.id)
        )
    )
