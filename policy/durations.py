"""Durations as the documents write them ("6 weeks", "24 hours", "5 working
days", "12 months") and date arithmetic in their units.

Facts carry dates, not times, so an hours deadline counts whole days: 24 hours
after a session held on Monday falls due on Tuesday, 48 hours on Wednesday.
Working days skip weekends and England bank holidays (DESIGN.md)."""

from __future__ import annotations

import math
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

UNITS = ("hours", "days", "working_days", "weeks", "months", "years")

_UNIT_WORDS = {
    "hour": "hours",
    "hours": "hours",
    "hrs": "hours",
    "day": "days",
    "days": "days",
    "calendar day": "days",
    "calendar days": "days",
    "working day": "working_days",
    "working days": "working_days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}

_PATTERN = re.compile(r"^\s*(\d+)\s*([a-z ]+?)\s*$")


class DurationError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Duration:
    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _PATTERN.match(str(text).lower())
        unit = _UNIT_WORDS.get(match.group(2)) if match else None
        if match is None or unit is None:
            raise DurationError(
                f"bad duration {text!r}: expected '<number> <unit>' with unit one of "
                "hours, days, working days, weeks, months, years"
            )
        return cls(int(match.group(1)), unit)

    def after(self, start: date) -> date:
        """The day this duration ends when counted from `start`."""
        if self.unit == "hours":
            return start + timedelta(days=math.ceil(self.amount / 24))
        if self.unit == "days":
            return start + timedelta(days=self.amount)
        if self.unit == "working_days":
            return add_working_days(start, self.amount)
        if self.unit == "weeks":
            return start + timedelta(weeks=self.amount)
        if self.unit == "months":
            return add_months(start, self.amount)
        return add_months(start, 12 * self.amount)

    def before(self, end: date) -> date:
        """The day this duration starts when it must end on `end`."""
        if self.unit == "months":
            return add_months(end, -self.amount)
        if self.unit == "years":
            return add_months(end, -12 * self.amount)
        if self.unit == "working_days":
            return add_working_days(end, -self.amount)
        return end - (self.after(end) - end)

    def approx_days(self) -> float:
        """For comparing strictness across units (a month is ~30.4 days)."""
        per_unit = {
            "hours": 1 / 24,
            "days": 1,
            "working_days": 7 / 5,
            "weeks": 7,
            "months": 365.25 / 12,
            "years": 365.25,
        }
        return self.amount * per_unit[self.unit]

    def shortest_days(self) -> int:
        """The fewest calendar days this can span from any start (6 months from
        1 February is 181 days), so a variation compared against it can never
        fall due later than the floor does."""
        if self.unit in ("months", "years"):
            starts = [
                date(year, month, day)
                for year in (2023, 2024)
                for month in range(1, 13)
                for day in (1, 28, 29, 30, 31)
                if _valid(year, month, day)
            ]
            return min((self.after(start) - start).days for start in starts)
        if self.unit == "working_days":
            return self.amount  # never fewer calendar days than working days
        return math.floor(self.approx_days())

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


def add_months(day: date, months: int) -> date:
    """Calendar months on, the day of the month kept or, where the month is
    shorter, its last day (as dateutil's relativedelta does; 31 January and one
    month is 28 or 29 February). The engine adds months to every date it reads,
    so this is the plain arithmetic rather than a general library call."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


@lru_cache(maxsize=64)
def _england_bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _england_bank_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    step = 1 if count >= 0 else -1
    day, left = start, abs(count)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
