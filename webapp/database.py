"""One SQLAlchemy session per request, from models.db's session factory (no
Flask-SQLAlchemy, so the web app and the Prefect layer share the models).

SQLite begins every transaction with BEGIN IMMEDIATE (models/db.py), so a read
holds the write lock until its transaction ends. Before an action function or
an audit write opens its own transaction, call `end_read()`."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from models.db import get_sessionmaker

_EXTENSION = "oversight.sessionmaker"
MAX_ID = 2**31 - 1  # the largest ID an integer column holds (a larger one in a URL is 404)


def init_app(app: Flask) -> None:
    factory = app.config.get("SESSION_FACTORY") or get_sessionmaker(app.config.get("DATABASE_URL"))
    app.extensions[_EXTENSION] = factory
    app.teardown_appcontext(_close_session)


def session_factory() -> sessionmaker[Session]:
    """The factory action functions get, so they write to the same database."""
    return current_app.extensions[_EXTENSION]


def db_session() -> Session:
    """This request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = session_factory()()
    return g.db_session


def end_read() -> None:
    """Finish the request's read transaction (its loaded objects stay usable)."""
    if "db_session" in g:
        g.db_session.commit()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
