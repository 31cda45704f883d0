"""Counting the statements a piece of code sends to the database, for the
tests that hold a read to a fixed number of statements whatever its size."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event


def sent_with_parameters(
    engine, run: Callable[[], object], *, kinds: tuple[str, ...] = ()
) -> tuple[object, list[tuple[str, object]]]:
    """What `run()` returns, and each statement it sent through `engine` with
    its parameters (only those that begin with one of `kinds`, such as
    "SELECT", when given), in the order sent: for the tests that explain them."""
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, *_args):
        if not kinds or statement.lstrip().upper().startswith(kinds):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        result = run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return result, seen


def statements_sent(
    engine, run: Callable[[], object], *, kinds: tuple[str, ...] = ()
) -> tuple[object, list[str]]:
    """What `run()` returns, and the text of each statement it sent (as
    `sent_with_parameters`): for the tests that say which statements, not
    only how many."""
    result, seen = sent_with_parameters(engine, run, kinds=kinds)
    return result, [statement for statement, _parameters in seen]


def statements_during(
    engine, run: Callable[[], object], *, kinds: tuple[str, ...] = ()
) -> tuple[object, int]:
    """What `run()` returns, and how many statements it sent through `engine`
    (only those that begin with one of `kinds`, such as "SELECT", when given)."""
    result, seen = statements_sent(engine, run, kinds=kinds)
    return result, len(seen)
