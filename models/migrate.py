"""Bring a database to the latest schema with Alembic (used by the run
command, the tests and the production entrypoint)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from models.db import PROJECT_ROOT, database_url


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["url"] = url or database_url()
    config.attributes["configure_logging"] = False
    return config


def upgrade(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")


if __name__ == "__main__":
    upgrade()
    print(f"Database is at the latest schema: {database_url()}")
