"""Alembic builds the schema (conftest runs it on SQLite and on PostgreSQL);
the models and the migrations must describe the same tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models.base import Base
from models.db import get_engine


def test_the_migrations_match_the_models_exactly(migrated_database):
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
