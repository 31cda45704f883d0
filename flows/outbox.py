"""The drainer: the web app's outbox rows become Prefect events, which run
the lifecycle deployments' triggers for that subject. Served every minute.

A pass with nothing waiting (most minutes) reads one count and ends: no task
run, so the drainer's runs do not bury the lifecycle runs in the UI."""

from __future__ import annotations

from prefect import flow

from flows.lifecycle import row_flow
from flows.table import row
from models.actions.waiting_work import outbox_waiting
from models.engine.outbox import BATCH_SIZE, DrainResult
from tasks.outbox import deliver_outbox_events


@flow(**row_flow(row("outbox-every-minute")))
def drain_outbox_flow(batch_size: int = BATCH_SIZE) -> DrainResult:
    if not outbox_waiting():
        return DrainResult(delivered=0, failed=0, remaining=0)
    return deliver_outbox_events(batch_size)


if __name__ == "__main__":
    print(drain_outbox_flow())
