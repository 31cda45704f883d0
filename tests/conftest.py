"""Shared fixtures. The suite runs on whatever DATABASE_URL names (the test
command runs it once on SQLite and once on a fresh PostgreSQL database); with
none set it uses a SQLite file in a temporary folder. Alembic builds the schema
once per session, so the migrations are tested on both databases every run."""

from __future__ import annotations

import functools
import itertools
import os
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="oversight-tests-"))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'test.sqlite'}"


def _database_of_its_own(worker: str) -> None:
    """Under pytest-xdist each worker gets its own database, named after the
    one given, so tests that empty the tables never race another worker."""
    from sqlalchemy import create_engine, make_url, text

    from models.db import normalise_url

    url = make_url(normalise_url(os.environ["DATABASE_URL"]))
    if url.get_backend_name() == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / f'test-{worker}.sqlite'}"
        return
    name = f"{url.database}_{worker}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    os.environ["DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)


if os.environ.get("PYTEST_XDIST_WORKER"):
    _database_of_its_own(os.environ["PYTEST_XDIST_WORKER"])
# Tests never touch a developer's own Prefect server or database.
os.environ.setdefault("PREFECT_HOME", str(_TMP / "prefect"))


# Argon2id at production's cost (RFC 9106: 64 MiB, three passes, four lanes) takes
# 50-100 ms a hash or check here, and the suite signs in thousands of times. The tests
# hash and check with real Argon2id at the lowest cost it allows, set before
# models.actions.accounts makes its dummy hash at import. Production's cost, and a
# cheaper hash being redone at sign-in, are tested in tests/models/test_passwords.py.
from argon2 import PasswordHasher  # noqa: E402

import models.passwords  # noqa: E402

PRODUCTION_HASHER = models.passwords._hasher
models.passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

from models.base import Base  # noqa: E402
from models.db import database_url, get_engine, get_sessionmaker  # noqa: E402


def is_postgres() -> bool:
    return database_url().startswith("postgresql")


@pytest.fixture(scope="session")
def migrated_database() -> str:
    from models.migrate import upgrade

    url = database_url()
    upgrade(url)
    _commit_without_waiting_for_the_disk(get_engine())
    if is_postgres():
        _keep_insertion_order(get_engine())
    return url


def _commit_without_waiting_for_the_disk(engine) -> None:
    """A test database need not outlive a power cut, so its commits do not wait for
    the disk to confirm the write: that wait is 4-10 ms a commit here, and a test
    commits a dozen times. Atomicity, isolation and locking are as before."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql(
                f'ALTER DATABASE "{engine.url.database}" SET synchronous_commit = off'
            )
    else:
        event.listen(engine, "connect", _sqlite_commits_without_waiting)
    engine.dispose()  # connections already open take the setting when they reconnect


def _sqlite_commits_without_waiting(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=OFF")


def _keep_insertion_order(engine) -> None:
    """Tables are emptied by DELETE (`_empty_postgres`); with no vacuum marking
    the deleted rows' space free, new rows always go after the old ones, so a
    table reads back in the order it was written, as after a TRUNCATE, and a
    test's rows never come back in an order the vacuum's timing chose."""
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            conn.exec_driver_sql(f"ALTER TABLE {table.name} SET (autovacuum_enabled = false)")


@functools.cache
def _emptying_statements(tables: tuple[str, ...]) -> str:
    """Delete every row and restart every sequence, as TRUNCATE ... RESTART IDENTITY
    would. Every row goes, so the foreign-key triggers are skipped for this transaction
    (replica role: the suite connects as a superuser), which also lets the cycle
    staff -> team -> service area -> head of service be emptied in any order."""
    deletes = "; ".join(f"DELETE FROM {name}" for name in reversed(tables))
    return (
        f"SET LOCAL session_replication_role = replica; {deletes}; "
        "SELECT setval(c.oid, 1, false) FROM pg_class c "
        "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
    )


# Every so often the tables are truncated instead, so the deleted rows that no
# vacuum reclaims (`_keep_insertion_order`) never pile up.
TRUNCATE_EVERY = 100
_EMPTYINGS = itertools.count(1)


def _empty_postgres(engine, tables: list[str]) -> None:
    """One round trip of DELETEs and sequence resets: a test leaves a few rows, and
    TRUNCATE of every table costs 80-500 ms a test here (new files for each table).
    A role that may not skip the foreign-key triggers gets TRUNCATE."""
    if next(_EMPTYINGS) % TRUNCATE_EVERY:
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(_emptying_statements(tuple(tables)))
            return
        except DBAPIError:
            pass
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


def _empty_all_tables() -> None:
    engine = get_engine()
    tables = [t.name for t in Base.metadata.sorted_tables]
    if engine.dialect.name == "postgresql":
        _empty_postgres(engine, tables)
        return
    with engine.begin() as conn:
        # Staff refer to each other (line managers); check keys at commit, not per row.
        conn.execute(text("PRAGMA defer_foreign_keys=ON"))
        for name in reversed(tables):
            conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def db(migrated_database):
    """A session factory over an empty, fully migrated database."""
    _empty_all_tables()
    yield get_sessionmaker()


@pytest.fixture
def postgres_only():
    if not is_postgres():
        pytest.skip("needs PostgreSQL: the test command runs this on the PostgreSQL pass")


@pytest.fixture(scope="session")
def prefect_server():
    """Prefect's ephemeral server, one for the whole session (it takes about
    five seconds to start), for the tests marked `prefect`. The others call
    the plain functions under the Prefect tasks and need no server."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def new_relationships(db):
    """Two new starters with one supervisor (tests/worlds/new_starters.py):
    the agreement lifecycle owes one agreement per relationship."""
    from tests.worlds import new_relationships as build

    return build(db)
