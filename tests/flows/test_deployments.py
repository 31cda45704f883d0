"""Deployments and the command line, built without a server."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from deployments.serve import (
    AGREEMENT_DAILY,
    DEPLOYMENTS,
    ONE_ORGANISATION,
    OUTBOX_DRAINER,
    PERSONAL_SUPERVISION_DAILY,
    SAMPLING_DAILY,
    build_deployments,
)
from flows.agreement_lifecycle import agreement_lifecycle
from flows.cli import parameters_from_args
from flows.lifecycles import case_supervision_lifecycle
from models.events import IMPORT_APPLIED
from policy import LIFECYCLES

SUBJECTS = {"relationship_id", "staff_id", "case_ref"}


def test_every_lifecycle_of_the_policy_engine_is_run_by_exactly_one_deployment():
    owners = [name for d in DEPLOYMENTS for name in d.lifecycles]

    assert sorted(owners) == sorted(LIFECYCLES)


def test_every_deployment_has_a_schedule_in_london_but_the_one_a_national_run_fans_out_to():
    for deployment in build_deployments():
        assert deployment.schedules or deployment.name == ONE_ORGANISATION.name, deployment.name
        for schedule in deployment.schedules:
            assert schedule.schedule.timezone == "Europe/London", deployment.name
            assert schedule.active


def test_lifecycle_deployments_run_daily_and_the_drainer_every_minute():
    built = {d.name: d for d in build_deployments()}

    for d in DEPLOYMENTS:
        if d.lifecycles and d.name != "retention-nightly":
            [schedule] = built[d.name].schedules
            assert schedule.schedule.cron == "0 6 * * *", d.name
    [drainer] = built[OUTBOX_DRAINER.name].schedules
    assert drainer.schedule.interval.total_seconds() == 60
    [retention] = built["retention-nightly"].schedules
    assert retention.schedule.cron == "0 2 * * *"
    assert SAMPLING_DAILY.lifecycles == ("sampling",)


def test_every_lifecycle_deployment_runs_on_demand_for_a_day_an_organisation_and_a_subject():
    for d in DEPLOYMENTS:
        if not d.lifecycles:
            continue
        accepted = set(inspect.signature(d.flow.fn).parameters)
        assert {"as_of", "organisation_id"} <= accepted, d.name
        if d.lifecycles != ("retention",):
            assert accepted & SUBJECTS, d.name


def test_each_trigger_runs_its_flow_for_the_subject_the_event_is_about():
    for d in DEPLOYMENTS:
        accepted = set(inspect.signature(d.flow.fn).parameters)
        for trigger in d.triggers:
            pattern = trigger.match.root["prefect.resource.id"]
            assert pattern.startswith("oversight.") and pattern.endswith(".*"), d.name
            assert trigger.expect, d.name
            assert set(trigger.parameters) <= accepted, d.name
            subject = {k: v for k, v in trigger.parameters.items() if k != "changed_only"}
            assert all("{{ event." in str(v) for v in subject.values()), d.name
    relationship = AGREEMENT_DAILY.triggers[0]
    assert relationship.parameters == {
        "relationship_id": {
            "__prefect_kind": "json",
            "value": {
                "__prefect_kind": "jinja",
                "template": "{{ event.resource.id.split('.')[-1] }}",
            },
        }
    }
    assert "oversight.agreement.*" in relationship.expect
    lifecycle_deployments = [d for d in DEPLOYMENTS if d.lifecycles]
    without = [d.name for d in lifecycle_deployments if not d.triggers]
    assert without == ["retention-nightly"]


def test_the_subject_parameter_renders_as_the_number_in_the_events_resource_id():
    from prefect.utilities.schema_tools.hydration import HydrationContext, hydrate

    event = {"resource": {"id": "oversight.relationship.42"}, "payload": {"organisation_id": 3}}
    context = HydrationContext(render_jinja=True, jinja_context={"event": event})

    assert hydrate(AGREEMENT_DAILY.triggers[0].parameters, context) == {"relationship_id": 42}
    [_, case] = PERSONAL_SUPERVISION_DAILY.triggers
    event["resource"]["id"] = "oversight.case.LCS-123456"
    assert hydrate(case.parameters, context) == {"case_ref": "LCS-123456", "organisation_id": 3}


def test_the_agreement_deployment_is_named_and_imported_by_module_path():
    [agreement] = [d for d in build_deployments() if d.name == AGREEMENT_DAILY.name]

    assert (
        agreement.flow_name == "Make sure every new supervision relationship has a signed agreement"
    )
    assert agreement.entrypoint == "flows.agreement_lifecycle.agreement_lifecycle"
    assert AGREEMENT_DAILY.full_name == f"{agreement.flow_name}/agreement-daily"


def test_deployment_and_flow_names_are_unique_sentences():
    names = [d.full_name for d in DEPLOYMENTS]
    assert len(names) == len(set(names))
    flows = {d.flow.name for d in DEPLOYMENTS}
    assert len(flows) == len(DEPLOYMENTS)
    for name in flows:
        assert name[0].isupper() and " " in name and "_" not in name, name


def test_the_agreement_flow_takes_a_day_an_organisation_a_relationship_or_a_person():
    assert set(agreement_lifecycle.parameters.properties) == {
        "as_of",
        "organisation_id",
        "relationship_id",
        "staff_id",
        "changed_only",
    }


def test_daily_schedules_ask_for_changed_units_only_and_the_weekly_catch_up_for_everyone():
    built = {d.name: d for d in build_deployments()}
    for d in DEPLOYMENTS:
        for schedule in built[d.name].schedules:
            asked = schedule.parameters.get("changed_only", False)
            assert asked is (d.name not in ("every-lifecycle-weekly",) and bool(d.lifecycles))


def test_the_command_line_runs_the_flow_for_one_relationship_on_a_given_day():
    argv = ["--relationship", "42", "--as-of", "2026-12-01"]

    assert parameters_from_args(agreement_lifecycle, argv) == {
        "relationship_id": 42,
        "as_of": date(2026, 12, 1),
    }
    assert parameters_from_args(agreement_lifecycle, []) == {}


def test_the_command_line_runs_the_case_flow_for_one_case():
    assert parameters_from_args(case_supervision_lifecycle, ["--case", "LCS-123456"]) == {
        "case_ref": "LCS-123456"
    }
    with pytest.raises(SystemExit):
        parameters_from_args(agreement_lifecycle, ["--case", "LCS-123456"])


def test_an_import_runs_the_organisations_changed_only_run_once():
    [one] = [d for d in DEPLOYMENTS if d.name == ONE_ORGANISATION.name]
    [on_import] = [t for t in one.triggers if IMPORT_APPLIED.topic in t.expect]
    assert on_import.match.root["prefect.resource.id"] == "oversight.organisation.*"
    assert on_import.parameters["changed_only"] is True
    assert "{{ event.payload.organisation_id }}" in str(on_import.parameters["organisation_id"])
