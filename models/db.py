"""The one engine and session factory. `DATABASE_URL` selects the database;
the default is a SQLite file under the project so a new user needs no server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "instance" / "oversight.sqlite"


def normalise_url(url: str) -> str:
    """SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; the stack is psycopg2."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return normalise_url(url)
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - driver hook
        # pysqlite's own transaction handling defers BEGIN; we issue it ourselves so
        # that a reconcile holds its write lock from the first read (no lost update).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - driver hook
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    url = normalise_url(url or database_url())
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


@lru_cache(maxsize=8)
def get_sessionmaker(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


@contextmanager
def transaction(url: str | None = None) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    with get_sessionmaker(url)() as session, session.begin():
        yield session
