"""Dates as people read them. The service's calendar is Europe/London; a demo
or a test can fix "today" with the OVERSIGHT_TODAY setting (an ISO date)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    fixed = current_app.config.get("OVERSIGHT_TODAY")
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return datetime.now(LONDON).date()


def long_date(value: date | datetime | None) -> str:
    """25 December 2026 (GOV.UK style: no leading zero, no ordinal)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_london(value)
    return f"{value.day} {value:%B %Y}"


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
