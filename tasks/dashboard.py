"""The dashboard's kept figures as a Prefect task (models/reports/summary.py)."""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.logging import get_run_logger

from models.reports.summary import refresh_summary
from tasks.retries import TRANSIENT


@task(name="Keep the dashboard's figures for one organisation", **TRANSIENT)
def keep_organisation_figures(organisation_id: int, as_of: date) -> str:
    kept = refresh_summary(organisation_id, as_of)
    line = f"Organisation {organisation_id}: figures for {kept.period.describe} kept"
    get_run_logger().info(line)
    return line
