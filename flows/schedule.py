"""The 12-month schedule: when a relationship's agreement comes in force, the
year's sessions are planned (Nottingham §2.4). Runs daily and on the
agreement's "in force" event for that relationship."""

from __future__ import annotations

from datetime import date

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from flows.cli import run_from_command_line
from flows.lifecycle import resolve_scope, row_flow, today_in_london
from flows.table import row
from models.actions.schedule_runs import ScheduleCounts, raise_for_failures
from tasks.artifacts import artifact_key
from tasks.schedule import plan_organisation_schedules

ROW = row("schedule-daily")


@flow(**row_flow(ROW))
def supervision_schedule(
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
) -> list[ScheduleCounts]:
    as_of = as_of or today_in_london()
    found, organisations = resolve_scope(organisation_id, relationship_id)
    subjects = list(found.subjects) if found.subjects is not None else None
    results = []
    for org_id, org_name in organisations.items():
        counts = plan_organisation_schedules(org_id, as_of, subjects)
        create_markdown_artifact(
            markdown=f"# {ROW.title}: {org_name}\n\nAs of {as_of:%-d %B %Y}.\n\n"
            + "\n".join(counts.report_lines())
            + "\n",
            key=artifact_key(
                ROW.run_name, org_id, one_subject_run=subjects is not None, lifecycle=False
            ),
            description=f"{counts.sessions} sessions planned",
        )
        results.append(counts)
    raise_for_failures(results)
    return results


if __name__ == "__main__":
    run_from_command_line(supervision_schedule)
