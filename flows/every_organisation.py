"""A national deployment serves every council on one database, each its own
tenant: every organisation is reconciled as its own flow run, so the runs
spread over however many flow-runner processes serve the deployment (two on
one database share the work and leave the same tables as one), and one
council's failure never holds back another's.

    python -m flows.every_organisation --as-of 2026-12-01 [--changed-only]

With the organisation deployment served (deployments/serve.py) each
organisation's run is created on it and picked up by any runner; without it
(a bare command line) they run here, one after another."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from datetime import date

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.logging import get_run_logger

from flows.lifecycle import flow_run_namer, row_flow, run_lifecycles, today_in_london
from flows.subjects import CHANGED_ONLY_HELP
from flows.table import row
from models.engine.lifecycle_runs import ReconcileCounts
from policy import LIFECYCLES
from tasks.organisations import list_organisations

ONE = row("one-organisation")  # deployments/serve.py serves one_organisation under it
POLL_SECONDS = 1.0


@flow(**row_flow(ONE))
def one_organisation(
    organisation_id: int, as_of: date | None = None, changed_only: bool = False
) -> list[ReconcileCounts]:
    return run_lifecycles(
        list(LIFECYCLES),
        name=ONE.run_name,
        title=ONE.title,
        as_of=as_of,
        organisation_id=organisation_id,
        changed_only=changed_only,
    )


@flow(
    name="Reconcile every organisation",
    description=(
        "Starts one flow run per organisation on the one-organisation deployment, so the "
        "runners serving it share the work, and waits for them all."
    ),
    flow_run_name=flow_run_namer("every-organisation"),
    log_prints=True,
)
def every_organisation(as_of: date | None = None, changed_only: bool = False) -> dict[str, int]:
    as_of = as_of or today_in_london()
    organisations = list_organisations()
    logger = get_run_logger()
    try:
        runs = [
            run_deployment(
                ONE.full_name,
                parameters={
                    "organisation_id": org_id,
                    "as_of": as_of.isoformat(),
                    "changed_only": changed_only,
                },
                timeout=0,
            )
            for org_id in organisations
        ]
    except ObjectNotFound:
        logger.info("The one-organisation deployment is not served; running here instead.")
        states = [
            one_organisation(org_id, as_of, changed_only, return_state=True)
            for org_id in organisations
        ]
        return _outcome([s.type.value for s in states])
    return _outcome(_wait_for([r.id for r in runs]))


def _wait_for(run_ids: Sequence) -> list[str]:
    """Poll until every flow run reaches a final state; their state types."""
    pending = set(run_ids)
    final: dict = {}
    with get_client(sync_client=True) as client:
        while pending:
            for run_id in list(pending):
                state = client.read_flow_run(run_id).state
                if state is not None and state.is_final():
                    final[run_id] = state.type.value
                    pending.discard(run_id)
            if pending:
                time.sleep(POLL_SECONDS)
    return list(final.values())


def _outcome(states: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in states:
        counts[state] = counts.get(state, 0) + 1
    failed = len(states) - counts.get("COMPLETED", 0)
    if failed:
        raise RuntimeError(f"{failed} of {len(states)} organisations did not complete: {counts}")
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=every_organisation.name)
    parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--changed-only",
        action="store_true",
        help=CHANGED_ONLY_HELP,
    )
    args = parser.parse_args(argv)
    state = every_organisation(as_of=args.as_of, changed_only=args.changed_only, return_state=True)
    organisations = state.result()
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
    # One JSON line, last: the flow run's own time is what a benchmark wants,
    # not the process's (which starts Prefect's server when none is configured).
    print(
        json.dumps(
            {
                "organisations": organisations,
                "flow_run_seconds": round(run.total_run_time.total_seconds(), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
