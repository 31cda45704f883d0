"""How much of a machine a runner's flows take at once, each set by an
environment variable holding a whole number from 1 (models/configuration.py)."""

from __future__ import annotations

from models.configuration import whole_number_setting

# Batches of one organisation's run reconciled at once: each is a task run on
# its flow's thread pool, holding a database connection and its batch's facts.
# Prefect's thread pool is unbounded by default, so every batch started at
# once: a council's first run held 15 connections (the whole of SQLAlchemy's
# pool, the other batches waiting on it) and 409 MiB, and took 30.5 s, against
# 251 MiB and 19.1 s two at a time and 233 MiB and 21.2 s one at a time (2-core
# AMD EPYC, process wall with Prefect's start-up). Two let one batch's Python
# run while the other waits on PostgreSQL.
BATCH_WORKERS_ENV = "OVERSIGHT_BATCH_WORKERS"
DEFAULT_BATCH_WORKERS = 2


def batch_workers() -> int:
    """Batches of one organisation's run reconciled at once (OVERSIGHT_BATCH_WORKERS), or 2."""
    return whole_number_at_start(BATCH_WORKERS_ENV, DEFAULT_BATCH_WORKERS, of="batches")


def whole_number_at_start(name: str, default: int, *, of: str) -> int:
    """A setting read as a process starts: a bad value stops it with the
    setting's message rather than a traceback."""
    try:
        return whole_number_setting(name, default, of=of)
    except ValueError as error:
        raise SystemExit(str(error)) from None
