"""What the benchmark measures, behind one small function each.

`reconcile_everything` reconciles every organisation, one after another, batch
by batch, with `models.engine.reconcile_runs.reconcile_organisation` (a full run, or
with touched_only only the units whose facts changed or whose dates came).

`prefect_command` is the Prefect entry that runs every organisation as its own
flow run, with batches as task runs (`python -m flows.every_organisation`)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date

CHANGES = ("created", "completed", "cancelled", "reopened", "escalated", "updated")
EXTRA = ("units", "batches")


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
    from models.engine.reconcile_runs import reconcile_organisation

    totals: Counter[str] = Counter()
    started = time.perf_counter()
    organisations = organisation_ids()
    for org_id in organisations:
        result = reconcile_organisation(
            org_id, as_of=as_of, lifecycles=lifecycles, touched_only=touched_only
        )
        for name in CHANGES + EXTRA:
            totals[name] += _number(getattr(result, name, None))
    return {
        "interface": "models.engine.reconcile_runs.reconcile_organisation",
        "touched_only": touched_only,
        "organisations": len(organisations),
        "work_seconds": round(time.perf_counter() - started, 3),
        **dict(totals),
    }


def prefect_command(as_of: date, *, touched_only: bool) -> list[str]:
    """The Prefect entry point as a command."""
    command = [sys.executable, "-m", "flows.every_organisation", "--as-of", as_of.isoformat()]
    return command + (["--changed-only"] if touched_only else [])
