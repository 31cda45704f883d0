"""Ids allocated by the generator itself, so rows can refer to each other
before any is written, and the same seed gives the same ids. The loader sets
each table's sequence past the largest id afterwards."""

from __future__ import annotations

from collections import defaultdict


class Ids:
    def __init__(self) -> None:
        self._last: dict[str, int] = defaultdict(int)

    def next(self, table: str) -> int:
        self._last[table] += 1
        return self._last[table]
