"""Capacity and what-if: the supervisor hours a policy profile demands a
month over a set of facts (the people, their supervisors and their cases),
against each supervisor's contracted hours, for the organisation and each
team; and the same facts under another profile side by side ("if we adopted
Bristol's four-weekly cadence for everyone"), with the difference by team.

Demand is the engine's own reading of the profile, so a plan never disagrees
with the obligations: each relationship's cadence in force on the day
(policy.rules.personal_supervision.supervision_segments) times the length the
council's document gives a session (policy.schedule.session_minutes); group
and ASYE reflective supervision where the profile owes them; practice
observations owed a year; each open case's supervision cadence
(policy.schedule.case_rule); the quarterly sampling of records and the
yearly audit of a supervisor's records. Pure: facts in, figures out.

Where no document gives a length, the figure uses a stated allowance (below),
and the page and the command line say so. Contracted hours are the person's
(Staff.contracted_hours) or full time: 37 hours a week, the NJC for Local
Government Services' standard working week that English councils' social
workers are employed on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from policy.context import Context
from policy.facts import Facts
from policy.profile import Profile
from policy.rules import cadence
from policy.rules.personal_supervision import supervision_segments
from policy.schedule import case_rule, session_minutes

FULL_TIME_HOURS = 37.0  # a week
WEEKS_PER_MONTH = 52 / 12
DAYS_PER_MONTH = 365.25 / 12
# No document gives these lengths; the allowances are stated on every output.
OBSERVATION_HOURS = 2.0  # observing an hour of practice, feedback and write-up
CASE_MINUTES = 15  # one case's discussion in case supervision
SAMPLED_RECORD_MINUTES = 20  # reading and recording a finding on one record
SAMPLE_RECORDS = 10  # models/actions/sampling.py DEFAULT_SAMPLE_SIZE
RECORD_AUDIT_HOURS = 1.5  # a supervisor's records audited against the checklist
ALLOWANCES = (
    f"Observation: {OBSERVATION_HOURS:g} hours each; case discussion: {CASE_MINUTES} "
    f"minutes a case; a sampled record: {SAMPLED_RECORD_MINUTES} minutes "
    f"({SAMPLE_RECORDS} a sample); a record audit: {RECORD_AUDIT_HOURS:g} hours; "
    f"contracted hours where none are recorded: {FULL_TIME_HOURS:g} a week."
)
PARTS = ("sessions", "observations", "case_supervision", "audits")
PART_LABELS = {
    "sessions": "Supervision sessions",
    "observations": "Observations",
    "case_supervision": "Case supervision",
    "audits": "Audits and sampling",
}


@dataclass
class Load:
    """One person's monthly supervision hours by part, and contracted hours."""

    staff: str
    team: str | None
    contracted: float
    hours: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PARTS, 0.0))

    @property
    def demand(self) -> float:
        return sum(self.hours.values())


