"""Whether a database error is passing: a dropped connection, a lock timeout,
a serialisation conflict. Work that meets one may be tried again (Prefect
retries the task, tasks/retries.py); a bug or a bad profile fails at once, so
the error reaches a person instead of looping."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

# SQLite reports schema mistakes as OperationalError too; those are not transient.
_PERMANENT_SQLITE_MESSAGES = ("no such table", "no such column", "syntax error", "has no column")


def is_transient_error(error: BaseException | None) -> bool:
    """True when the error, or anything it was raised from, is a passing database fault."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, sa_exc.DisconnectionError | sa_exc.TimeoutError):
            return True
        if isinstance(error, sa_exc.OperationalError):
            message = str(error.orig if error.orig is not None else error).lower()
            return not any(m in message for m in _PERMANENT_SQLITE_MESSAGES)
        error = error.__cause__ or error.__context__
    return False
