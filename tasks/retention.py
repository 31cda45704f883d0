"""Retention as a Prefect task (models/actions/retention_runs.py)."""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.logging import get_run_logger

from models.actions.retention_runs import RetentionCounts, delete_organisation_records
from tasks.retries import TRANSIENT


@task(name="Delete supervision records whose retention period is over", **TRANSIENT)
def delete_expired_supervision_records(organisation_id: int, as_of: date) -> RetentionCounts:
    counts = delete_organisation_records(organisation_id, as_of)
    get_run_logger().info("Organisation %d: %s", organisation_id, counts.report_lines()[0])
    return counts
