"""Counting the statements a piece of code sends to the database, for the
tests that hold a read to a fixed number of statements whatever its size."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event


def statements_during(
    engine, run: Callable[[], object], *, kinds: tuple[str, ...] = ()
) -> tuple[object, int]:
    """What `run()` returns, and how many statements it sent through `engine`
    (only those that begin with one of `kinds`, such as "SELECT", when given)."""
    seen = []

    def count(_conn, _cursor, statement, *_args):
        if not kinds or statement.lstrip().upper().startswith(kinds):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        result = run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, len(seen)
