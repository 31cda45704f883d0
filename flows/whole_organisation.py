"""Every lifecycle at once: plan the year's schedules, draw the quarter's
samples, delete what retention says is due, then reconcile every lifecycle
of the policy engine in one transaction per organisation. A handful of task
runs per organisation, whatever its size. Used for catching up (a weekly
schedule, the launcher's first run) and for advancing the clock with --as-of:

    python -m flows.whole_organisation --organisation 1 --as-of 2027-01-04"""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import resolve_scope, row_flow, run_lifecycles, today_in_london
from flows.table import row
from models.actions.schedule_runs import raise_for_failures
from models.engine.lifecycle_runs import ReconcileCounts
from policy import LIFECYCLES
from tasks.retention import delete_expired_supervision_records
from tasks.sampling import draw_organisation_samples
from tasks.schedule import plan_organisation_schedules

ROW = row("every-lifecycle-weekly")


@flow(**row_flow(ROW))
def every_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    case_ref: str | None = None,
) -> list[ReconcileCounts]:
    as_of = as_of or today_in_london()
    scope = resolve_scope(organisation_id, relationship_id, staff_id, case_ref)
    found, organisations = scope
    subjects = list(found.subjects) if found.subjects is not None else None
    extra: dict[int, list[str]] = {}
    plans = []
    for org_id in organisations:
        plans.append(plan_organisation_schedules(org_id, as_of, subjects))
        lines = plans[-1].report_lines()
        if subjects is None:
            # Samples and deletions are organisation-wide; a run for one subject leaves them.
            lines += draw_organisation_samples(org_id, as_of).report_lines()
            lines += delete_expired_supervision_records(org_id, as_of).report_lines()
        extra[org_id] = lines
    results = run_lifecycles(
        list(LIFECYCLES), name=ROW.run_name, title=ROW.title, as_of=as_of, scope=scope, extra=extra
    )
    # Everything else is done; now say which relationships could not be planned.
    raise_for_failures(plans)
    return results


if __name__ == "__main__":
    run_from_command_line(every_lifecycle)
