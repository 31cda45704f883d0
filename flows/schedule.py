"""The 12-month schedule: when a relationship's agreement comes in force, the
year's sessions are planned (Nottingham §2.4). Runs daily and on the
agreement's "in force" event for that relationship."""

from __future__ import annotations

from datetime import date

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from flows.cli import run_from_command_line
from flows.lifecycle import flow_run_namer, resolve_scope, today_in_london
from tasks.artifacts import artifact_key
from tasks.schedule import ScheduleCounts, plan_organisation_schedules, raise_for_failures


@flow(
    name="Plan the year's supervision sessions when an agreement comes in force",
    description=(
        "Creates the planned sessions for the 12 months after a supervision agreement comes "
        "in force, on the profile's cadence (role, probation, ASYE, agreed frequency), for "
        "every relationship whose agreement in force has none planned yet."
    ),
    flow_run_name=flow_run_namer("schedule"),
    log_prints=True,
)
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
            markdown=f"# The year's sessions: {org_name}\n\nAs of {as_of:%-d %B %Y}.\n\n"
            + "\n".join(counts.report_lines())
            + "\n",
            key=artifact_key("schedule", org_id, one_subject_run=subjects is not None),
            description=f"{counts.sessions} sessions planned",
        )
        results.append(counts)
    raise_for_failures(results)
    return results


if __name__ == "__main__":
    run_from_command_line(supervision_schedule)
