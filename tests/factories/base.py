"""What every factory does: take a row or its id, add a row and flush it."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


def row_of(session: Session, model: type[T], row_or_id: T | int) -> T:
    """The row itself, or the row with that id (tests often hold only ids)."""
    return session.get(model, row_or_id) if isinstance(row_or_id, int) else row_or_id


def id_of(row_or_id) -> int | None:
    return row_or_id if row_or_id is None or isinstance(row_or_id, int) else row_or_id.id


def added(session: Session, row: T) -> T:
    session.add(row)
    session.flush()
    return row