@dataclass
class Capacity:
    profile: str
    as_of: date
    loads: dict[str, Load]

    def teams(self) -> dict[str | None, tuple[float, float]]:
        """team -> (hours demanded a month, contracted hours a month)."""
        out: dict[str | None, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for load in self.loads.values():
            out[load.team][0] += load.demand
            out[load.team][1] += load.contracted
        return {team: (round(d, 1), round(c, 1)) for team, (d, c) in out.items()}

    def parts(self, teams: set[str | None] | None = None) -> dict[str, float]:
        """Hours a month by part, over these teams (None: everyone)."""
        out = dict.fromkeys(PARTS, 0.0)
        for load in self.loads.values():
            if teams is None or load.team in teams:
                for part, hours in load.hours.items():
                    out[part] += hours
        return {part: round(hours, 1) for part, hours in out.items()}

    def total(self) -> tuple[float, float]:
        return (
            round(sum(x.demand for x in self.loads.values()), 1),
            round(sum(x.contracted for x in self.loads.values()), 1),
        )


def per_month(interval) -> float:
    """How many times a month something every `interval` happens."""
    return DAYS_PER_MONTH / interval.approx_days()


def capacity(profile: Profile, facts: Facts, as_of: date) -> Capacity:
    """The hours `profile` demands of each supervisor a month over `facts`."""
    ctx = Context(profile, facts, as_of)
    staff = facts.staff_by_id()
    loads: dict[str, Load] = {}

    def load(staff_id: str) -> Load:
        if staff_id not in loads:
            person = staff.get(staff_id)
            weekly = person.contracted_hours if person and person.contracted_hours else None
            loads[staff_id] = Load(
                staff_id,
                person.team if person else None,
                round((weekly or FULL_TIME_HOURS) * WEEKS_PER_MONTH, 1),
            )
        return loads[staff_id]

    _sessions(ctx, load)
    _observations(ctx, load)
    _cases(ctx, load)
    _audits(ctx, load)
    for item in loads.values():
        item.hours = {k: round(v, 2) for k, v in item.hours.items()}
    return Capacity(profile.name, as_of, loads)


def _session_interval(ctx: Context, rel):
    person = ctx.staff[rel.supervisee]
    casual = ctx.profile.rule("supervision.casual_hours")
    if casual is not None and person.employment == "casual":
        return casual["every"]  # at most monthly: the hours can only make it rarer
    found = cadence.next_segment(supervision_segments(ctx, rel), ctx.as_of)
    return found[1].interval if found else None


def _sessions(ctx: Context, load) -> None:
    hours = session_minutes(ctx.profile) / 60
    group = ctx.profile.rule("supervision.group")
    reflective = ctx.profile.rule("asye.reflective")
    grouped = set()
    for rel in ctx.active_relationships:
        interval = _session_interval(ctx, rel)
        if interval is not None:
            load(rel.supervisor).hours["sessions"] += per_month(interval) * hours
        person = ctx.staff[rel.supervisee]
        if group is not None and person.role in group["roles"]:
            grouped.add(rel.supervisor)
        if reflective is not None and person.asye:
            start = person.asye_started_on or person.started_on
            if reflective["for_first"].after(start) > ctx.as_of:
                minutes = session_minutes(ctx.profile, "asye_reflective")
                load(rel.supervisor).hours["sessions"] += (
                    per_month(reflective["every"]) * minutes / 60
                )
    for supervisor in grouped:  # one group session for all their practitioners
        load(supervisor).hours["sessions"] += per_month(group["every"]) * hours


def _observations(ctx: Context, load) -> None:
    practice = ctx.profile.rule("observation.practice")
    asye = ctx.profile.rule("asye.observations")
    for rel in ctx.active_relationships:
        person = ctx.staff[rel.supervisee]
        start = person.asye_started_on or person.started_on
        if asye is not None and person.asye and asye["within"].after(start) > ctx.as_of:
            a_month = asye["count"] / (asye["within"].approx_days() / DAYS_PER_MONTH)
        elif practice is not None and person.role in practice.get("roles", [person.role]):
            a_month = practice["count"] / (practice["per"].approx_days() / DAYS_PER_MONTH)
        else:
            continue
        load(rel.supervisor).hours["observations"] += a_month * OBSERVATION_HOURS


def _cases(ctx: Context, load) -> None:
    supervisor_of = {rel.supervisee: rel.supervisor for rel in ctx.active_relationships}
    for case in ctx.facts.cases:
        if case.closed_on is not None and case.closed_on <= ctx.as_of:
            continue
        supervisor = supervisor_of.get(case.worker)
        rule = case_rule(ctx.profile, case.type, case.category)
        if supervisor is None or rule is None:
            continue
        a_month = per_month(rule["every"])
        load(supervisor).hours["case_supervision"] += a_month * CASE_MINUTES / 60


def _audits(ctx: Context, load) -> None:
    """Quarterly sampling by the role the profile names (each such person who
    manages anyone samples their part of the service); the yearly audit of
    each supervisor's records by their line manager."""
    sampling = ctx.profile.rule("sampling.records")
    audit = ctx.profile.rule("record_audit")
    managers = {s.line_manager for s in ctx.facts.staff if s.line_manager}
    supervisors = {rel.supervisor for rel in ctx.active_relationships}
    for person in ctx.facts.staff:
        if person.left_on is not None and person.left_on <= ctx.as_of:
            continue
        if sampling is not None and person.role == sampling.get("by") and person.id in managers:
            hours = SAMPLE_RECORDS * SAMPLED_RECORD_MINUTES / 60
            load(person.id).hours["audits"] += per_month(sampling["every"]) * hours
        if audit is not None and person.id in supervisors and person.line_manager:
            a_month = per_month(audit["every"]) * RECORD_AUDIT_HOURS
            load(person.line_manager).hours["audits"] += a_month


@dataclass(frozen=True)
class TeamRow:
    team: str | None
    contracted: float
    demand: float
    other: float | None = None

    @property
    def difference(self) -> float | None:
        return None if self.other is None else round(self.other - self.demand, 1)


def side_by_side(first: Capacity, other: Capacity | None) -> list[TeamRow]:
    """By team (no team last): contracted hours, demand under the first
    profile, and under the other with the difference."""
    mine, theirs = first.teams(), other.teams() if other else {}
    teams = sorted(set(mine) | set(theirs), key=lambda t: (t is None, t or ""))
    rows = []
    for team in teams:
        demand, contracted = mine.get(team, (0.0, theirs.get(team, (0.0, 0.0))[1]))
        other_demand = theirs.get(team, (0.0, 0.0))[0] if other else None
        rows.append(TeamRow(team, contracted, demand, other_demand))
    return rows
