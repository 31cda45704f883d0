"""Agreements: every new supervision relationship (new starter, change of
post, change of supervisor) gets a written agreement, drafted and signed by the
supervisor, countersigned by the supervisee, escalated to the supervisor's line
manager when overdue. The policy engine decides what is owed; this flow runs
the reconcile daily and on demand for one relationship or person."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import flow_run_namer, run_lifecycles
from tasks.reconcile import ReconcileCounts

LIFECYCLES = ("agreement",)


@flow(
    name="Make sure every new supervision relationship has a signed agreement",
    description=(
        "Creates 'Draft and sign the supervision agreement' in the supervisor's inbox, the "
        "countersignature in the supervisee's, and escalates overdue agreements to the "
        "supervisor's line manager. Safe to run again: it creates nothing twice."
    ),
    flow_run_name=flow_run_namer("agreement"),
    log_prints=True,
)
def agreement_lifecycle(
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    """as_of: the day to judge by (default today in Europe/London);
    organisation_id: run for this one organisation only;
    relationship_id: run for this one supervision relationship only;
    staff_id: run for this one person only (their relationships either side)."""
    return run_lifecycles(
        LIFECYCLES,
        name="agreement",
        title="Agreement lifecycle",
        as_of=as_of,
        organisation_id=organisation_id,
        relationship_id=relationship_id,
        staff_id=staff_id,
        changed_only=changed_only,
    )


if __name__ == "__main__":
    run_from_command_line(agreement_lifecycle)
