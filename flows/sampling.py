"""Quarterly sampling: draw every head of service's sample on the first
working day of the quarter, then reconcile the sampling lifecycle so the
sampling task is in their inbox."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import reconcile_after, resolve_scope, row_flow, today_in_london
from flows.table import row
from models.engine.lifecycle_runs import ReconcileCounts
from tasks.sampling import draw_organisation_samples

ROW = row("sampling-quarterly")


@flow(**row_flow(ROW))
def sampling_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    staff_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    """staff_id: a head of service: draw and reconcile for them only."""
    as_of = as_of or today_in_london()
    return reconcile_after(
        ROW,
        lambda org_id: draw_organisation_samples(org_id, as_of, staff_id),
        as_of=as_of,
        scope=resolve_scope(organisation_id, staff_id=staff_id),
        changed_only=changed_only,
    )


if __name__ == "__main__":
    run_from_command_line(sampling_lifecycle)
