"""The drainer: the web app's outbox rows become Prefect events, which run
the lifecycle deployments' triggers for that subject. Served every minute."""

from __future__ import annotations

from prefect import flow

from tasks.outbox import BATCH_SIZE, DrainResult, deliver_outbox_events


@flow(
    name="Deliver the web app's events to Prefect",
    description=(
        "Reads undelivered outbox rows in batches and posts them to Prefect as events; a row "
        "is marked delivered only once Prefect accepted it, so nothing is lost while "
        "Prefect is down."
    ),
    log_prints=True,
)
def drain_outbox_flow(batch_size: int = BATCH_SIZE) -> DrainResult:
    return deliver_outbox_events(batch_size)


if __name__ == "__main__":
    print(drain_outbox_flow())
