"""Recurring obligations: "every N weeks", where N can change over time (an
ASYE year tightens then loosens, a variation signed mid-year tightens).

A cadence is a list of segments [starts_on, ends_on) each with the interval in
force and the rule that sets it. After an event on `last`, the next is due on
the earliest of `max(last, segment start) + interval` over the segments still
in force at `last` or later. That reads the documents naturally (weekly for
the first 6 weeks means a session in week 5 is due again in week 6) and it
never moves a due date earlier when an event is added later, which is what
"holding a session never makes anything more overdue" needs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from policy.durations import Duration
from policy.profile import Rule


@dataclass(frozen=True)
class Segment:
    starts_on: date
    ends_on: date | None  # None: open-ended
    interval: Duration
    rule: Rule


@dataclass(frozen=True)
class Step:
    opens_on: date  # the event the cycle runs from
    due: date
    rule: Rule
    met_on: date | None


def strictest(candidates: Iterable[tuple[Duration, Rule]]) -> tuple[Duration, Rule] | None:
    """The most frequent of several cadences (ties go to the first listed)."""
    best = None
    for interval, rule in candidates:
        if best is None or interval.approx_days() < best[0].approx_days():
            best = (interval, rule)
    return best


def segments_from(
    starts_on: date,
    changes: Sequence[date],
    in_force_on,
) -> list[Segment]:
    """Cut time from `starts_on` at every change date and ask `in_force_on(day)`
    for the (interval, rule) in force on each piece (None: nothing owed)."""
    cuts = sorted({starts_on, *(c for c in changes if c > starts_on)})
    segments = []
    for start, end in zip(cuts, [*cuts[1:], None], strict=False):
        found = in_force_on(start)
        if found is not None:
            segments.append(Segment(start, end, found[0], found[1]))
    return segments


def next_segment(segments: Iterable[Segment], last: date) -> tuple[date, Segment] | None:
    """The earliest next due date after an event on `last`, and the segment
    still in force that sets it (ties go to the first listed)."""
    best = None
    for seg in segments:
        if seg.ends_on is not None and seg.ends_on <= last:
            continue
        due = seg.interval.after(max(last, seg.starts_on))
        if best is None or due < best[0]:
            best = (due, seg)
    return best


def next_due(segments: Sequence[Segment], last: date) -> tuple[date, Rule] | None:
    found = next_segment(segments, last)
    return (found[0], found[1].rule) if found else None


def run(
    due_after: Callable[[date], tuple[date, Rule] | None] | Sequence[Segment],
    starts_on: date,
    events: Iterable[date],
    *,
    last: date | None = None,
) -> list[Step]:
    """Each event meets the cycle it falls in and starts the next; the last
    cycle stays open. Events before `starts_on` do not count. `due_after` is a
    list of segments or a function from the last event to (due, rule).

    `last` is the event the first cycle counts from when it came before
    `starts_on` (a person's last session with a previous supervisor): the
    first cycle still opens on `starts_on`, and falls due no earlier.

    A cycle opens on the latest event before it, even one that did not move
    the due date, so replaying from any event (policy/frontier.py) gives the
    same cycles from there on as replaying from the start."""
    if not callable(due_after):
        segments = due_after

        def due_after(last: date) -> tuple[date, Rule] | None:
            return next_due(segments, last)

    first_last = starts_on if last is None else min(last, starts_on)
    steps, last, opened = [], first_last, starts_on
    for held in sorted({e for e in events if e >= starts_on}):
        found = due_after(last)
        if found is None:
            return steps
        following = due_after(held)
        if following is not None and following[0] == found[0]:
            # An extra event that does not move the next due date (a second
            # session the same week, one on the relationship's first day) meets
            # nothing; counting it would owe the same due date twice.
            opened = held
            continue
        steps.append(Step(opened, max(found[0], opened), found[1], held))
        last = opened = held
    found = due_after(last)
    if found is not None:
        steps.append(Step(opened, max(found[0], opened), found[1], None))
    return steps
