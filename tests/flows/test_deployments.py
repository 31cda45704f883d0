"""Deployments and the command line, built without a server."""

from __future__ import annotations

from datetime import date

from deployments.serve import AGREEMENT_DAILY, DEPLOYMENTS, build_deployments
from flows.agreement_lifecycle import agreement_lifecycle
from flows.cli import parameters_from_args


def test_every_lifecycle_deployment_runs_daily_at_six_in_london():
    built = build_deployments()

    assert len(built) == len(DEPLOYMENTS) >= 1
    for deployment in built:
        [schedule] = deployment.schedules
        assert schedule.schedule.cron == "0 6 * * *"
        assert schedule.schedule.timezone == "Europe/London"
        assert schedule.active


def test_the_agreement_deployment_is_named_and_imported_by_module_path():
    [agreement] = [d for d in build_deployments() if d.name == AGREEMENT_DAILY.name]

    assert (
        agreement.flow_name == "Make sure every new supervision relationship has a signed agreement"
    )
    assert agreement.entrypoint == "flows.agreement_lifecycle.agreement_lifecycle"
    assert AGREEMENT_DAILY.full_name == f"{agreement.flow_name}/agreement-daily"


def test_deployment_names_are_unique():
    names = [d.full_name for d in DEPLOYMENTS]
    assert len(names) == len(set(names))


def test_the_flow_takes_a_day_a_relationship_or_an_organisation():
    assert set(agreement_lifecycle.parameters.properties) == {
        "as_of",
        "relationship_id",
        "organisation_id",
    }


def test_the_command_line_runs_the_flow_for_one_relationship_on_a_given_day():
    argv = ["--relationship", "42", "--as-of", "2026-12-01"]

    assert parameters_from_args(agreement_lifecycle, argv) == {
        "relationship_id": 42,
        "as_of": date(2026, 12, 1),
    }
    assert parameters_from_args(agreement_lifecycle, []) == {}
