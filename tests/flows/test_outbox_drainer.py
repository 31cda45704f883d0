"""The outbox drainer: the web app's events reach Prefect when it is up, stay
in the outbox while it is down, and are never marked delivered unless Prefect
took them."""

from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy import select

from models import HumanTask, OutboxEvent
from models.actions.agreements import sign_agreement_as_supervisor
from models.engine.outbox import as_prefect_event
from tasks.outbox import PrefectUnavailable, drain_outbox
from tests.worlds import START
from tests.worlds import new_starter as _new_starter


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"


def sign(db) -> tuple[int, int, int]:
    """The web app's action: the supervisor signs; the supervisee's countersignature is next."""
    _org_id, rel_id, manager_id, worker_id, _ = _new_starter(db)
    result = sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content={"venue": "Team office"},
        frequency_weeks=4,
        on=START,
        session_factory=db,
    )
    [next_task] = result.next_task_ids
    return rel_id, worker_id, next_task


def outbox(db) -> list[OutboxEvent]:
    with db() as session:
        return list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))


def add_events(db, n: int) -> None:
    with db() as session, session.begin():
        for i in range(n):
            session.add(OutboxEvent(event="oversight.agreement.in-force",
                                    resource_id=f"oversight.relationship.{i + 1}",
                                    payload={"relationship_id": i + 1}))  # fmt: skip


def test_with_prefect_unreachable_the_action_completes_and_the_outbox_keeps_the_event(db):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: closed_port_url()}):
        rel_id, worker_id, next_task = sign(db)
        result = drain_outbox(session_factory=db)

    with db() as session:
        task = session.get(HumanTask, next_task)
        assert (task.key, task.assignee_id) == (f"agreement-countersign:rel-{rel_id}", worker_id)
    assert (result.delivered, result.failed, result.remaining) == (0, 1, 1)
    assert "is not answering" in result.error
    [row] = outbox(db)
    assert row.event == "oversight.agreement.signed-by-supervisor"
    assert row.resource_id == f"oversight.relationship.{rel_id}"
    assert (row.delivered_at, row.attempts) == (None, 1)
    assert "PrefectUnavailable" in row.last_error


def test_without_a_prefect_address_nothing_is_marked_delivered(db, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    add_events(db, 1)
    with temporary_settings({PREFECT_API_URL: None}):
        result = drain_outbox(session_factory=db)

    assert result.delivered == 0
    assert "PREFECT_API_URL is not set" in result.error
    assert outbox(db)[0].delivered_at is None


def test_events_go_in_batches_oldest_first_and_each_is_delivered_once(db):
    add_events(db, 5)
    batches: list[list[str]] = []

    def deliver(events):
        batches.append([e["resource"]["prefect.resource.id"] for e in events])

    first = drain_outbox(batch_size=2, deliver=deliver, session_factory=db)
    second = drain_outbox(batch_size=2, deliver=deliver, session_factory=db)

    assert [len(b) for b in batches] == [2, 2, 1]
    assert batches[0] == ["oversight.relationship.1", "oversight.relationship.2"]
    assert (first.delivered, first.remaining, second.delivered) == (5, 0, 0)
    assert all(row.delivered_at is not None and row.attempts == 1 for row in outbox(db))


def test_a_failed_batch_stops_the_pass_and_is_tried_again_next_time(db):
    add_events(db, 3)
    calls = []

    def down_then_up(events):
        calls.append(len(events))
        if len(calls) == 1:
            raise PrefectUnavailable("Prefect's API at http://x/api is not answering")

    failed = drain_outbox(batch_size=2, deliver=down_then_up, session_factory=db)
    rows = outbox(db)
    assert (failed.delivered, failed.failed, failed.remaining) == (0, 2, 3)
    assert [r.attempts for r in rows] == [1, 1, 0]

    again = drain_outbox(batch_size=2, deliver=down_then_up, session_factory=db)

    assert (again.delivered, again.remaining) == (3, 0)
    assert [r.attempts for r in outbox(db)] == [2, 2, 1]
    assert all(r.last_error is None for r in outbox(db))


def test_an_events_id_is_the_same_on_every_attempt():
    from datetime import datetime

    row = OutboxEvent(id=7, event="e", resource_id="oversight.staff.3", payload={"a": 1},
                      created_at=datetime(2026, 12, 1, 9, 30))  # fmt: skip

    event = as_prefect_event(row)

    assert event == as_prefect_event(row)
    assert event["occurred"] == "2026-12-01T09:30:00+00:00"
    assert event["resource"] == {"prefect.resource.id": "oversight.staff.3"}


@pytest.mark.prefect
def test_with_prefect_up_the_event_is_delivered_and_runs_the_deployment_for_that_relationship(
    prefect_server, db
):
    from prefect.client.orchestration import get_client

    from deployments.serve import AGREEMENT_DAILY, build_deployment

    deployment_id = build_deployment(AGREEMENT_DAILY).apply()
    rel_id, _worker_id, _next = sign(db)

    result = drain_outbox(session_factory=db)

    assert (result.delivered, result.remaining, result.error) == (1, 0, None)
    [row] = outbox(db)
    assert row.delivered_at is not None
    # The deployment's trigger turns the event into a run for that one relationship.
    with get_client(sync_client=True) as client:
        deadline = time.monotonic() + 30
        runs = []
        while time.monotonic() < deadline and not runs:
            runs = client.request(
                "POST",
                "/flow_runs/filter",
                json={"deployments": {"id": {"any_": [str(deployment_id)]}}},
            ).json()
            time.sleep(0.5)
    assert [r["parameters"] for r in runs] == [{"relationship_id": rel_id}]
