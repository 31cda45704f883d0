"""What every part of the generator shares while it writes one organisation:
where rows go, the ids, the random stream, the council's cadences and the
dates the history runs between."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bench.cadence import Cadences
from bench.ids import Ids
from bench.shape import OrgSpec

Out = Callable[[str, tuple], None]


@dataclass
class Gen:
    org: OrgSpec
    cad: Cadences
    ids: Ids
    rng: random.Random
    out: Out
    h0: date  # the first day of the history kept
    as_of: date
    password_hash: str
    case_number: int = 0  # case IDs are numbered within the organisation

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def known(self, day: date | None) -> date | None:
        """A day if it has happened by as_of (events after it are not yet facts)."""
        return day if day is not None and day <= self.as_of else None


def stamp(day: date, hour: int = 9) -> str:
    """A deterministic timestamp for a row written on `day` (never the clock)."""
    return f"{day.isoformat()} {hour:02d}:00:00"


def last_day(left_on: date | None, as_of: date) -> date:
    """The last day something can happen in a post: the day before leaving, or as_of."""
    return min(left_on - timedelta(days=1), as_of) if left_on is not None else as_of
