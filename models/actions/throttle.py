"""Counting failures that slow down guessing (wrong passwords per account and
per address, wrong calendar-feed tokens per token prefix), shared by every
worker process through the database.

Each count changes in one atomic statement (INSERT ... ON CONFLICT DO UPDATE
... RETURNING), never read in Python and written back: sixty attempts at
once are sixty increments, and each attempt learns its own place in the
count. A key's window starts at its first failure and lasts `window`; the
first failure after it starts a new one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from models.base import utcnow
from models.db import get_sessionmaker
from models.tables.sign_in import AttemptCounter

COUNTER = AttemptCounter.__table__


def count_failure(session: Session, key: str, window: timedelta, now: datetime) -> int:
    """One more failure for `key` (a fresh window if its last one has passed);
    the count in the window, this failure included."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stale = COUNTER.c.window_started <= now - window
    statement = (
        insert(AttemptCounter)
        .values(key=key, window_started=now, failures=1)
        .on_conflict_do_update(
            index_elements=[COUNTER.c.key],
            set_={
                "failures": case((stale, 1), else_=COUNTER.c.failures + 1),
                "window_started": case((stale, now), else_=COUNTER.c.window_started),
            },
        )
        .returning(COUNTER.c.failures)
    )
    return session.execute(statement).scalar_one()


def failures(session: Session, key: str, window: timedelta, now: datetime) -> int:
    """The failures counted for `key` in its current window (0 once it has passed)."""
    found = session.scalar(
        select(AttemptCounter.failures).where(
            AttemptCounter.key == key, AttemptCounter.window_started > now - window
        )
    )
    return found or 0


def take_back(session: Session, key: str) -> None:
    """An attempt counted in advance turned out not to be a failure."""
    session.execute(
        update(AttemptCounter)
        .where(AttemptCounter.key == key, AttemptCounter.failures > 0)
        .values(failures=AttemptCounter.failures - 1)
    )


def forget(session: Session, key: str) -> None:
    session.execute(delete(AttemptCounter).where(AttemptCounter.key == key))


def note_failure(
    *,
    keys: list[str],
    window: timedelta,
    session_factory: sessionmaker | None = None,
) -> int:
    """Count one failure against each key, in one transaction; the highest
    count among them, this failure included."""
    now = utcnow()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        return max(count_failure(session, key, window, now) for key in keys)
