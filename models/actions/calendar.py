"""Calendar feed links: make a person's link (any earlier one stops working)
and revoke it, each in one transaction with its audit entry. Only the
token's SHA-256 hash is stored; the token itself is returned once, to show."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.base import utcnow
from models.db import get_sessionmaker
from models.tables.audit import AuditEntry
from models.tables.oversight import CalendarToken
from policy.keys import staff_fact_id


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    *, user_id: int, staff_id: int, session_factory: sessionmaker | None = None
) -> str:
    """A new feed token for this login (shown once); earlier ones are revoked."""
    token = secrets.token_urlsafe(32)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        _revoke_live(session, user_id)
        session.add(CalendarToken(user_id=user_id, token_hash=hash_token(token)))
        session.add(_audit(user_id, staff_id, "create", "Created a calendar feed link"))
    return token


def revoke_tokens(
    *, user_id: int, staff_id: int, session_factory: sessionmaker | None = None
) -> None:
    """Stop this login's feed link working."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        _revoke_live(session, user_id)
        session.add(_audit(user_id, staff_id, "revoke", "Revoked the calendar feed link"))


def _revoke_live(session: Session, user_id: int) -> None:
    for old in session.scalars(
        select(CalendarToken).where(
            CalendarToken.user_id == user_id, CalendarToken.revoked_at.is_(None)
        )
    ):
        old.revoked_at = utcnow()


def _audit(user_id: int, staff_id: int, action: str, detail: str) -> AuditEntry:
    return AuditEntry(
        actor_user_id=user_id,
        actor=staff_fact_id(staff_id),
        action=action,
        object_type="calendar_token",
        object_id=str(user_id),
        subject_staff_id=staff_id,
        detail=detail,
    )
