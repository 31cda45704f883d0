"""The dashboard's latency at a benchmark size: each figure's query for the
whole organisation and for one team over the dashboard's default six months,
timed a few times (the fastest run), then the figures together as the page asks
for them, the capacity what-if and the month's workbook; then the plans
(EXPLAIN ANALYZE) of the slowest figures' queries. Measures and prints.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_council \\
        .venv/bin/python -m bench.dashboard --as-of 2026-11-23 [--explain NAME] [--slowest 2]

The page itself, as its three kinds of viewer ask for it: bench/dashboard_page.py.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, datetime

from sqlalchemy import select, text

from models.db import get_sessionmaker
from models.reports import FIGURES, Period, ReportScope, figure_table
from models.reports.tables import figure_query
from models.reports.workbook import build_report, workbook_bytes
from models.tables.org import Organisation, Team

ROUNDS = 5


def _timed(fn) -> float:
    runs = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return min(runs)


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


def measure(
    as_of: date, explain: str | None, only: set[str] | None = None, slowest: int = 2
) -> None:
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
        total, took_by_name = 0.0, {}
        for figure in FIGURES.values():
            if only and figure.name not in only:
                continue
            # As the page asks for it: the whole organisation without the team.
            took = _timed(lambda f=figure: figure_table(session, f, whole, period, by_team=False))
            team = _timed(lambda f=figure: figure_table(session, f, one_team, period))
            total += took
            took_by_name[figure.name] = took
            print(
                f"  {figure.name:<22} whole {took * 1000:8.1f} ms   one team {team * 1000:8.1f} ms"
            )
        print(f"  {'all figures':<22} whole {total * 1000:8.1f} ms")
        ranked = sorted(took_by_name, key=took_by_name.get, reverse=True)
        plans = [explain] if explain else ranked[:slowest]
        if only:
            return _explain(session, plans, whole, period)
        now = datetime.combine(as_of, datetime.min.time())
        report = _timed(lambda: workbook_bytes(build_report(session, whole, period, now)))
        print(f"  monthly workbook          {report * 1000:8.1f} ms")
        profile = load_profile(org.profile)
        facts_took = _timed(lambda: capacity_facts(session, org.id, as_of))
        facts = capacity_facts(session, org.id, as_of)
        what_if = _timed(lambda: capacity(profile, facts, as_of))
        print(f"  capacity: facts {facts_took * 1000:8.1f} ms, demand {what_if * 1000:8.1f} ms")
        _explain(session, plans, whole, period)


def _explain(session, names, whole, period) -> None:
    """The plans of these figures' aggregate queries, run (EXPLAIN ANALYZE)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in names:
        figure = FIGURES[name]
        dims = tuple(d for d in figure.dimensions if d != "team_id")
        query = figure_query(session, figure, whole, period, dims)
        compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}")).scalars()
        print(f"\n{name}, the whole organisation:")
        print("\n".join(plan))


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.dashboard")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--explain", choices=sorted(FIGURES), help="print a figure's plan")
    parser.add_argument("--only", help="these figures (comma-separated), nothing else")
    parser.add_argument("--slowest", type=int, default=2, help="plans of the N slowest figures")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    measure(args.as_of, args.explain, only, args.slowest)


if __name__ == "__main__":
    main()
