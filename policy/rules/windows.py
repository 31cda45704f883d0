"""Fixed windows ("three times every year", "four times a year", "per month"):
the window containing as_of and the one before it, so an inbox shows what is
owed now and how the last window ended, without replaying years of history.
The answer changes when the next window opens, so a rule notes that day."""

from __future__ import annotations

from datetime import date

from policy.context import Context
from policy.durations import Duration


def windows_around(anchor: date, length: Duration, as_of: date) -> list[tuple[date, date]]:
    """[start, end) of the window holding as_of and of the one before it."""
    if as_of < anchor:
        return []
    # Start from the window the day count puts as_of in, then step to the right one.
    k = max(int((as_of - anchor).days / length.approx_days()) - 1, 0)
    while k > 0 and Duration(length.amount * k, length.unit).after(anchor) > as_of:
        k -= 1
    while Duration(length.amount * (k + 1), length.unit).after(anchor) <= as_of:
        k += 1
    starts = [Duration(length.amount * i, length.unit).after(anchor) for i in (k - 1, k, k + 1)]
    pairs = [(starts[0], starts[1]), (starts[1], starts[2])]
    return [(start, end) for start, end in pairs if start >= anchor]


def recent_windows(ctx: Context, anchor: date, length: Duration) -> list[tuple[date, date]]:
    """windows_around as of the context's day, noting when the next one opens."""
    windows = windows_around(anchor, length, ctx.as_of)
    ctx.wake_at(windows[-1][1] if windows else anchor)
    return windows
