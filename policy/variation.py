"""A per-person variation of the personal supervision cadence, recorded in
the supervision agreement, checked the way the engine applies it.

The engine (policy.rules.personal_supervision.vary) lets a frequency recorded
in the agreement make the person's cadence more frequent, and less frequent
only as far as the document's `may_vary_to`; beyond that the engine keeps the
floor. An agreement form asks here first, so a frequency the engine would
ignore is refused with the document's reason instead of being stored.

Only the cadence a variation changes is considered: the person's role cadence
(or the profile's default). Probation, a new agency worker's first months and
the ASYE year still apply on top of it while they last (the strictest wins)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from policy.context import Context
from policy.durations import Duration
from policy.facts import Facts, Staff
from policy.profile import Profile, Rule
from policy.rules.personal_supervision import base_cadence, vary

_DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class PersonalCadence:
    """The cadence an agreed frequency varies, for one role under one profile.
    `rule` is None where the document sets no number (the North West guidance):
    any frequency the parties agree is then the agreement's own."""

    rule: Rule | None

    @property
    def every(self) -> Duration | None:
        return self.rule["every"] if self.rule else None

    @property
    def loosest(self) -> Duration | None:
        """The least frequent a recorded variation may make it (the floor)."""
        if self.rule is None:
            return None
        return self.rule.get("may_vary_to") or self.rule["every"]

    @property
    def usual_weeks(self) -> int | None:
        """The profile's cadence as whole weeks ("monthly" is every 4 weeks)."""
        return _whole_weeks(self.every) if self.every else None

    @property
    def loosest_weeks(self) -> int | None:
        return _whole_weeks(self.loosest) if self.loosest else None

    def allows(self, weeks: int) -> bool:
        """Would the engine apply this agreed frequency as it is?"""
        if self.rule is None:
            return True
        return vary(self.rule, weeks) == Duration(weeks, "weeks")

    def differs(self, weeks: int | None) -> bool:
        """Is this a variation from the profile's cadence (so its reason is recorded)?"""
        return self.rule is not None and weeks is not None and weeks != self.usual_weeks


def personal_cadence(profile: Profile, role: str, on: date | None = None) -> PersonalCadence:
    """The role's cadence under the profile, found exactly as the engine finds it."""
    on = on or date.today()
    ctx = Context(profile=profile, facts=Facts(), as_of=on)
    person = Staff(id="agreement", role=role, started_on=on)
    return PersonalCadence(base_cadence(ctx, person))


def describe_every(duration: Duration) -> str:
    """ "every 4 weeks", "every month"."""
    if duration.amount == 1:
        return f"every {duration.unit.removesuffix('s').replace('_', ' ')}"
    return f"every {duration}"


def _whole_weeks(duration: Duration) -> int:
    # A small tolerance so exact week counts are not lost to floating point.
    return max(1, math.floor(duration.approx_days() / _DAYS_PER_WEEK + 1e-9))
