"""The frontier engine: what is owed now, computed one unit at a time from the
facts that decide it, not from every event in the organisation's history.

For each unit (policy/units.py) `trim` keeps the facts that can still change
an answer: the last event of each recurring cycle before `since` (the cycle is
replayed from it), records not yet written or signed, the windows in view,
absences not over. `evaluate` runs the unit's rules over them and returns

- every obligation still open on as_of, exactly as the full-history engine
  (policy.engine.compute_obligations) owes it: same key, due date, status;
- the met ones that opened on or after `since`, so a reconcile can close the
  human tasks that opened then as done rather than as no longer owed;
- per lifecycle, the next day the answer can change with no new fact (an
  escalation step, a window rolling over, a dated fact coming true), so a
  daily run need not look at the unit again before then.

`since` defaults to the day after as_of: open obligations only. The property
tests hold the two engines to the same answer for every profile."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from policy import keys
from policy.context import Context
from policy.engine import check_lifecycles, rules_of
from policy.facts import Facts, Session
from policy.obligations import Obligation, ObligationStatus
from policy.profile import Profile
from policy.rules.personal_supervision import carried_event, carried_from
from policy.rules.recording import recorded_kinds
from policy.rules.windows import windows_around
from policy.units import Unit, dates_in, home_of, partition
from policy.versions import earliest_wakes, keep_in_force, versions_of


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    obligations: tuple[Obligation, ...]
    # lifecycle -> the next day its obligations for this unit can change unprompted (None: never)
    wakes: Mapping[str, date | None]


# The lifecycles whose obligations each recurring cycle (or each kind of record)
# decides. A unit's `since` is given per lifecycle: the day its earliest open
# human task opened. A cycle is replayed from its last event before the
# earliest since of the lifecycles it feeds, so an old open task in one
# lifecycle does not make every cycle read years of history.
FEEDS: dict[str, tuple[str, ...]] = {
    "session": ("personal_supervision", "asye", "recording"),
    "development": ("development",),
    "group": ("personal_supervision",),
    "asye-reflective": ("asye",),
    "records": ("recording",),
    "case": ("case_supervision",),
}
Since = date | Mapping[str, date] | None


class SinceDays:
    """`since` per lifecycle, each no later than the day after as_of."""

    def __init__(self, since: Since, as_of: date):
        self.day_after = as_of + timedelta(days=1)
        if since is None or isinstance(since, date):
            self.common, self.by_lifecycle = since, {}
        else:
            self.common, self.by_lifecycle = None, dict(since)

    def of(self, lifecycle: str) -> date:
        day = self.by_lifecycle.get(lifecycle, self.common) or self.day_after
        return min(day, self.day_after)

    def feeding(self, cycle: str) -> date:
        return min(self.of(name) for name in FEEDS[cycle])


def _latest_before(events: Iterable[date], start: date, before: date) -> date:
    """The last event in [start, before), or `start` when there is none."""
    return max((e for e in events if start <= e < before), default=start)


def _trim_person(profile: Profile, home: str, facts: Facts, as_of: date, since: SinceDays):
    ctx = Context(profile, facts, as_of, home=home)
    person = ctx.staff.get(home)
    sessions = ctx.sessions_of(home)
    replay, earliest, carried = _replay_starts(ctx, person, sessions, since)
    keep = _session_keeper(
        sessions, as_of, since.feeding("records"), earliest, carried, recorded_kinds(profile)
    )
    observed_from = observations_from(ctx, person)
    sampled_from = calendar_from(profile, "sampling.records", as_of)
    return (
        dataclasses.replace(
            facts,
            relationships=tuple(
                r
                for r in facts.relationships
                if r.supervisee == home or r.ended_on is None or r.ended_on > as_of
            ),
            sessions=tuple(filter(keep, sessions)),
            hours_worked=tuple(h for h in facts.hours_worked if h.worked_on >= earliest["hours"]),
            absences=tuple(a for a in facts.absences if a.ended_on is None or a.ended_on > as_of),
            observations=tuple(o for o in facts.observations if o.observed_on >= observed_from),
            samplings=tuple(s for s in facts.samplings if s.sampled_on >= sampled_from),
        ),
        replay,
    )


def _replay_starts(ctx: Context, person, sessions, since: SinceDays):
    """Per cycle and relationship, the day its replay starts (the last event
    before `since`); per cycle the earliest of those over the relationships
    (and the first day of hours worked that can count); per person cycle the
    days its first cycle in each relationship counts from (`carried`): the
    events on those days are kept, not every event since, which would be the
    whole history of a long relationship."""
    late = ctx.profile.rule("recording.late_reason")
    replay: dict[str, date] = {}
    earliest: dict[str, date] = {"hours": date.max}
    carried: dict[str, set[date]] = {"session": set(), "development": set(), "group": set()}

    def starts(cycle: str, subject: str, day: date) -> None:
        replay[keys.cycle(cycle, subject)] = day
        earliest[cycle] = min(day, earliest.get(cycle, day))

    def stream(predicate) -> list[date]:
        return [s.held_on for s in sessions if predicate(s)]

    for rel in ctx.own_relationships:
        individual = stream(
            lambda s, r=rel: s.kind == "individual" and s.supervisor in (None, r.supervisor)
        )
        start = _latest_before(individual, rel.started_on, since.feeding("session"))
        if late is not None:  # a late session's reason stays owed while in view
            out_of_view = [e for e in individual if late["in_view"].after(e) <= ctx.as_of]
            start = min(start, _latest_before(out_of_view, rel.started_on, date.max))
        starts("session", rel.id, start)
        # The first cycle counts from the person's last session before this
        # relationship, whoever held it: keep it, though nothing replays from
        # it; a casual worker's hours count from it until the relationship's first.
        carried_day = carried_from(ctx, rel)
        carried["session"].add(carried_day)
        earliest["hours"] = min(
            earliest["hours"], hours_count_from(start, carried_day, rel.started_on)
        )
        discussed = stream(lambda s: s.development_discussed)
        starts(
            "development",
            rel.id,
            _latest_before(discussed, rel.started_on, since.feeding("development")),
        )
        group = stream(lambda s: s.kind == "group")
        starts("group", rel.id, _latest_before(group, rel.started_on, since.feeding("group")))
        # These cycles belong to the person too: keep the last event before the
        # relationship that their first cycle counts from.
        for cycle, events in (("development", discussed), ("group", group)):
            carried[cycle].add(carried_event(ctx, rel, events))
        if person is not None and person.asye:
            first = max(person.asye_started_on or person.started_on, rel.started_on)
            reflective = stream(lambda s: s.kind == "asye_reflective")
            day = _latest_before(reflective, first, since.feeding("asye-reflective"))
            starts("asye-reflective", rel.id, day)
    return replay, earliest, carried


def _session_keeper(
    sessions, as_of: date, records_since: date, earliest, carried, recorded=frozenset()
):
    """Which sessions a person's trimmed facts keep: those their cycles replay
    from or carry over from before a relationship, and every session on a day
    whose record is still owed (`recorded`: the kinds of session that owe one,
    besides one-to-one supervision)."""

    def in_cycle(cycle: str, day: date) -> bool:
        return day >= earliest.get(cycle, date.max) or day in carried.get(cycle, ())

    def unknown(day: date | None) -> bool:
        return day is None or day > as_of

    def done_in_time(s: Session) -> bool:
        # Written and shared (a record not yet shared is still owed its sharing;
        # only a one-to-one personal session's record is owed sharing).
        owed = (s.recorded_on, s.shared_on) if s.kind == "individual" else (s.recorded_on,)
        return all(day is not None and s.held_on <= day <= as_of for day in owed)

    # A day with a record still to write or share (or held since): every session
    # that day counts, since two sessions on one day are one record.
    record_days = {
        s.held_on
        for s in sessions
        if (s.kind == "individual" or s.kind in recorded)
        and (not done_in_time(s) or s.held_on >= records_since)
    }
    # Likewise a record version still waiting for the supervisee's signature.
    countersign_days = {
        (s.held_on, s.record_version)
        for s in sessions
        if s.kind != "group"
        and s.record_signed_on is not None
        and (
            unknown(s.countersigned_on)
            or s.record_signed_on > as_of
            or s.record_signed_on >= records_since
        )
    }

    def keep(s: Session) -> bool:
        if s.held_on > as_of or s.held_on in record_days:
            return True
        if s.kind != "group" and (s.held_on, s.record_version) in countersign_days:
            return True
        if s.kind == "individual" and in_cycle("session", s.held_on):
            return True
        if s.development_discussed and in_cycle("development", s.held_on):
            return True
        cycle = {"group": "group", "asye_reflective": "asye-reflective"}.get(s.kind)
        return cycle is not None and in_cycle(cycle, s.held_on)

    return keep


def hours_count_from(replay_start: date, carried_day: date, relationship_start: date) -> date:
    """The first day a casual worker's hours worked can count in a relationship
    (Bristol §3.5): from its cycle's replay start, or, until the relationship
    has a session of its own, from the session carried into it."""
    if replay_start <= relationship_start:
        return min(replay_start, carried_day)
    return replay_start


def observations_from(ctx: Context, person) -> date:
    """The earliest observation any observation rule can still count."""
    profile, as_of = ctx.profile, ctx.as_of
    bounds = [as_of + timedelta(days=1)]
    practice = profile.rule("observation.practice")
    if person is not None and practice is not None and ctx.own_relationships:
        windows = windows_around(person.started_on, practice["per"], as_of)
        bounds.append(windows[0][0] if windows else person.started_on)
        first = practice.get("first_within")
        if first is not None and as_of < practice["per"].after(first.after(person.started_on)):
            bounds.append(person.started_on)
    if person is not None and person.asye and profile.rule("asye.observations"):
        bounds.append(person.asye_started_on or person.started_on)
    supervision = profile.rule("observation.supervision")
    if supervision is not None and ctx.supervising_relationships:
        since = min(r.started_on for r in ctx.supervising_relationships)
        windows = windows_around(since, supervision["every"], as_of)
        bounds.append(windows[0][0] if windows else since)
    return min(bounds)


def calendar_from(profile: Profile, rule_id: str, as_of: date) -> date:
    """The first day of the earliest calendar window (quarter, month) still in view."""
    rule = profile.rule(rule_id)
    if rule is None:
        return as_of + timedelta(days=1)
    windows = windows_around(date(as_of.year - 1, 1, 1), rule["every"], as_of)
    return windows[0][0] if windows else date(as_of.year - 1, 1, 1)


def _trim_case(profile: Profile, facts: Facts, as_of: date, since: SinceDays):
    replay: dict[str, date] = {}
    cases = []
    records_since = since.feeding("records")
    for case in facts.cases:
        days = sorted(set(case.supervised_on))
        anchor = _latest_before(days, case.allocated_on, since.feeding("case"))
        replay[keys.cycle("case", case.id)] = anchor
        recorded = [r for r in case.recorded_on if r <= as_of]
        last_recorded = max(recorded, default=None)
        unrecorded = [d for d in days if last_recorded is None or d > last_recorded]
        cut = min([anchor, records_since, *unrecorded[:1]])
        supervised = tuple(d for d in case.supervised_on if d >= cut)
        recorded_since = tuple(r for r in case.recorded_on if r >= cut)
        if len(supervised) == len(case.supervised_on) and len(recorded_since) == len(
            case.recorded_on
        ):
            cases.append(case)  # nothing to cut: the database read only these already
        else:
            cases.append(
                dataclasses.replace(case, supervised_on=supervised, recorded_on=recorded_since)
            )
    # A day's decisions are one record: keep every decision of a day not yet recorded.
    open_days = {
        (d.case, d.made_on)
        for d in facts.decisions
        if not (d.recorded_on is not None and d.made_on <= d.recorded_on <= as_of)
        or d.made_on >= records_since
    }
    decisions = tuple(d for d in facts.decisions if (d.case, d.made_on) in open_days)
    return dataclasses.replace(facts, cases=tuple(cases), decisions=decisions), replay


def _trim_team(profile: Profile, facts: Facts, as_of: date):
    window_from = calendar_from(profile, "case_file_audit", as_of)
    latest: dict[str, date] = {}
    for audit in facts.audits:
        if audit.audited_on <= as_of:
            latest[audit.case] = max(latest.get(audit.case, audit.audited_on), audit.audited_on)
    audits = tuple(
        a
        for a in facts.audits
        if a.audited_on >= window_from or a.audited_on > as_of or latest.get(a.case) == a.audited_on
    )
    return dataclasses.replace(facts, audits=audits), {}


def trim(
    profile: Profile, unit: Unit, facts: Facts, as_of: date, since: Since = None
) -> tuple[Facts, dict[str, date]]:
    """A unit's facts cut to what decides its open obligations (and those met
    since `since`), and where each recurring cycle is replayed from."""
    since = since if isinstance(since, SinceDays) else SinceDays(since, as_of)
    if unit.kind == "person":
        return _trim_person(profile, unit.id, facts, as_of, since)
    if unit.kind == "case":
        return _trim_case(profile, facts, as_of, since)
    if unit.kind == "team":
        return _trim_team(profile, facts, as_of)
    return facts, {}


def evaluate(
    profile: Profile,
    unit: Unit,
    facts: Facts,
    as_of: date,
    *,
    lifecycles: Iterable[str] | None = None,
    since: Since = None,
) -> UnitResult:
    """The unit's open obligations, those met since `since` (a day, or a day per
    lifecycle), and when each lifecycle's answer next changes; each obligation
    under the version of the policy in force on the day it opens (policy/versions.py)."""
    results = [
        _evaluate_version(version, unit, facts, as_of, lifecycles=lifecycles, since=since)
        for version in versions_of(profile)
    ]
    if len(results) == 1:
        return results[0]
    owed = keep_in_force(profile, [result.obligations for result in results], as_of)
    wakes = earliest_wakes(result.wakes for result in results)
    return UnitResult(unit, tuple(sorted(owed, key=lambda o: (o.due, o.key))), wakes)


def _evaluate_version(
    profile: Profile,
    unit: Unit,
    facts: Facts,
    as_of: date,
    *,
    lifecycles: Iterable[str] | None = None,
    since: Since = None,
) -> UnitResult:
    since = SinceDays(since, as_of)
    trimmed, replay = trim(profile, unit, facts, as_of, since)
    ctx = Context(profile, trimmed, as_of, home=home_of(unit), replay_from=replay)
    dated = min((d for d in dates_in(trimmed) if d > as_of), default=None)
    obligations: list[Obligation] = []
    wakes: dict[str, date | None] = {}
    for lifecycle in check_lifecycles(lifecycles):
        rules = rules_of(lifecycle, unit.kind)
        if not rules:
            continue
        ctx.wakes.clear()
        met_since = since.of(lifecycle)
        for rule in rules:
            obligations += [
                ob
                for ob in rule(ctx)
                if ob.status is not ObligationStatus.MET or ob.opens_on >= met_since
            ]
        wakes[lifecycle] = min([*ctx.wakes, *([dated] if dated else [])], default=None)
    return UnitResult(unit, tuple(sorted(obligations, key=lambda o: (o.due, o.key))), wakes)


def compute_frontier(
    profile: Profile,
    facts: Facts,
    as_of: date,
    *,
    lifecycles: Iterable[str] | None = None,
    since: date | None = None,
) -> list[Obligation]:
    """The whole organisation's open obligations (and those met since `since`),
    unit by unit, in the engine's order (due date, then key)."""
    wanted = check_lifecycles(lifecycles)
    owed = [
        ob
        for unit, unit_facts in partition(facts).items()
        for ob in evaluate(
            profile, unit, unit_facts, as_of, lifecycles=wanted, since=since
        ).obligations
    ]
    return sorted(owed, key=lambda ob: (ob.due, ob.key))
