"""What signing in keeps on the server, so it holds across worker processes:

- `SignInSession`: one row per signed-in browser. The session cookie carries
  a random token whose SHA-256 hash is kept here; each request looks it up,
  so signing out (which ends the row) stops a copied cookie working at once.
- `AttemptCounter`: failures counted in one window per key (an account, an
  address, a calendar-feed token prefix), each count changed by one atomic
  statement (models/actions/throttle.py), never read-modify-write."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class SignInSession(Base):
    __tablename__ = "sign_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class AttemptCounter(Base):
    __tablename__ = "attempt_counter"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_started: Mapped[datetime] = mapped_column(DateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
