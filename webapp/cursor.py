"""Keyset cursors: where a page ends, as a token the page's links (and API
clients) hand back. A cursor names a position in the list's order, never a
person or a filter: the query that reads it is always scoped to whoever
asks, so a cursor copied from someone else's page shows only your own tasks.

The token is URL-safe base64 of a short JSON array (opaque enough that nobody
builds one by hand, plain enough to debug). Anything that is not a token we
could have made is refused with CursorError: the HTML inbox then shows the
first page, the API answers 400."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from webapp.database import MAX_ID

AFTER = "after"  # the rows that follow this key (the next page)
BEFORE = "before"  # the rows that precede it (the previous page)
MAX_TOKEN = 400  # a real token is well under 100 characters


class CursorError(ValueError):
    """The cursor is not one this service gave out."""


@dataclass(frozen=True)
class Cursor:
    direction: str
    key: tuple[Any, ...]

    @property
    def backwards(self) -> bool:
        return self.direction == BEFORE

    def query_args(self) -> dict[str, str]:
        """The address's argument for the page this cursor starts: none for
        the first page (a cursor with an empty key)."""
        return {"cursor": self.encode()} if self.key else {}

    def encode(self) -> str:
        key = [value.isoformat() if isinstance(value, date) else value for value in self.key]
        raw = json.dumps([self.direction, *key], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(token: str, *parsers: Callable[[Any], Any]) -> Cursor:
    """Read a token whose key has one value per parser (each raises ValueError
    or TypeError on a value of the wrong shape)."""
    if not token or len(token) > MAX_TOKEN:
        raise CursorError("empty or too long")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        items = json.loads(raw.decode())
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise CursorError("not a token") from error
    if not isinstance(items, list) or len(items) != len(parsers) + 1:
        raise CursorError("wrong shape")
    if items[0] not in (AFTER, BEFORE):
        raise CursorError("no direction")
    try:
        key = tuple(parse(value) for parse, value in zip(parsers, items[1:], strict=True))
    except (TypeError, ValueError) as error:
        raise CursorError("wrong key") from error
    return Cursor(items[0], key)


def a_date(value: Any) -> date:
    if not isinstance(value, str):
        raise TypeError("a date is an ISO string")
    return date.fromisoformat(value)


def a_row_id(value: Any) -> int:
    # bool is an int in Python; JSON true is not an ID.
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ID:
        raise ValueError("not a row ID")
    return value


def a_name(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise ValueError("not a name")
    return value
