"""Dates as people read them, in every layer: "7 December 2026" (GOV.UK
style: no leading zero, no ordinal), never an ISO string. The one helper for
messages, titles, mail, artifacts and pages (webapp/dates.py's filters use it)."""

from __future__ import annotations

from datetime import date


def long_date(day: date | None) -> str:
    """25 December 2026; "" for no date."""
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"
