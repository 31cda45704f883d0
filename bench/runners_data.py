"""The database side of bench/runners.py: a multi-organisation database (the
smallest N councils of the national size, generated exactly as bench.generate
generates them, only fewer), derived state emptied between trials, the
organisations and units a trial covers, and a fingerprint of what the
reconcile leaves behind."""

from __future__ import annotations

import hashlib
from datetime import date
from unittest import mock

from psycopg2 import sql
from sqlalchemy import make_url

from bench import database, shape
from bench.measure import reset_derived

# Only a database named so is dropped and generated again with another count.
OWN_PREFIX = "bench_runners"
# What the reconcile leaves behind, compared between trials.
FINGERPRINTED = ("human_task", "reconcile_wake", "reconcile_watermark")
# Never compared: surrogate keys, and when something happened by the clock.
SKIPPED_COLUMNS = {"id"}
SKIPPED_TYPES = {"timestamp without time zone", "timestamp with time zone"}


def smallest_councils(count: int, seed: int) -> list[shape.OrgSpec]:
    """The `count` smallest councils of the national size, in their national order:
    the most organisations (flow runs) for the time a trial has."""
    councils = shape.organisations("national", seed)
    chosen = {org.index for org in sorted(councils, key=lambda o: (o.staff, o.index))[:count]}
    return [org for org in councils if org.index in chosen]


def organisation_count(url: str) -> int | None:
    """How many organisations the database holds; None when it does not exist."""
    admin = database.connect(database.libpq_dsn(url, "postgres"))
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (_name(url),))
            if cursor.fetchone() is None:
                return None
    finally:
        admin.close()
    connection = database.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('organisation') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT count(*) FROM organisation")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def ensure_dataset(url: str, organisations: int, seed: int, as_of: date) -> dict:
    """Generate and load the smallest `organisations` councils unless the
    database already holds that many organisations. Returns what was done."""
    held = organisation_count(url)
    if held == organisations:
        return {"generated": False, "organisations": organisations}
    if held and not _name(url).startswith(OWN_PREFIX):
        raise SystemExit(
            f"bench.runners: {_name(url)} holds {held} organisations, not {organisations}; "
            f"it is reloaded only when its name starts with {OWN_PREFIX!r} (the database "
            "is dropped and generated again)"
        )
    from bench.generate import load

    councils = smallest_councils(organisations, seed)
    with mock.patch.object(shape, "organisations", lambda size, seed: councils):
        loaded = load("national", url, seed, as_of, replace=True)
    return {
        "generated": True,
        "organisations": organisations,
        "councils": [org.slug for org in councils],
        "staff": sum(org.staff for org in councils),
        "open_cases": sum(org.cases for org in councils),
        "total_rows": loaded["total_rows"],
        "seconds": loaded["seconds"],
    }


def scratch_database(url: str, name: str, *, drop: bool = False) -> str:
    """Create (or with drop, drop) an empty database beside `url`'s, for
    Prefect's server; returns its URL as Prefect's server takes it."""
    admin = database.connect(database.libpq_dsn(url, "postgres"))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if not drop:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        admin.close()
    return (
        make_url(url)
        .set(drivername="postgresql+asyncpg", database=name)
        .render_as_string(hide_password=False)
    )


def empty_derived(url: str) -> None:
    """Human tasks and what hangs off them, wake dates, watermarks, the change log."""
    reset_derived(url)


def dataset_summary(url: str, as_of: date) -> dict:
    """Organisations, staff in post and open cases of the database."""
    queries = {
        "organisations": "SELECT count(*) FROM organisation",
        "staff_in_post": (
            "SELECT count(*) FROM staff_member WHERE left_on IS NULL OR left_on > %(d)s"
        ),
        "open_cases": (
            "SELECT count(DISTINCT (organisation_id, case_ref)) FROM case_allocation "
            "WHERE ended_on IS NULL OR ended_on > %(d)s"
        ),
    }
    return {name: _scalar(url, query, {"d": as_of}) for name, query in queries.items()}


def _scalar(url: str, query: str, params: dict | None = None):
    connection = database.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone()[0]
    finally:
        connection.close()


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        """SELECT column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position""",
        (table,),
    )
    return [
        name
        for name, kind in cursor.fetchall()
        if name not in SKIPPED_COLUMNS and kind not in SKIPPED_TYPES
    ]


def fingerprint(url: str) -> dict:
    """Per table: its rows (ids and clock times left out) in a fixed order,
    hashed, and counted; and one hash over them all."""
    tables: dict[str, dict] = {}
    connection = database.connect(url)
    try:
        for table in FINGERPRINTED:
            with connection.cursor() as cursor:
                columns = _columns(cursor, table)
            row = sql.SQL("ROW({})::text").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in columns)
            )
            query = sql.SQL(
                'SELECT r FROM (SELECT {row} AS r FROM {table}) t ORDER BY r COLLATE "C"'
            ).format(row=row, table=sql.Identifier(table))
            digest = hashlib.sha256()
            rows = 0
            # A server-side cursor: the rows stream, however many there are.
            with connection.cursor(name=f"fingerprint_{table}") as cursor:
                cursor.itersize = 20_000
                cursor.execute(query)
                for (text,) in cursor:
                    digest.update(text.encode() + b"\n")
                    rows += 1
            tables[table] = {"rows": rows, "sha256": digest.hexdigest(), "columns": columns}
    finally:
        connection.close()
    overall = hashlib.sha256("".join(t["sha256"] for t in tables.values()).encode())
    return {"sha256": overall.hexdigest(), "tables": tables}


def _name(url: str) -> str:
    return make_url(url).database


class Connections:
    """The most PostgreSQL client connections seen during a trial: to this
    database, and to the whole server (which other work shares)."""

    QUERY = """SELECT count(*) FILTER (WHERE datname = current_database()), count(*),
                      current_setting('max_connections')::int
               FROM pg_stat_activity WHERE backend_type = 'client backend'"""

    def __init__(self, url: str):
        self.connection = database.connect(url)
        self.connection.autocommit = True
        self.peak_database = self.peak_server = self.max_connections = 0

    def sample(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(self.QUERY)
            here, everywhere, self.max_connections = cursor.fetchone()
        self.peak_database = max(self.peak_database, here)
        self.peak_server = max(self.peak_server, everywhere)

    def close(self) -> dict:
        self.connection.close()
        return {
            "peak_connections_to_database": self.peak_database,
            "peak_connections_to_server": self.peak_server,
            "max_connections": self.max_connections,
        }
