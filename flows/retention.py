"""Retention: delete supervision records whose period after leaving is over,
then reconcile the retention lifecycle (what is due next, what is overdue)."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import flow_run_namer, resolve_scope, run_lifecycles, today_in_london
from tasks.reconcile import ReconcileCounts
from tasks.retention import delete_expired_supervision_records

LIFECYCLES = ("retention",)


@flow(
    name="Delete supervision records when their retention period is over",
    description=(
        "Deletes the supervision records of people who left longer ago than the profile "
        "keeps them (Nottingham §3.5: 5 years), one person per transaction, each with an "
        "audit entry that says what was deleted and when, without the content."
    ),
    flow_run_name=flow_run_namer("retention"),
    log_prints=True,
)
def retention_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    as_of = as_of or today_in_london()
    scope = resolve_scope(organisation_id)
    deleted = {
        org_id: delete_expired_supervision_records(org_id, as_of).report_lines()
        for org_id in scope[1]
    }
    return run_lifecycles(
        LIFECYCLES,
        name="retention",
        title="Retention",
        as_of=as_of,
        scope=scope,
        extra=deleted,
        changed_only=changed_only,
    )


if __name__ == "__main__":
    run_from_command_line(retention_lifecycle)
