"""The dashboard's latency at a benchmark size: each figure's query for the
whole organisation over the dashboard's default six months, timed a few
times (the median), then the figures together as the page asks for them,
the capacity what-if and the month's workbook. Measures and prints.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_council \\
        .venv/bin/python -m bench.dashboard --as-of 2026-11-23 [--explain NAME]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date, datetime

from sqlalchemy import select, text

from models.db import get_sessionmaker
from models.reports import FIGURES, Period, ReportScope, figure_table
from models.reports.workbook import build_report, workbook_bytes
from models.tables.org import Organisation, Team

ROUNDS = 3


def _timed(fn) -> float:
    runs = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _largest(session) -> Organisation:
    from sqlalchemy import func

    from models.tables.org import StaffMember

    org_id = session.execute(
        select(StaffMember.organisation_id, func.count())
        .group_by(StaffMember.organisation_id)
        .order_by(func.count().desc())
        .limit(1)
    ).first()[0]
    return session.get(Organisation, org_id)


def measure(as_of: date, explain: str | None, only: set[str] | None = None) -> None:
    from models.reports.capacity import capacity
    from models.reports.capacity_facts import capacity_facts
    from policy import load_profile

    period = Period(date(as_of.year, as_of.month, 1).replace(month=max(1, as_of.month - 5)),
                    as_of, as_of)  # fmt: skip
    with get_sessionmaker()() as session:
        org = _largest(session)
        whole = ReportScope(org.id, "the whole organisation")
        team_id = session.scalars(select(Team.id).order_by(Team.id).limit(1)).one()
        one_team = ReportScope(org.id, "one team", (team_id,))
        print(f"{org.name}: {period.describe}; {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
        total = 0.0
        for figure in FIGURES.values():
            if only and figure.name not in only:
                continue
            took = _timed(lambda f=figure: figure_table(session, f, whole, period))
            team = _timed(lambda f=figure: figure_table(session, f, one_team, period))
            total += took
            print(
                f"  {figure.name:<22} whole {took * 1000:8.1f} ms   one team {team * 1000:8.1f} ms"
            )
        print(f"  {'all figures':<22} whole {total * 1000:8.1f} ms")
        if only:
            return _explain(session, explain, whole, period)
        now = datetime.combine(as_of, datetime.min.time())
        report = _timed(lambda: workbook_bytes(build_report(session, whole, period, now)))
        print(f"  monthly workbook          {report * 1000:8.1f} ms")
        profile = load_profile(org.profile)
        facts_took = _timed(lambda: capacity_facts(session, org.id, as_of))
        facts = capacity_facts(session, org.id, as_of)
        what_if = _timed(lambda: capacity(profile, facts, as_of))
        print(f"  capacity: facts {facts_took * 1000:8.1f} ms, demand {what_if * 1000:8.1f} ms")
        _explain(session, explain, whole, period)


def _explain(session, explain, whole, period) -> None:
    """The plan of one figure's query, run (EXPLAIN ANALYZE)."""
    if not explain:
        return
    query = FIGURES[explain].items(session, whole, period)
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}")).scalars()
    print("\n".join(plan))


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.dashboard")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--explain", choices=sorted(FIGURES), help="print a figure's plan")
    parser.add_argument("--only", help="these figures (comma-separated), nothing else")
    args = parser.parse_args()
    measure(args.as_of, args.explain, set(args.only.split(",")) if args.only else None)


if __name__ == "__main__":
    main()
