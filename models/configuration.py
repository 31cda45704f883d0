"""Settings read from the environment that more than one layer needs: one
reading each, so the web form that records a check and the facts the engine
reasons over can never disagree about them."""

from __future__ import annotations

import os

DBS_RECHECK_YEARS_DEFAULT = 3


def dbs_recheck_years() -> int:
    """A DBS certificate has no expiry date; how often it is re-checked is local
    practice (Nottingham §1.5 only says to "update and review" it). Default 3
    years, the common council practice; OVERSIGHT_DBS_RECHECK_YEARS overrides."""
    raw = os.environ.get("OVERSIGHT_DBS_RECHECK_YEARS", "").strip()
    if not raw:
        return DBS_RECHECK_YEARS_DEFAULT
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(
            f"OVERSIGHT_DBS_RECHECK_YEARS: {raw!r} should be a whole number of years, e.g. 3"
        )
    return int(raw)
