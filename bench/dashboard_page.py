"""The dashboard page as its viewers ask for it: signed in through the login
form of the Flask test client (no server, no network) as the workforce team
(the whole organisation), a head of service (their areas) and a team manager
(their team), each page asked for a number of times, with the median and the
95th percentile. Measures and prints; asserts nothing.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_council \\
        .venv/bin/python -m bench.dashboard_page --as-of 2026-11-23 [--rounds 20]

The database is a benchmark council (`python -m bench.generate --size council`)
reconciled as of the same day (`python -m bench.steps --as-of 2026-11-23`), so
the inboxes hold the human tasks the figures count. The figures are kept for
the day first (models/reports/summary.py, timed), as the hourly
`dashboard-figures` run keeps them, so the page reads them; with `--live` they
are not, and a page for a period they do not cover is computed live
(`--path "/dashboard?as_of=22&as_of=11&as_of=2026"`). Each line says which the
page did."""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

from sqlalchemy import func, select

from bench.generate import BENCH_PASSWORD
from models.db import get_sessionmaker
from models.reports.summary import refresh_summary
from models.tables.org import (
    AppRole,
    ServiceArea,
    StaffMember,
    StaffRole,
    Team,
    UserAccount,
    UserRole,
)
from webapp import create_app


def viewers(session) -> list[tuple[str, str]]:
    """(who, username): a workforce team login, a head of service heading the
    area with the most teams, and the manager of the largest team."""
    workforce = session.scalar(
        select(UserAccount.username)
        .join(UserRole, UserRole.user_id == UserAccount.id)
        .where(UserRole.role == AppRole.WORKFORCE_TEAM)
        .order_by(UserAccount.id)
        .limit(1)
    )
    head = session.scalar(
        select(UserAccount.username)
        .join(ServiceArea, ServiceArea.head_of_service_id == UserAccount.staff_id)
        .join(Team, Team.service_area_id == ServiceArea.id)
        .group_by(UserAccount.id, UserAccount.username)
        .order_by(func.count().desc(), UserAccount.id)
        .limit(1)
    )
    members = select(StaffMember.team_id, func.count().label("n")).group_by(StaffMember.team_id)
    sizes = members.subquery()
    manager = session.scalar(
        select(UserAccount.username)
        .join(StaffMember, StaffMember.id == UserAccount.staff_id)
        .join(sizes, sizes.c.team_id == StaffMember.team_id)
        .where(StaffMember.role == StaffRole.TEAM_MANAGER, StaffMember.left_on.is_(None))
        .order_by(sizes.c.n.desc(), UserAccount.id)
        .limit(1)
    )
    return [("workforce team", workforce), ("head of service", head), ("team manager", manager)]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _keep_figures(factory, as_of: date) -> None:
    """The figures of the largest organisation kept as of the day, timed."""
    with factory() as session:
        org_id = session.scalar(
            select(StaffMember.organisation_id)
            .group_by(StaffMember.organisation_id)
            .order_by(func.count().desc())
            .limit(1)
        )
    start = time.perf_counter()
    refresh_summary(org_id, as_of, session_factory=factory)
    took = time.perf_counter() - start
    print(f"figures kept as of {as_of:%-d %B %Y} in {took * 1000:.0f} ms "
          f"(load {os.getloadavg()[0]:.2f})")  # fmt: skip


def measure(as_of: date, rounds: int, path: str, live: bool = False) -> None:
    factory = get_sessionmaker()
    if not live:
        _keep_figures(factory, as_of)
    app = create_app(
        {
            "SECRET_KEY": "bench-dashboard",
            "SESSION_FACTORY": factory,
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": False,
            "OVERSIGHT_TODAY": as_of.isoformat(),
        }
    )
    with factory() as session:
        people = viewers(session)
    print(f"GET {path} as of {as_of:%-d %B %Y}, {rounds} rounds each; {os.cpu_count()} cores")
    for who, username in people:
        client = app.test_client()
        signed_in = client.post("/login", data={"username": username, "password": BENCH_PASSWORD})
        if signed_in.status_code != 302:
            print(f"  {who:<16} {username}: could not sign in ({signed_in.status_code})")
            continue
        first = time.perf_counter()
        page = client.get(path)
        cold = time.perf_counter() - first
        took = []
        for _ in range(rounds):
            start = time.perf_counter()
            page = client.get(path)
            took.append(time.perf_counter() - start)
        read = "kept" if b"Figures as of" in page.data else "live"
        print(
            f"  {who:<16} {username:<24} status {page.status_code} {read}  "
            f"first {cold * 1000:7.1f} ms  median {statistics.median(took) * 1000:7.1f} ms  "
            f"p95 {_percentile(took, 0.95) * 1000:7.1f} ms  "
            f"({len(page.data) // 1024} KiB; load {os.getloadavg()[0]:.2f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.dashboard_page")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--path", default="/dashboard", help="the page (default /dashboard)")
    parser.add_argument("--live", action="store_true", help="do not keep the figures first")
    args = parser.parse_args()
    measure(args.as_of, args.rounds, args.path, args.live)


if __name__ == "__main__":
    main()
