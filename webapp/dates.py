"""Dates as people read them. The service's calendar is Europe/London; a demo
or a test can fix "today" with the OVERSIGHT_TODAY setting (an ISO date)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from policy.dates import long_date as policy_long_date

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    fixed = current_app.config.get("OVERSIGHT_TODAY")
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return datetime.now(LONDON).date()


def long_date(value: date | datetime | str | None) -> str:
    """25 December 2026 (GOV.UK style: no leading zero, no ordinal). A date
    kept as ISO text in a JSON column ("2026-12-25") is read first."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value  # not a date after all: shown as it was kept
    if isinstance(value, datetime):
        value = to_london(value).date()
    return policy_long_date(value)


def to_london(value: datetime) -> datetime:
    """Timestamps are stored in UTC without a zone (models.base.utcnow)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def long_datetime(value: datetime | None) -> str:
    """25 December 2026 at 2:05pm, in London time."""
    if value is None:
        return ""
    local = to_london(value)
    hour = local.hour % 12 or 12
    return f"{long_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def is_overdue(due_on: date, on: date | None = None) -> bool:
    return due_on < (on or today())
