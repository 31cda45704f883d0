"""Prefect fixtures. Most tests here call the plain functions under the Prefect
tasks and need no server; tests marked `prefect` share one ephemeral server
for the whole session (it takes about five seconds to start)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_organisation, make_relationship, make_staff, make_team


@pytest.fixture(scope="session")
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def new_relationships(db):
    """One organisation with two new starters, each with a supervisor: the
    agreement lifecycle owes one agreement per relationship."""
    with db() as session, session.begin():
        org = make_organisation(session)
        team = make_team(session, org)
        manager = make_staff(session, org, name="Hana Moss", role="manager", team=team)
        supervisor = make_staff(
            session, org, name="Grace Adeyemi", role="team_manager", team=team, line_manager=manager
        )
        first = make_staff(session, org, name="Sam Okafor", team=team, line_manager=supervisor,
                           started_on=date(2026, 11, 2))  # fmt: skip
        second = make_staff(session, org, name="Ella Price", team=team, line_manager=supervisor,
                            started_on=date(2026, 11, 2))  # fmt: skip
        rel_first = make_relationship(session, supervisor, first, started_on=date(2026, 11, 2))
        rel_second = make_relationship(session, supervisor, second, started_on=date(2026, 11, 2))
        return {
            "organisation_id": org.id,
            "supervisor_id": supervisor.id,
            "relationship_ids": (rel_first.id, rel_second.id),
            "supervisee_names": (first.name, second.name),
        }
