"""The dashboard-figures deployment's flow on Prefect: it keeps every
organisation's figures (or one's) for the period the dashboard opens on, and
a second run replaces them with the same cells."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from flows.dashboard_figures import keep_dashboard_figures
from flows.table import row
from models import DashboardSummaryCell
from models.reports.summary import kept_figures
from models.reports.window import default_period
from tests.worlds.busy_organisation import build_organisation

pytestmark = pytest.mark.prefect
AS_OF = date(2026, 11, 16)


def _cells(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(DashboardSummaryCell))


def test_the_flow_keeps_each_organisations_figures_and_a_second_run_changes_nothing(
    prefect_server, db
):
    first = build_organisation(db, profile="wokingham", as_of=AS_OF, name="Busy")
    second = build_organisation(db, profile="bristol", as_of=AS_OF, name="Other")
    lines = keep_dashboard_figures(as_of=AS_OF)
    assert len(lines) == 2 and all("kept" in line for line in lines)
    with db() as session:
        assert {kept_figures(session, org).period for org in (first, second)} == {
            default_period(AS_OF)
        }
    cells = _cells(db)
    assert cells > 0
    assert keep_dashboard_figures(organisation_id=first, as_of=AS_OF)
    assert _cells(db) == cells


def test_the_figures_are_kept_every_hour_as_a_service_flow():
    kept = row("dashboard-figures-hourly")
    assert [s.cron for s in kept.schedules] == ["15 * * * *"]
    assert "service" in kept.tags and "lifecycle" not in kept.tags
