"""The outbox drainer's delivery to Prefect (models/engine/outbox.py reads and
marks the rows).

Delivery must be confirmable. `prefect.events.emit_event` is not: it hands
the event to a background worker and returns, logging and dropping the event
if the server cannot be reached, so a drainer that trusted it would mark
events delivered while Prefect is down. This posts each batch to the
server's events endpoint (POST /api/events) with Prefect's own client, which
raises on a refused connection or an error status, after checking the
server's health."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from prefect import task
from prefect.logging import get_run_logger
from sqlalchemy.orm import sessionmaker

from models.engine import outbox
from models.engine.outbox import BATCH_SIZE, MAX_BATCHES, DrainResult
from tasks.retries import is_transient_failure


class PrefectUnavailable(RuntimeError):
    """Prefect's API did not answer or did not accept the events."""


class OutboxNotDelivered(RuntimeError):
    """Some outbox events could not be delivered; they stay for the next pass."""


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
    """Deliver the undelivered outbox rows to Prefect (models.engine.outbox.drain_outbox)."""
    return outbox.drain_outbox(
        deliver=deliver,
        batch_size=batch_size,
        max_batches=max_batches,
        session_factory=session_factory,
    )


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
