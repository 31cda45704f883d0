"""Prepare a PostgreSQL database for the load test:

    .venv/bin/python -m bench.load.prepare --rows 1000000 --recreate

Creates the database if it is missing (drops it first with --recreate),
brings it to the latest schema with Alembic, loads the demo council and
reconciles it (so the demo logins have live inboxes), builds synthetic
councils with a login for every member of staff (password `demo-oversight`),
then COPYs synthetic human tasks until the table holds --rows rows, and
ANALYZEs. The same --seed and --today give the same rows."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import random
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.load.common import DEFAULT_DATABASE, MARK, PASSWORD, USERNAME_PREFIX, database_url
from bench.load.synthetic import COLUMNS, build_council, council_rows, plan
from models.db import get_sessionmaker, normalise_url
from models.demo import load_demo
from models.engine.reconcile import reconcile
from models.migrate import upgrade
from models.passwords import hash_password
from models.tables.human_task import HumanTask
from models.tables.org import Organisation
from policy import LIFECYCLES

CHUNK = 20_000  # rows per COPY statement: progress moves, memory stays small


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    url = normalise_url(database_url(args.database))
    today = args.today or datetime.now(ZoneInfo("Europe/London")).date()
    _create_database(url, recreate=args.recreate)
    print(f"Migrating {make_url(url).render_as_string(hide_password=True)}")
    upgrade(url)
    factory = get_sessionmaker(url)
    demo = load_demo(today=today, session_factory=factory)
    if demo.created:
        reconcile(
            organisation_id=demo.organisation_id,
            lifecycles=set(LIFECYCLES),
            as_of=today,
            session_factory=factory,
        )
    with factory() as session:
        existing = session.scalar(select(func.count()).select_from(HumanTask))
        built = session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.slug.like(f"{USERNAME_PREFIX}-%"))
        )
    if built:
        print(f"Synthetic councils are already there; {existing:,} human tasks. Nothing to do.")
        print("Use --recreate to start again with other numbers.")
        return 0
    if existing >= args.rows:
        print(f"{existing:,} human tasks already, at least --rows; nothing to add.")
        return 0
    councils = _build_councils(factory, args.organisations, args.teams, today)
    rows_plan = plan(councils, args.rows - existing, random.Random(args.seed))
    _copy_rows(url, councils, rows_plan, today, args.seed, args.rows - existing)
    _analyze(url)
    _describe(url)
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="name on 127.0.0.1, or a URL")
    parser.add_argument("--rows", type=int, default=1_000_000, help="human_task rows in all")
    parser.add_argument("--organisations", type=int, default=20, help="synthetic councils")
    parser.add_argument("--teams", type=int, default=25, help="teams per council (10 staff each)")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--today", type=date.fromisoformat, help="default: today in London")
    parser.add_argument("--recreate", action="store_true", help="drop the database first")
    return parser.parse_args(argv)


def _create_database(url: str, *, recreate: bool) -> None:
    target = make_url(url)
    name = target.database
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if exists and recreate:
            print(f"Dropping database {name}")
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = False
        if not exists:
            print(f"Creating database {name}")
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()


def _build_councils(factory, organisations: int, teams: int, today: date):
    # One hash for every synthetic login: Argon2 takes ~50 ms a hash, by design.
    password_hash = hash_password(PASSWORD)
    councils = []
    with Progress() as progress:
        bar = progress.add_task("Councils, staff and logins", total=organisations)
        for number in range(1, organisations + 1):
            with factory() as session, session.begin():
                councils.append(build_council(session, number, teams, today, password_hash))
            progress.advance(bar)
    return councils


def _copy_rows(url, councils, rows_plan, today: date, seed: int, total: int) -> None:
    print(
        f"{total:,} synthetic human tasks: {rows_plan.open_total:,} open, "
        f"{sum(rows_plan.closed_per_council.values()):,} closed"
    )
    rows = itertools.chain.from_iterable(council_rows(c, rows_plan, today, seed) for c in councils)
    statement = f"COPY human_task ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
    engine = create_engine(url)
    connection = engine.raw_connection()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    try:
        with Progress(*columns, TimeRemainingColumn()) as progress:
            bar = progress.add_task("COPY human_task", total=total)
            while chunk := list(itertools.islice(rows, CHUNK)):
                buffer = io.StringIO()
                # csv writes None as an empty unquoted field, which COPY reads as NULL.
                csv.writer(buffer).writerows(chunk)
                buffer.seek(0)
                with connection.cursor() as cursor:
                    cursor.copy_expert(statement, buffer)
                connection.commit()
                progress.advance(bar, len(chunk))
    finally:
        connection.close()
        engine.dispose()


def _analyze(url: str) -> None:
    print("VACUUM ANALYZE (planner statistics and the visibility map for index-only scans)")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _describe(url: str) -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = connection.execute(
            text(
                "SELECT count(*), count(*) FILTER (WHERE status IN ('open', 'escalated')),"
                " count(DISTINCT organisation_id), count(DISTINCT assignee_id),"
                " count(*) FILTER (WHERE created_by = :mark)"
                " FROM human_task"
            ),
            {"mark": MARK},
        ).one()
        logins = connection.scalar(text("SELECT count(*) FROM user_account"))
    engine.dispose()
    total, open_, orgs, assignees, synthetic = counts
    print(
        f"human_task: {total:,} rows ({synthetic:,} synthetic), {open_:,} open, "
        f"{orgs} organisations, {assignees:,} assignees; {logins:,} logins"
    )


if __name__ == "__main__":
    sys.exit(main())
