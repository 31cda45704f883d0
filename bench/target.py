"""What the benchmark measures, behind one small function each.

`reconcile_everything` reconciles every organisation, one after another, batch
by batch, as `models.engine.reconcile_runs.reconcile_organisation` does (a full
run, or with touched_only only the units whose facts changed or whose dates
came): it plans the run and hands `run_every_batch` a `run_batch` it times, so
the batches of each kind of unit are timed apart.

`prefect_command` is the Prefect entry that runs every organisation as its own
flow run, with batches as task runs (`python -m flows.every_organisation`)."""

from __future__ import annotations

import functools
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date

CHANGES = ("created", "completed", "cancelled", "reopened", "escalated", "updated")


def _number(value) -> int:
    """A result field as a count: a number, or the length of a list of keys."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    return len(value)


def reconcile_everything(
    as_of: date, *, lifecycles: Sequence[str] | None = None, touched_only: bool = False
) -> dict:
    """Reconcile every organisation; returns what it did, summed, and how long
    the reconciling itself took (without starting Python and importing)."""
    from models.engine.reconcile import organisation_ids
    from models.engine.reconcile_runs import plan_run, run_batch, run_every_batch
    from policy.engine import check_lifecycles

    totals: Counter[str] = Counter()
    units: Counter[str] = Counter()
    seconds: Counter[str] = Counter()

    def timed(plan, batch):
        batch_started = time.perf_counter()
        result = run_batch(plan.organisation_id, plan.lifecycles, plan.as_of, batch)
        seconds[batch.kind] += time.perf_counter() - batch_started
        units[batch.kind] += batch.size
        return result

    started = time.perf_counter()
    organisations = organisation_ids()
    for org_id in organisations:
        plan = plan_run(org_id, check_lifecycles(lifecycles), as_of, touched_only=touched_only)
        for result in run_every_batch(plan, functools.partial(timed, plan)):
            for name in CHANGES:
                totals[name] += _number(getattr(result, name, None))
        totals["units"] += plan.units
        totals["batches"] += len(plan.batches)
    return {
        "interface": "models.engine.reconcile_runs: plan_run, run_every_batch, run_batch",
        "touched_only": touched_only,
        "organisations": len(organisations),
        "work_seconds": round(time.perf_counter() - started, 3),
        **dict(totals),
        "units_by_kind": dict(units),
        "seconds_by_kind": {kind: round(value, 3) for kind, value in seconds.items()},
    }


def prefect_command(as_of: date, *, touched_only: bool) -> list[str]:
    """The Prefect entry point as a command."""
    command = [sys.executable, "-m", "flows.every_organisation", "--as-of", as_of.isoformat()]
    return command + (["--changed-only"] if touched_only else [])
