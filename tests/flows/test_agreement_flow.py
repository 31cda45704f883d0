"""The agreement lifecycle flow against Prefect's ephemeral server. Kept few:
the logic is tested below Prefect in test_reconcile_tasks.py."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from flows.agreement_lifecycle import agreement_lifecycle
from models import HumanTask
from tasks.artifacts import artifact_key

pytestmark = pytest.mark.prefect

AS_OF = date(2026, 11, 9)


def human_task_keys(db) -> list[str]:
    with db() as session:
        return sorted(session.scalars(select(HumanTask.key)))


def latest_artifact(key: str):
    """Prefect 3.8.8's server here answers 422 to the client's nulls for the
    flow-run and task-run filters (and the sync client's null offset), so pass
    empty filters and use the async client."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        TaskRunFilter,
    )
    from prefect.client.schemas.sorting import ArtifactSort

    async def read():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                flow_run_filter=FlowRunFilter(),
                task_run_filter=TaskRunFilter(),
                sort=ArtifactSort.CREATED_DESC,
                limit=1,
            )

    # The server may still be writing the artifact when the flow returns (its
    # SQLite waits on a lock under load): poll for a while before failing.
    deadline = time.monotonic() + 20
    while not (found := asyncio.run(read())) and time.monotonic() < deadline:
        time.sleep(0.2)
    [artifact] = found
    return artifact


def test_the_flow_creates_each_agreement_once_and_reports_what_it_did(
    prefect_server, db, new_relationships
):
    org = new_relationships["organisation_id"]
    first, second = new_relationships["relationship_ids"]

    [first_run] = agreement_lifecycle(as_of=AS_OF, organisation_id=org)
    report = latest_artifact(artifact_key("agreement", org))
    [second_run] = agreement_lifecycle(as_of=AS_OF, organisation_id=org)

    assert first_run.created == 2
    assert second_run.created == 0
    assert human_task_keys(db) == [f"agreement:rel-{first}", f"agreement:rel-{second}"]
    assert "# Agreement lifecycle: Testshire County Council" in report.data
    assert "| 2 | 0 | 0 | 0 | 0 | 0 | 2 | 0 |" in report.data
    assert "| Assessment Team 1 | 2 | 0 | 0 | 0 | 0 |" in report.data
    assert report.type == "markdown"
    assert report.description == "2 created, 0 completed, 0 cancelled, 0 escalated; 0 overdue"


def test_the_flow_for_one_relationship_touches_only_that_relationship(
    prefect_server, db, new_relationships
):
    first, _second = new_relationships["relationship_ids"]

    [counts] = agreement_lifecycle(as_of=AS_OF, relationship_id=first)

    assert counts.organisation_id == new_relationships["organisation_id"]
    assert counts.subjects == (f"rel-{first}",)
    assert human_task_keys(db) == [f"agreement:rel-{first}"]


def test_the_flow_for_an_unknown_relationship_fails_saying_which(prefect_server, db):
    with pytest.raises(LookupError, match="No supervision relationship with id 9999"):
        agreement_lifecycle(as_of=AS_OF, relationship_id=9999)


@pytest.mark.parametrize(
    ("error", "calls"),
    [
        (sa_exc.OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked")), 2),
        (LookupError("No organisation with id 3"), 1),
    ],
)
def test_a_reconcile_is_retried_after_a_passing_database_fault_and_only_then(
    prefect_server, db, new_relationships, monkeypatch, error, calls
):
    from prefect import flow

    import models.engine.reconcile_runs
    from models.engine.reconcile_runs import plan_run
    from tasks.reconcile import reconcile_batch

    real_reconcile = models.engine.reconcile_runs.reconcile_units
    attempts = []

    def fails_once(session, **kwargs):
        attempts.append(kwargs["organisation_id"])
        if len(attempts) == 1:
            raise error
        return real_reconcile(session, **kwargs)

    monkeypatch.setattr(models.engine.reconcile_runs, "reconcile_units", fails_once)
    quick = reconcile_batch.with_options(retry_delay_seconds=0)
    plan = plan_run(new_relationships["organisation_id"], ["agreement"], AS_OF)

    @flow
    def reconcile_once():
        state = quick(
            plan.organisation_id, ["agreement"], AS_OF, plan.batches[0], return_state=True
        )
        return state.is_completed()

    completed = reconcile_once()

    assert len(attempts) == calls
    assert completed is (calls == 2)
