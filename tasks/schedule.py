"""Planning the year's sessions as a Prefect task (models/actions/schedule_runs.py)."""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.logging import get_run_logger

from models.actions.schedule_runs import ScheduleCounts, plan_schedules
from tasks.retries import TRANSIENT


@task(name="Plan the year's sessions for agreements that came in force", **TRANSIENT)
def plan_organisation_schedules(
    organisation_id: int, as_of: date, subjects: list[str] | None = None
) -> ScheduleCounts:
    counts = plan_schedules(organisation_id, as_of, subjects)
    logger = get_run_logger()
    logger.info(
        "Organisation %d: planned %d session(s) in %d relationship(s)",
        organisation_id,
        counts.sessions,
        counts.relationships,
    )
    for failure in counts.failed:
        logger.error("Organisation %d: planning failed for %s", organisation_id, failure)
    return counts
