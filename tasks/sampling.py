"""Quarterly sampling as a Prefect task (models/actions/sampling_runs.py)."""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.logging import get_run_logger

from models.actions.sampling_runs import SamplingCounts, draw_quarterly_samples
from tasks.retries import TRANSIENT


@task(name="Draw the quarter's sample for every head of service", **TRANSIENT)
def draw_organisation_samples(
    organisation_id: int, as_of: date, head_of_service_id: int | None = None
) -> SamplingCounts:
    counts = draw_quarterly_samples(organisation_id, as_of, head_of_service_id=head_of_service_id)
    get_run_logger().info("Organisation %d: %s", organisation_id, counts.report_lines()[0])
    return counts
