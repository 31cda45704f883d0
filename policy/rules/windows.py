"""Fixed windows ("three times every year", "four times a year", "per month"):
the window containing as_of and the one before it, so an inbox shows what is
owed now and how the last window ended, without replaying years of history."""

from __future__ import annotations

from datetime import date

from policy.durations import Duration


def recent_windows(anchor: date, length: Duration, as_of: date) -> list[tuple[date, date]]:
    if as_of < anchor:
        return []
    k = 0
    while Duration(length.amount * (k + 1), length.unit).after(anchor) <= as_of:
        k += 1
    starts = [Duration(length.amount * i, length.unit).after(anchor) for i in (k - 1, k, k + 1)]
    pairs = [(starts[0], starts[1]), (starts[1], starts[2])]
    return [(start, end) for start, end in pairs if start >= anchor]
