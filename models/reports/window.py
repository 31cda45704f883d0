"""What a report covers: whose figures (the whole organisation, or some
teams) and when (a date range and the day it is seen as of)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, true

from models.engine.history_bounds import FAR_PAST

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# A range longer than this is refused: the trend is drawn a bar per month.
MOST_MONTHS = 36
# The dashboard opens on the last six months (this one and the five before),
# as of today: the period whose figures are kept (models/reports/summary.py).
DEFAULT_MONTHS = 6


class PeriodError(ValueError):
    """A date range that cannot be reported on, with what is wrong."""


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date  # inclusive
    as_of: date

    def __post_init__(self):
        if self.ends_on < self.starts_on:
            raise PeriodError("The end of the date range must be on or after its start.")
        if len(self.months()) > MOST_MONTHS:
            raise PeriodError(f"The date range can be at most {MOST_MONTHS} months long.")
        if self.starts_on <= FAR_PAST:
            raise PeriodError("The date range starts too long ago.")

    def months(self) -> list[str]:
        """Each month the range touches, as YYYY-MM."""
        out, day = [], self.starts_on.replace(day=1)
        while day <= self.ends_on:
            out.append(f"{day:%Y-%m}")
            day = (day + timedelta(days=32)).replace(day=1)
        return out

    @property
    def describe(self) -> str:
        return (
            f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}, as of {self.as_of:%-d %B %Y}"
        )


def default_start(ends_on: date) -> date:
    """Where the dashboard's range starts when only its end is given: the
    first of the month DEFAULT_MONTHS - 1 months before the end's."""
    first = ends_on.replace(day=1)
    for _ in range(DEFAULT_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def default_period(on: date) -> Period:
    """The period the dashboard opens on, as of `on`."""
    return Period(default_start(on), on, on)


def month_period(month: str, as_of: date | None = None) -> Period:
    """A calendar month ("2026-11"), seen as of its last day unless told."""
    match = MONTH.fullmatch(month or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(
            f"The month must be written YYYY-MM, for example 2026-11 (got {month!r})."
        )
    first = date(int(match.group(1)), int(match.group(2)), 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(first, last, as_of or last)


@dataclass(frozen=True)
class ReportScope:
    """Whose figures: the whole organisation (team_ids None, people in no team
    included), or the teams listed (a head of service's areas, a team
    manager's team)."""

    organisation_id: int
    label: str
    team_ids: tuple[int, ...] | None = None

    @property
    def whole_organisation(self) -> bool:
        return self.team_ids is None

    def covers(self, team_id_column) -> ColumnElement[bool]:
        if self.team_ids is None:
            return true()
        return team_id_column.in_(self.team_ids)
