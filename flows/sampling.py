"""Quarterly sampling: draw every head of service's sample on the first
working day of the quarter, then reconcile the sampling lifecycle so the
sampling task is in their inbox."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import flow_run_namer, resolve_scope, run_lifecycles, today_in_london
from tasks.reconcile import ReconcileCounts
from tasks.sampling import draw_organisation_samples

LIFECYCLES = ("sampling",)


@flow(
    name="Give every head of service their quarterly sample of supervision records",
    description=(
        "On the first working day of each quarter, draws a random, reproducible sample "
        "(seeded and recorded, weighted toward the overdue, OVERSIGHT_SAMPLE_SIZE records) of "
        "supervision records and agreements from each head of service's own service area, "
        "and puts the sampling task in their inbox. Runs daily; drawing is idempotent."
    ),
    flow_run_name=flow_run_namer("sampling"),
    log_prints=True,
)
def sampling_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    staff_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    """staff_id: a head of service: draw and reconcile for them only."""
    as_of = as_of or today_in_london()
    scope = resolve_scope(organisation_id, staff_id=staff_id)
    draws = {
        org_id: draw_organisation_samples(org_id, as_of, staff_id).report_lines()
        for org_id in scope[1]
    }
    return run_lifecycles(
        LIFECYCLES,
        name="sampling",
        title="Quarterly sampling",
        as_of=as_of,
        scope=scope,
        extra=draws,
        changed_only=changed_only,
    )


if __name__ == "__main__":
    run_from_command_line(sampling_lifecycle)
