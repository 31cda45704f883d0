"""The benchmark's databases: create (or replace) one, bring it to the latest
schema with the project's own Alembic migrations (models.migrate), check the
generator still covers every required column, and after a load set the
sequences, check every foreign key and VACUUM ANALYZE."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql
from sqlalchemy import make_url

from bench.tables import COLUMNS
from models.db import normalise_url
from models.migrate import upgrade


class BenchDatabaseError(RuntimeError):
    pass


def default_url(size: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/bench_{size}"


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme.startswith("postgres")


def libpq_dsn(url: str, database: str | None = None) -> str:
    """The URL as psycopg2 takes it (no SQLAlchemy driver suffix)."""
    parsed = make_url(normalise_url(url))
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def connect(url: str):
    if is_postgres(url):
        return psycopg2.connect(libpq_dsn(url))
    return sqlite3.connect(make_url(url).database)


def prepare(url: str, *, replace: bool) -> None:
    """Create the database if missing (dropping it first with replace), migrate
    it, and refuse to load into one that already holds organisations."""
    if is_postgres(url):
        name = make_url(url).database
        admin = psycopg2.connect(libpq_dsn(url, "postgres"))
        admin.autocommit = True
        with admin.cursor() as cursor:
            if replace:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        admin.close()
    upgrade(normalise_url(url))
    connection = connect(url)
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT count(*) FROM organisation")
        if cursor.fetchone()[0]:
            raise BenchDatabaseError(
                f"{make_url(url).render_as_string()} already holds organisations; "
                "pass --replace to start again, or measure it with --reuse"
            )
        if is_postgres(url):
            check_columns(cursor)
    finally:
        connection.close()


def check_columns(cursor) -> None:
    """Every NOT NULL column without a default must be among the generator's."""
    cursor.execute(
        """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND is_nullable = 'NO' AND column_default IS NULL
             AND table_name = ANY(%s)""",
        (list(COLUMNS),),
    )
    missing = sorted(f"{t}.{c}" for t, c in cursor.fetchall() if c not in COLUMNS[t])
    if missing:
        raise BenchDatabaseError(
            f"the schema has required columns the generator does not write: {missing} "
            "(add them to bench/tables.py)"
        )


def finish(connection) -> dict[str, int]:
    """After a PostgreSQL load: sequences past the generator's ids, then every
    single-column foreign key checked (the load ran with their triggers off).
    Returns the orphans per foreign key, which should be none."""
    cursor = connection.cursor()
    for table in COLUMNS:
        cursor.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), coalesce(max(id), 0) + 1, false) "
                "FROM {}"
            ).format(sql.Identifier(table)),
            (table,),
        )
    connection.commit()
    return check_foreign_keys(cursor)


def check_foreign_keys(cursor) -> dict[str, int]:
    cursor.execute(
        """SELECT c.conname, cl.relname, a.attname, pcl.relname, pa.attname
           FROM pg_constraint c
           JOIN pg_class cl ON cl.oid = c.conrelid
           JOIN pg_class pcl ON pcl.oid = c.confrelid
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
           WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND cl.relname = ANY(%s)
           ORDER BY c.conname""",
        (list(COLUMNS),),
    )
    orphans = {}
    for name, table, column, parent, key in cursor.fetchall():
        cursor.execute(
            sql.SQL(
                "SELECT count(*) FROM {t} c WHERE c.{col} IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM {p} p WHERE p.{key} = c.{col})"
            ).format(
                t=sql.Identifier(table),
                col=sql.Identifier(column),
                p=sql.Identifier(parent),
                key=sql.Identifier(key),
            )
        )
        count = cursor.fetchone()[0]
        if count:
            orphans[name] = count
    return orphans


def vacuum_analyze(url: str) -> None:
    """Statistics and the visibility map, as a database in service would have them."""
    connection = connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    connection.close()


def table_counts(url: str, tables=tuple(COLUMNS)) -> dict[str, int]:
    connection = connect(url)
    try:
        cursor = connection.cursor()
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        connection.close()
