"""The outbox drainer: deliver the web app's OutboxEvent rows to Prefect as
events, so each lifecycle deployment's trigger runs the flow for that subject.

Delivery must be confirmable. `prefect.events.emit_event` is not: it hands
the event to a background worker and returns, logging and dropping the event
if the server cannot be reached, so a drainer that trusted it would mark
events delivered while Prefect is down. This posts each batch to the
server's events endpoint (POST /api/events) with Prefect's own client, which
raises on a refused connection or an error status, after checking the
server's health; a row is marked delivered only when that post succeeded,
in the same transaction that read it. A failure adds to the row's attempts
and records the error, and the row waits for the next pass.

Each event's id is derived from its row, so if the drainer dies between the
post and the commit the next pass sends the same event id again."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from prefect import task
from prefect.logging import get_run_logger
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from models import OutboxEvent
from models.base import utcnow
from models.db import get_sessionmaker
from tasks.retries import is_transient_failure

BATCH_SIZE = 100
MAX_BATCHES = 20  # a pass delivers at most this many batches; the next pass does the rest
_NAMESPACE = uuid.UUID("5b7f0d0e-4f7c-4c7b-9a1e-6f2f3c1d7a10")


class PrefectUnavailable(RuntimeError):
    """Prefect's API did not answer or did not accept the events."""


class OutboxNotDelivered(RuntimeError):
    """Some outbox events could not be delivered; they stay for the next pass."""


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


def post_events(events: Sequence[dict]) -> None:
    """Deliver a batch to Prefect's API, or raise PrefectUnavailable."""
    import httpx
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    where = PREFECT_API_URL.value()
    if not where:
        # Without a server address Prefect would start a throwaway in-process API, and
        # the events would be "delivered" to something that disappears with this process.
        raise PrefectUnavailable("PREFECT_API_URL is not set, so there is no Prefect server")
    with get_client(sync_client=True) as client:
        unhealthy = client.api_healthcheck()
        if unhealthy is not None:
            raise PrefectUnavailable(
                f"Prefect's API at {where} is not answering: {type(unhealthy).__name__}: "
                f"{unhealthy}"
            )
        try:
            client.request("POST", "/events", json=list(events))
        except httpx.HTTPStatusError as error:
            raise PrefectUnavailable(
                f"Prefect's API at {where} refused the events: HTTP "
                f"{error.response.status_code}: {error.response.text[:300]}"
            ) from error
        except httpx.HTTPError as error:
            raise PrefectUnavailable(
                f"Prefect's API at {where} did not take the events: {type(error).__name__}: {error}"
            ) from error


def drain_outbox(
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int = MAX_BATCHES,
    deliver: Callable[[Sequence[dict]], None] = post_events,
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
            try:
                deliver([as_prefect_event(row) for row in rows])
            except Exception as problem:
                error = f"{type(problem).__name__}: {problem}"
                for row in rows:
                    row.attempts = (row.attempts or 0) + 1
                    row.last_error = error[:2000]
                failed += len(rows)
            else:
                now = utcnow()
                for row in rows:
                    row.attempts = (row.attempts or 0) + 1
                    row.delivered_at = now
                    row.last_error = None
                delivered += len(rows)
        if error is not None or len(rows) < batch_size:
            break
    with factory() as session:
        remaining = session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.delivered_at.is_(None))
        )
    return DrainResult(delivered, failed, remaining or 0, error)


@task(
    name="Deliver a batch of outbox events to Prefect",
    retries=2,
    retry_delay_seconds=[5, 15],
    retry_condition_fn=is_transient_failure,
)
def deliver_outbox_events(batch_size: int = BATCH_SIZE) -> DrainResult:
    """Retried only when the database was briefly busy; a Prefect API that did
    not take the events is tried again by the drainer's next pass, a minute later."""
    result = drain_outbox(batch_size=batch_size)
    logger = get_run_logger()
    logger.info(
        "Delivered %d outbox event(s); %d left undelivered", result.delivered, result.remaining
    )
    if result.error is not None:
        raise OutboxNotDelivered(
            f"{result.failed} outbox event(s) were not delivered and stay in the outbox for the "
            f"next pass ({result.remaining} undelivered in all): {result.error}"
        )
    return result
