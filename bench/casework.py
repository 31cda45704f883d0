"""Children's cases, by case ID only: the open cases (split by type as in
bench/shape.py, held at the national caseloads) and cases opened and closed
within the history. A case follows its post: when a worker leaves, the next
holder of the post takes it on (a reallocation, which restarts the first
case-supervision clock), and now and then it moves to a colleague in the
same team. Each allocation is supervised on its type's cadence from the
profile, with slippage; a few supervisions record an important decision;
most are entered on the child's record within days."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from bench import shape
from bench.cadence import held_after
from bench.gen import Gen, stamp
from bench.structure import Post, Structure

DECISIONS = (
    (
        "Plan reviewed; actions agreed.",
        "Progress against the plan discussed.",
        "Visit within 10 days.",
    ),
    ("Strategy discussion to be convened.", "New information about risk.", "Manager to chair."),
    (
        "Step down to early help considered.",
        "Needs met; family engaging.",
        "Review at next supervision.",
    ),
)
# team id -> [(allocation id, allocated on, ended on or None)]: Nottingham's audit rota
Registry = dict[int, list[tuple[int, date, date | None]]]


def emit_cases(g: Gen, structure: Structure, post: Post, open_types: list[str], registry: Registry):
    """A post's open cases, and as many closed ones as CLOSED_CASES_PER_OPEN says."""
    for case_type in open_types:
        age = g.rng.expovariate(1 / shape.CASE_AGE_DAYS[case_type])
        opened = g.as_of - timedelta(days=min(int(age), 15 * 365))
        _case(g, post, case_type, opened, None, registry)
    closed = _round_random(g, len(open_types) * shape.CLOSED_CASES_PER_OPEN)
    span = (g.as_of - g.h0).days
    for _ in range(closed):
        case_type = g.rng.choice(open_types) if open_types else "child_in_need"
        closed_on = g.h0 + timedelta(days=g.rng.randint(1, span - 1))
        length = g.rng.expovariate(2 / shape.CASE_AGE_DAYS[case_type])
        _case(g, post, case_type, closed_on - timedelta(days=1 + int(length)), closed_on, registry)


def open_case_types(g: Gen, posts: list[Post], types: tuple[str, ...], total: int) -> list[list]:
    """`total` open cases of these types shared between the posts, unevenly."""
    weights = [g.rng.uniform(0.6, 1.4) for _ in posts]
    scale = total / sum(weights)
    counts = [math.floor(w * scale) for w in weights]
    for i in g.rng.sample(range(len(posts)), total - sum(counts)):
        counts[i] += 1
    mix = [shape.CASE_MIX[t] for t in types]
    return [g.rng.choices(types, mix, k=n) for n in counts]


def _round_random(g: Gen, x: float) -> int:
    return int(x) + (1 if g.rng.random() < x - int(x) else 0)


def _segments(g: Gen, post: Post, opened: date, closed: date | None):
    """(post, from, until) for each post that held the case in turn."""
    segments, start = [], opened
    rate = shape.CASE_TRANSFERS_PER_YEAR / 365.25
    stop = closed or g.as_of
    moved = max(opened, g.h0)
    while True:
        moved += timedelta(days=1 + int(g.rng.expovariate(rate)))
        siblings = [p for p in post.parent.children if p.kind == post.kind] if post.parent else []
        if moved >= stop or len(siblings) < 2:
            segments.append((post, start, closed))
            return segments
        segments.append((post, start, moved))
        post = g.rng.choice([p for p in siblings if p is not post])
        start = moved


def _case(g: Gen, post: Post, case_type: str, opened: date, closed: date | None, registry):
    g.case_number += 1
    ref = f"LCS-{g.org.index:03d}{g.case_number:06d}"
    for holder_post, start, until in _segments(g, post, opened, closed):
        for person in holder_post.holders:
            begins = max(start, person.started_on)
            ends = _earliest(until, person.left_on)
            if (ends is not None and (ends <= begins or ends < g.h0)) or begins > g.as_of:
                continue
            _allocation(g, ref, case_type, person, begins, ends, registry)


def _earliest(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def _allocation(g: Gen, ref: str, case_type: str, worker, begins: date, ends, registry) -> None:
    allocation_id = g.ids.next("case_allocation")
    weeks = reason = None
    if case_type == "child_in_care" and g.chance(0.1):
        weeks, reason = 8, "Settled long-term placement; no current concerns."
    g.out(
        "case_allocation",
        (
            allocation_id,
            g.org.index,
            ref,
            case_type,
            worker.id,
            begins,
            ends,
            weeks,
            reason,
            stamp(begins),
        ),
    )
    if worker.post.team_id is not None:
        registry[worker.post.team_id].append((allocation_id, begins, ends))
    interval = weeks * 7 if weeks else g.cad.case_interval(case_type)
    until = min(ends - timedelta(days=1), g.as_of) if ends else g.as_of
    last, step = begins, min(interval, g.cad.case_first or interval)
    if begins < g.h0:  # join the cycle part-way through at the start of the history
        last, step = g.h0 - g.days(0, interval), interval
    while (day := held_after(g.rng, last, step)) <= until:
        supervisor = worker.supervisor_on(day)
        if supervisor is not None and day >= g.h0:
            _supervision(g, allocation_id, supervisor.id, day)
        last, step = day, interval


def _supervision(g: Gen, allocation_id: int, supervisor_id: int, day: date) -> None:
    important = g.chance(0.04)
    recent = (g.as_of - day).days < 30
    roll = g.rng.random()
    if important:
        delay = g.days(0, 1) if roll < 0.85 else g.days(2, 5)
    elif roll < 0.9:
        delay = g.days(0, 5)
    elif roll < 0.97 or not recent:
        delay = g.days(6, 20)
    else:
        delay = None
    decision, rationale, next_steps = g.rng.choice(DECISIONS)
    g.out(
        "case_supervision",
        (
            g.ids.next("case_supervision"),
            allocation_id,
            supervisor_id,
            day,
            decision,
            rationale,
            next_steps,
            important,
            g.known(day + delay) if delay is not None else None,
            stamp(day),
        ),
    )


def new_registry() -> Registry:
    return defaultdict(list)
