"""The few expressions SQLite and PostgreSQL write differently."""

from __future__ import annotations

from sqlalchemy import Date, cast, func, literal
from sqlalchemy.orm import Session


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def month_of(session: Session, day_column):
    """The YYYY-MM a date falls in."""
    if dialect_of(session) == "postgresql":
        return func.to_char(day_column, literal("YYYY-MM"))
    return func.strftime(literal("%Y-%m"), day_column)


def days_between(session: Session, earlier, later):
    """Days (fractional) from one timestamp to a later one."""
    if dialect_of(session) == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def day_of(session: Session, timestamp_column):
    """The date part of a timestamp."""
    if dialect_of(session) == "postgresql":
        return cast(timestamp_column, Date)
    return func.date(timestamp_column)
