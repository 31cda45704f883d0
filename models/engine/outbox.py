"""Draining the outbox: the web app's OutboxEvent rows, delivered as events
(to Prefect, by tasks/outbox.py), so each lifecycle deployment's trigger runs
the flow for that subject.

A row is marked delivered only when `deliver` returned, in the same
transaction that read it; a failure adds to the row's attempts and records the
error, and the row waits for the next pass. Each event's id is derived from
its row, so if the drainer dies between delivering and committing the next
pass sends the same event id again."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from models.base import utcnow
from models.db import get_sessionmaker
from models.tables.outbox import OutboxEvent

BATCH_SIZE = 100
MAX_BATCHES = 20  # a pass delivers at most this many batches; the next pass does the rest
_NAMESPACE = uuid.UUID("5b7f0d0e-4f7c-4c7b-9a1e-6f2f3c1d7a10")


@dataclass(frozen=True)
class DrainResult:
    delivered: int
    failed: int
    remaining: int  # undelivered rows left after this pass
    error: str | None = None


def event_id(row: OutboxEvent) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{row.id}:{row.created_at.isoformat()}"))


def as_prefect_event(row: OutboxEvent) -> dict:
    """The row as Prefect's Event JSON: its name, the resource the lifecycle
    triggers match ("oversight.relationship.42"), and its payload."""
    occurred: datetime = row.created_at
    return {
        "id": event_id(row),
        "occurred": occurred.isoformat() + "+00:00",
        "event": row.event,
        "resource": {"prefect.resource.id": row.resource_id},
        "related": [],
        "payload": dict(row.payload or {}),
    }


def drain_outbox(
    *,
    deliver: Callable[[Sequence[dict]], None],
    batch_size: int = BATCH_SIZE,
    max_batches: int = MAX_BATCHES,
    session_factory: sessionmaker | None = None,
) -> DrainResult:
    """Deliver undelivered outbox rows, oldest first, a batch per transaction.
    Rows another drainer holds are skipped (PostgreSQL's SKIP LOCKED), so two
    drainers at once deliver each row once. Stops at the first failure."""
    factory = session_factory or get_sessionmaker()
    delivered = failed = 0
    error: str | None = None
    for _ in range(max_batches):
        with factory() as session, session.begin():
            rows = list(
                session.scalars(
                    select(OutboxEvent)
                    .where(OutboxEvent.delivered_at.is_(None))
                    .order_by(OutboxEvent.id)
                    .limit(batch_size)
                    .with_for_update(skip_locked=True)
                )
            )
            if not rows:
                break
            error = _deliver_batch(rows, deliver)
            if error is None:
                delivered += len(rows)
            else:
                failed += len(rows)
        if error is not None or len(rows) < batch_size:
            break
    with factory() as session:
        remaining = session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.delivered_at.is_(None))
        )
    return DrainResult(delivered, failed, remaining or 0, error)


def _deliver_batch(
    rows: list[OutboxEvent], deliver: Callable[[Sequence[dict]], None]
) -> str | None:
    """Deliver the rows and mark them so; the error, or None."""
    try:
        deliver([as_prefect_event(row) for row in rows])
    except Exception as problem:
        error = f"{type(problem).__name__}: {problem}"
        for row in rows:
            row.attempts = (row.attempts or 0) + 1
            row.last_error = error[:2000]
        return error
    now = utcnow()
    for row in rows:
        row.attempts = (row.attempts or 0) + 1
        row.delivered_at = now
        row.last_error = None
    return None
