"""Alembic builds the schema (conftest runs it on SQLite and on PostgreSQL);
the models and the migrations must describe the same tables."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, make_url, text

from models.base import Base
from models.db import database_url, get_engine, normalise_url
from models.migrate import alembic_config


def test_the_migrations_match_the_models_exactly(migrated_database):
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.fixture
def scratch_database_url(tmp_path):
    """A database of its own, so migrating down and up leaves the suite's alone."""
    url = make_url(database_url())
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    name = f"oversight_scratch_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_sessions_held_before_0002_survive_the_upgrade_as_held_individual_sessions(
    scratch_database_url,
):
    config = alembic_config(scratch_database_url)
    command.upgrade(config, "0001")
    engine = create_engine(normalise_url(scratch_database_url))
    with engine.begin() as c:
        c.execute(
            text("INSERT INTO organisation (name, slug, profile) VALUES ('A', 'a', 'bristol')")
        )
        c.execute(
            text(
                "INSERT INTO staff_member (organisation_id, staff_number, name, email, job_title,"
                " role, employment, started_on, asye) VALUES (1, 'E1', 'Ann', 'a@x', '',"
                " 'social_worker', 'permanent', '2026-01-05', false)"
            )
        )
        c.execute(
            text(
                "INSERT INTO supervision_relationship (supervisor_id, supervisee_id, started_on,"
                " reason, created_at) VALUES (1, 1, '2026-01-05', 'new_starter', '2026-01-05')"
            )
        )
        c.execute(
            text(
                "INSERT INTO supervision_session (relationship_id, held_on, created_at)"
                " VALUES (1, '2026-02-02', '2026-02-02')"
            )
        )
    command.upgrade(config, "head")
    with engine.connect() as c:
        row = c.execute(
            text(
                "SELECT kind, status, record_status, development_discussed FROM supervision_session"
            )
        ).one()
    assert tuple(row) == ("individual", "held", "not_started", False)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    engine.dispose()
