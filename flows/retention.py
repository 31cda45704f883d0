"""Retention: delete supervision records whose period after leaving is over,
then reconcile the retention lifecycle (what is due next, what is overdue)."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import reconcile_after, resolve_scope, row_flow, today_in_london
from flows.table import row
from models.engine.lifecycle_runs import ReconcileCounts
from tasks.retention import delete_expired_supervision_records

ROW = row("retention-nightly")


@flow(**row_flow(ROW))
def retention_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    as_of = as_of or today_in_london()
    return reconcile_after(
        ROW,
        lambda org_id: delete_expired_supervision_records(org_id, as_of),
        as_of=as_of,
        scope=resolve_scope(organisation_id),
        changed_only=changed_only,
    )


if __name__ == "__main__":
    run_from_command_line(retention_lifecycle)
