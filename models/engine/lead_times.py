"""How far ahead of its due date an obligation becomes a human task. An inbox
full of next year's reviews hides this week's work, so most lifecycles wait
until the due date is near; the agreement appears the day a relationship
starts, because drafting it is the first thing a new supervisor does.

Overridable per lifecycle with OVERSIGHT_LEAD_DAYS, e.g.
"personal_supervision=10,agreement_review=60"."""

from __future__ import annotations

import os
from datetime import date

from policy.obligations import Obligation

# None: as soon as the obligation exists.
DEFAULT_LEAD_DAYS: dict[str, int | None] = {
    "agreement": None,
    "agreement_review": 42,
    # Six weeks for the manager to plan the audit; the supervisor's discussion,
    # due within a month of the audit, is in their inbox as soon as it is owed.
    "record_audit": 42,
}
FALLBACK_LEAD_DAYS = 28


class LeadTimeError(ValueError):
    pass


def lead_days() -> dict[str, int | None]:
    days = dict(DEFAULT_LEAD_DAYS)
    setting = os.environ.get("OVERSIGHT_LEAD_DAYS", "").strip()
    for item in filter(None, (part.strip() for part in setting.split(","))):
        name, _, value = item.partition("=")
        if not value.strip().isdigit():
            raise LeadTimeError(
                f"OVERSIGHT_LEAD_DAYS: {item!r} should be lifecycle=days, e.g. agreement_review=42"
            )
        days[name.strip()] = int(value)
    return days


def is_in_inbox_window(obligation: Obligation, as_of: date, days: dict[str, int | None]) -> bool:
    lead = days.get(obligation.lifecycle, FALLBACK_LEAD_DAYS)
    return lead is None or (obligation.due - as_of).days <= lead
