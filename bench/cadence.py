"""How often things happen in a generated council: the cadences of its
profile (policy/profiles/<name>.yaml), in days, read through the profile's
public schema only (rule ids and parameters), so the generator does not
depend on the engine's internals. Where a profile is silent (the North West
guidance sets no session frequency), practice is monthly.

Practice slips: most sessions are on time or a few days early, some late,
a few much later, and some cycles are missed altogether (SLIP)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from policy import load_profile
from policy.durations import Duration

PRACTICE_DAYS = 28  # what councils do where the profile sets no cadence
# (cumulative chance, smallest and largest days late; negative: early)
SLIP = ((0.62, -6, 0), (0.87, 1, 10), (0.96, 11, 30))


def days(duration: Duration | None, default: int | None = None) -> int | None:
    if duration is None:
        return default
    return max(1, round(duration.approx_days()))


def held_after(rng: random.Random, last: date, interval: int) -> date:
    """The day the next event is held after `last`, on a cadence of `interval`
    days with realistic slippage, never on a weekend."""
    due = last + timedelta(days=interval)
    roll = rng.random()
    for chance, low, high in SLIP:
        if roll < chance:
            day = due + timedelta(days=rng.randint(low, high))
            break
    else:  # a cycle missed: the next one is held around the following due date
        day = due + timedelta(days=interval + rng.randint(-3, 7))
    if day.weekday() == 5:
        day -= timedelta(days=1)
    elif day.weekday() == 6:
        day += timedelta(days=1)
    return max(day, last + timedelta(days=1))


class Cadences:
    """One profile's cadences, in days."""

    def __init__(self, profile_name: str):
        self.profile = profile = load_profile(profile_name)

        def rule_days(rule_id: str, param: str = "every") -> int | None:
            rule = profile.rule(rule_id)
            return days(rule.get(param)) if rule is not None else None

        default = rule_days("supervision.default") or PRACTICE_DAYS
        self.default = default
        self.role = {}
        for role in ("senior_manager", "manager", "team_manager", "social_worker", "iro"):
            self.role[role] = rule_days(f"supervision.role.{role}") or default
        for role in ("support_worker", "non_direct_staff", "residential", "business_support"):
            self.role[role] = rule_days(f"supervision.role.{role}") or default
        self.role["student"] = rule_days("supervision.role.student") or min(14, default)
        self.asye_stages = self._asye_stages()
        self.probation = self._probation()
        self.employment = {}
        for employment in ("part_time", "agency", "temporary", "casual"):
            rule = profile.rule(f"supervision.employment.{employment}")
            if rule is not None:
                first = rule.get("for_first")
                self.employment[employment] = (days(rule["every"]), days(first, 10**6))
        self.case_default = rule_days("case_supervision.default") or PRACTICE_DAYS
        self.case_first = rule_days("case_supervision.first", "within")
        self.agreement_within = rule_days("agreement.deadline", "within") or 42
        self.group_every = rule_days("supervision.group")
        self.asye_reflective = rule_days("asye.reflective")

    def case_interval(self, case_type: str) -> int:
        return rule_or(self.profile, f"case_supervision.{case_type}", self.case_default)

    def _asye_stages(self) -> list[tuple[int, int]]:
        """(until day from the ASYE start, interval) per stage of the ASYE year."""
        rule = self.profile.rule("asye.stages")
        if rule is None:
            return []
        stages, start = [], 0
        for stage in rule["stages"]:
            end = days(stage["until"]) if "until" in stage else start + days(stage["for"])
            stages.append((end, days(stage["every"])))
            start = end
        return stages

    def _probation(self) -> tuple[int, int, tuple[str, ...] | None] | None:
        rule = self.profile.rule("supervision.probation")
        if rule is None:
            return None
        return days(rule["every"]), days(rule["for_first"]), rule.get("employment")

    def session_interval(
        self, role: str, employment: str, asye: bool, days_in_post: int, agreed: int | None
    ) -> int:
        """The strictest cadence in force for a person this many days into their
        post: their role's, their employment's while new, probation, the ASYE
        stage, and a frequency agreed in their supervision agreement."""
        candidates = [self.role.get(role, self.default)]
        if agreed:
            candidates.append(agreed)
        if employment in self.employment:
            every, for_days = self.employment[employment]
            if days_in_post < for_days:
                candidates.append(every)
        if self.probation is not None:
            every, for_days, employments = self.probation
            if days_in_post < for_days and (employments is None or employment in employments):
                candidates.append(every)
        if asye:
            for until, every in self.asye_stages:
                if days_in_post < until:
                    candidates.append(every)
                    break
        return min(candidates)


def rule_or(profile, rule_id: str, default: int) -> int:
    rule = profile.rule(rule_id)
    return days(rule["every"]) if rule is not None else default
