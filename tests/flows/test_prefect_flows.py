"""The whole-organisation flow and the deployments' triggers against
Prefect's ephemeral server (one per test session)."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from flows.whole_organisation import every_lifecycle
from policy import LIFECYCLES
from tasks.artifacts import artifact_key
from tests.flows.test_agreement_flow import latest_artifact
from tests.worlds import build_organisation

pytestmark = pytest.mark.prefect

AS_OF = date(2026, 10, 1)


def api(method: str, path: str, body: dict | None = None):
    from prefect.client.orchestration import get_client

    async def call():
        async with get_client() as client:
            response = await client.request(method, path, json=body)
            return response.json()

    return asyncio.run(call())


def test_the_whole_organisation_flow_runs_every_lifecycle_as_of_a_day_in_a_handful_of_tasks(
    prefect_server, db
):
    org = build_organisation(db, profile="lancashire", as_of=AS_OF, name="Lancashire")

    state = every_lifecycle(as_of=AS_OF, organisation_id=org, return_state=True)

    counts = state.result()
    assert [c.lifecycle for c in counts] == list(LIFECYCLES)
    assert {c.as_of for c in counts} == {AS_OF}
    assert sum(c.created for c in counts) > 0
    report = latest_artifact(artifact_key("all-lifecycles", org))
    assert report.data.startswith("# Every lifecycle: Lancashire County Council\n")
    assert "As of 1 October 2026." in report.data
    assert "| Personal supervision |" in report.data
    assert "## By team" in report.data
    task_runs = api(
        "POST",
        "/task_runs/filter",
        {"flow_runs": {"id": {"any_": [str(state.state_details.flow_run_id)]}}},
    )
    # Listing organisations, planning, sampling, retention, the reconcile's plan, a
    # batch per kind of unit (people, cases, teams, groups: batches of hundreds, never
    # a task per person), its finish, one artifact.
    kinds = ("persons-", "cases-", "teams-", "groups-")
    batches = [t for t in task_runs if t["name"].startswith(kinds)]
    assert 2 <= len(batches) <= 4
    assert len(task_runs) <= 7 + len(batches)
    assert {t["state_type"] for t in task_runs} == {"COMPLETED"}


def test_each_lifecycle_deployment_is_registered_with_its_schedule_and_its_event_trigger(
    prefect_server,
):
    from deployments.serve import ASYE_DAILY, CASE_SUPERVISION_DAILY, build_deployment

    ids = {d.name: build_deployment(d).apply() for d in (ASYE_DAILY, CASE_SUPERVISION_DAILY)}

    asye = api("GET", f"/deployments/{ids[ASYE_DAILY.name]}")
    [schedule] = asye["schedules"]
    assert (schedule["schedule"]["cron"], schedule["schedule"]["timezone"]) == (
        "0 6 * * *",
        "Europe/London",
    )
    automations = api("POST", "/automations/filter", {})
    by_deployment = {a["actions"][0].get("deployment_id"): a for a in automations if a["actions"]}
    asye_trigger = by_deployment[str(ids[ASYE_DAILY.name])]["trigger"]
    assert asye_trigger["match"] == {"prefect.resource.id": "oversight.relationship.*"}
    assert set(asye_trigger["expect"]) == {"oversight.agreement.*", "oversight.session.*"}
    case_action = by_deployment[str(ids[CASE_SUPERVISION_DAILY.name])]["actions"][0]
    assert set(case_action["parameters"]) == {"case_ref", "organisation_id"}


def test_an_organisations_batches_are_reconciled_at_most_the_batch_workers_at_once(
    prefect_server, db, monkeypatch
):
    import threading
    import time

    import tasks.reconcile
    from flows.every_organisation import one_organisation
    from flows.limits import DEFAULT_BATCH_WORKERS

    org = build_organisation(db, profile="lancashire", as_of=AS_OF, name="Lancashire")
    monkeypatch.setenv("OVERSIGHT_RECONCILE_BATCH", "3")
    reconcile_now = tasks.reconcile.reconcile_batch_now
    running, most, batches, lock = [0], [0], [0], threading.Lock()

    def counted(*args, **kwargs):
        with lock:
            running[0] += 1
            batches[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.05)  # long enough for the pool to start every batch it may
            return reconcile_now(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(tasks.reconcile, "reconcile_batch_now", counted)

    state = one_organisation(org, AS_OF, return_state=True)

    assert state.is_completed()
    assert batches[0] > 2 * DEFAULT_BATCH_WORKERS
    assert most[0] == DEFAULT_BATCH_WORKERS
    assert sum(c.created for c in state.result()) > 0
