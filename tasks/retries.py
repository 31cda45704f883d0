"""When a Prefect task may retry: only when the database was briefly away
(models/engine/transient.py). A bug or a bad profile fails at once, so the
error reaches a person instead of looping."""

from __future__ import annotations

from typing import Any

from models.engine.transient import is_transient_error

TRANSIENT_RETRIES = 3
TRANSIENT_RETRY_DELAYS = [2, 10, 30]


def is_transient_failure(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect's `retry_condition_fn` hook: (task, task_run, failed state) -> retry?

    It must be a plain function: Prefect 3.8 only calls functions here."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception as unreadable:  # the result itself could not be read back
        error = unreadable
    return isinstance(error, BaseException) and is_transient_error(error)


# The options of every task that touches the database: retried on a passing fault only.
TRANSIENT = {
    "retries": TRANSIENT_RETRIES,
    "retry_delay_seconds": TRANSIENT_RETRY_DELAYS,
    "retry_condition_fn": is_transient_failure,
}
