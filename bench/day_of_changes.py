"""A realistic day's changes, applied through SQL to every organisation at
once, in proportion to each one's size, in one transaction:

- sessions held and recorded (about one relationship in twenty: four-weekly
  supervision over twenty working days), the supervisor's signature on each;
- records countersigned by the supervisee;
- case supervisions (about one open case in twenty-five);
- leavers (15% turnover a year over 250 working days), their open cases
  reallocated to a colleague under the same manager, and a joiner in each
  leaver's post with a new supervision relationship;
- changes of supervisor (a social worker moves to another team manager);
- case reallocations (cases move between workers about once a decade each).

Subjects are chosen by a hash of their id and the seed, so the same day and
seed change the same rows. Every changed unit ("person:staff-7",
"case:LCS-001000123") is then marked changed with the product's
models.engine.reconcile_scope.mark_changed, in the same transaction.

    python -m bench.day_of_changes --database-url URL --day 2026-11-24"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import date, datetime
from datetime import time as clock

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.day_sql import (
    CASE_SUPERVISIONS,
    CHANGE_SUPERVISOR,
    COUNTERSIGN,
    JOINERS,
    LEAVERS,
    REALLOCATE,
    SESSIONS,
    SIZES,
)

WORKING_DAYS = 250
# kind -> (what the quota counts, how many of them change in a day)
QUOTAS = {
    "sessions": ("relationships", 1 / 20),
    "countersign": ("relationships", 1 / 25),
    "case_supervisions": ("cases", 1 / 25),
    "leavers": ("staff", 0.15 / WORKING_DAYS),
    "supervisor_changes": ("staff", 0.05 / WORKING_DAYS),
    "reallocations": ("cases", 0.10 / WORKING_DAYS),
}


def quotas(session: Session) -> dict[str, str]:
    """Per change, a VALUES list of (organisation id, how many), at least one each."""
    sizes = session.execute(text(SIZES)).mappings().all()
    out = {}
    for kind, (measure, share) in QUOTAS.items():
        rows = [f"({s['id']}, {max(1, round(s[measure] * share))})" for s in sizes]
        out[kind] = ", ".join(rows) if rows else "(NULL::int, 0)"
    return out


def apply(session: Session, day: date, seed: int = 1) -> dict:
    """Apply one day's changes; returns how many of each, and the units marked."""
    now = datetime.combine(day, clock(12))
    quota = quotas(session)
    units: dict[int, set[str]] = defaultdict(set)
    counts: dict[str, int] = {}

    def run(kind: str, sql: str, which: str = "", **params) -> list:
        statement = sql.format(quota=quota.get(kind, "(NULL::int, 0)"), which=which)
        salt = f"{seed}:{day.isoformat()}:{kind}"
        rows = session.execute(text(statement), {"day": day, "now": now, "salt": salt, **params})
        rows = rows.all()
        counts[kind] = len(rows)
        return rows

    for kind, sql in (("sessions", SESSIONS), ("countersign", COUNTERSIGN)):
        for org, staff_id in run(kind, sql):
            units[org].add(f"person:staff-{staff_id}")
    for org, case_ref in run("case_supervisions", CASE_SUPERVISIONS):
        units[org].add(f"case:{case_ref}")
    leavers = run("leavers", LEAVERS)
    for org, staff_id, manager, _team in leavers:
        units[org] |= {f"person:staff-{staff_id}", f"person:staff-{manager}"}
    if leavers:
        workers = [row[1] for row in leavers]
        _reallocated(run("leavers_cases", REALLOCATE, LEAVERS_CASES, workers=workers), units)
        joined = run(
            "joiners",
            JOINERS,
            orgs=[row[0] for row in leavers],
            replaces=workers,
            managers=[row[2] for row in leavers],
            teams=[row[3] for row in leavers],
        )
        for org, staff_id, manager in joined:
            units[org] |= {f"person:staff-{staff_id}", f"person:staff-{manager}"}
    for org, staff_id, old, new in run("supervisor_changes", CHANGE_SUPERVISOR):
        units[org] |= {f"person:staff-{staff_id}", f"person:staff-{old}", f"person:staff-{new}"}
    _reallocated(run("reallocations", REALLOCATE, RANDOM_CASES), units)
    marked_with = mark(session, units, now)
    counts["units_marked"] = sum(len(u) for u in units.values())
    return {"day": day.isoformat(), "changes": counts, "marked_with": marked_with}


LEAVERS_CASES = "a.worker_id = ANY(:workers)"
RANDOM_CASES = """a.id IN (
    SELECT c.id FROM (
      SELECT a2.id, a2.organisation_id AS org, row_number() OVER (
        PARTITION BY a2.organisation_id ORDER BY md5(a2.id::text || :salt)) AS k
      FROM case_allocation a2 JOIN staff_member w2 ON w2.id = a2.worker_id
      WHERE a2.ended_on IS NULL AND w2.left_on IS NULL AND a2.allocated_on < :day
    ) c JOIN quota q ON q.org = c.org WHERE c.k <= q.n)"""


def _reallocated(rows, units: dict[int, set[str]]) -> None:
    for org, case_ref, old, new in rows:
        units[org] |= {f"case:{case_ref}", f"person:staff-{old}", f"person:staff-{new}"}


def mark(session: Session, units: dict[int, set[str]], now: datetime) -> str:
    """Log the changed units (and the units that read their facts) the way the
    product's actions do."""
    from models.engine.reconcile_scope import mark_changed

    for org, keys in sorted(units.items()):
        mark_changed(session, org, sorted(keys))
    return "models.engine.reconcile_scope.mark_changed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.day_of_changes", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--day", type=date.fromisoformat, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from models.db import get_sessionmaker, normalise_url

    started = time.perf_counter()
    with get_sessionmaker(normalise_url(args.database_url))() as session, session.begin():
        result = apply(session, args.day, args.seed)
    result["work_seconds"] = round(time.perf_counter() - started, 3)
    for kind, count in result["changes"].items():
        print(f"{kind:22} {count:>8,}")
    print(f"marked with {result['marked_with']}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
