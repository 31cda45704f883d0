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
