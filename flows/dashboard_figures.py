"""The dashboard's figures kept every hour for every organisation (or one),
so the page reads them instead of computing each from the facts
(models/reports/summary.py); the workforce team can ask for them again from
the dashboard. Safe to run again: each run replaces what was kept."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import resolve_scope, row_flow, today_in_london
from flows.table import row
from tasks.dashboard import keep_organisation_figures

ROW = row("dashboard-figures-hourly")


@flow(**row_flow(ROW))
def keep_dashboard_figures(
    organisation_id: int | None = None, as_of: date | None = None
) -> list[str]:
    """as_of: the day the figures are seen as of (default today, in London)."""
    day = as_of or today_in_london()
    _scope, organisations = resolve_scope(organisation_id)
    return [keep_organisation_figures(org_id, day) for org_id in organisations]


if __name__ == "__main__":
    run_from_command_line(keep_dashboard_figures)
