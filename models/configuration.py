"""Settings read from the environment that more than one layer needs: one
reading each, so the web form that records a check and the facts the engine
reasons over can never disagree about them."""

from __future__ import annotations

import os

DBS_RECHECK_YEARS_DEFAULT = 3


def whole_number_setting(name: str, default: int, *, of: str) -> int:
    """The setting `name`, a whole number from 1 (`of` says of what, for the
    message), or `default` where it is unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name}: {raw!r} should be a whole number of {of} from 1, e.g. {default}")
    return int(raw)


def dbs_recheck_years() -> int:
    """A DBS certificate has no expiry date; how often it is re-checked is local
    practice (Nottingham §1.5 only says to "update and review" it). Default 3
    years, the common council practice; OVERSIGHT_DBS_RECHECK_YEARS overrides."""
    return whole_number_setting(
        "OVERSIGHT_DBS_RECHECK_YEARS", DBS_RECHECK_YEARS_DEFAULT, of="years"
    )
