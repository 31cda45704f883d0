"""Planning supervision: the 12-month schedule of sessions (Nottingham
001_223e21d801bb36c8.txt §2.4: "The supervisor will provide the supervisee with
a schedule of supervision sessions covering the 12-month period"), moving a
cancelled session to the next available working day, whether a session was
late (Bristol 002_d53851039f9fa32d.txt §3.4), and the limits on a recorded
per-case frequency (Lancashire 000_b775b8e7712f1ef5.txt §1.9).

How long a session lasts and whether the year's schedule is owed are the
council's own (its record_form.yaml, policy/forms/record_form.py). The cadence
is the engine's (policy.rules.personal_supervision.supervision_segments), so a
plan never disagrees with the obligations: role, probation, agency and ASYE
stages, and a frequency recorded in the agreement. Pure: no clock, no database."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from policy.context import Context
from policy.durations import Duration, is_working_day
from policy.facts import Facts, Relationship
from policy.forms.record_form import record_form
from policy.profile import Profile, Rule
from policy.rules import cadence
from policy.rules.case_supervision import case_rule_for
from policy.rules.personal_supervision import carried_from, supervision_segments

# A session with no length of its own (the council's is in its record_form.yaml).
DEFAULT_MINUTES = 90

# No document sets a time of day; a session is planned for mid-morning and the
# parties move it as they need (Bristol §3.10: "at time and location mutually agreed").
DEFAULT_START = time(10, 0)

Unavailable = Callable[[date], bool]


def session_minutes(profile: Profile, kind: str = "individual") -> int:
    """How long a session of this kind is planned for, as the council's
    document puts it (its record_form.yaml, `sessions`)."""
    sessions = record_form(profile).sessions
    return sessions.asye_reflective_minutes if kind == "asye_reflective" else sessions.minutes


def minimum_session_minutes(profile: Profile, *, asye: bool = False) -> int | None:
    """The shortest session the council's document allows, in minutes (for a
    supervisee in their ASYE year where it sets one of its own), or None where
    it sets no minimum (record_form.yaml `sessions.minimum_minutes`)."""
    return record_form(profile).sessions.minimum_for(asye=asye)


def is_short_session(profile: Profile, minutes: int | None, *, asye: bool = False) -> bool:
    """Whether a session of `minutes` fell short of the document's minimum (a
    session with no length recorded is not flagged: nothing says it was short)."""
    least = minimum_session_minutes(profile, asye=asye)
    return least is not None and minutes is not None and minutes < least


def schedule_required_by(profile: Profile) -> str | None:
    """The citation where the council's document requires the year's schedule
    of sessions to be given to the supervisee (Nottingham §2.4), else None:
    every other council may plan a year too (offered, not owed)."""
    return record_form(profile).sessions.schedule_required


def _never(_day: date) -> bool:
    return False


def is_available(day: date, unavailable: Unavailable = _never) -> bool:
    """A working day (no weekend, no England bank holiday) nobody has ruled out."""
    return is_working_day(day) and not unavailable(day)


# How far ahead to look for a day both can meet: an absence with no end date
# must not send the search on for ever.
SEARCH_LIMIT = timedelta(days=366)


def next_available_day(
    after: date, unavailable: Unavailable = _never, *, limit: date | None = None
) -> date | None:
    """The first available working day strictly after `after`, or None if there
    is none up to `limit` (default: a year ahead)."""
    limit = limit or after + SEARCH_LIMIT
    day = after + timedelta(days=1)
    while day <= limit:
        if is_available(day, unavailable):
            return day
        day += timedelta(days=1)
    return None


def available_on_or_before(
    due: date, after: date, unavailable: Unavailable = _never, *, limit: date | None = None
) -> date | None:
    """The latest available working day on or before `due` and after `after`, so
    moving a date off a weekend or bank holiday never makes the session late;
    when there is none (a weekly cadence over a holiday week), the next one
    after, up to `limit`."""
    day = due
    while day > after:
        if is_available(day, unavailable):
            return day
        day -= timedelta(days=1)
    return next_available_day(due - timedelta(days=1), unavailable, limit=limit)


@dataclass(frozen=True)
class PlannedDate:
    on: date  # the working day planned
    due: date  # the cadence's due date it answers (on <= due unless nothing earlier)
    interval: Duration
    rule: Rule


def _interval_at(segments: Iterable[cadence.Segment], day: date) -> Duration | None:
    """The interval of the segment that sets the next due date after `day`."""
    found = cadence.next_segment(segments, day)
    return found[1].interval if found else None


def plan_dates(
    segments: list[cadence.Segment],
    *,
    last: date,
    from_date: date,
    until: date,
    unavailable: Unavailable = _never,
) -> list[PlannedDate]:
    """Session dates from `from_date` to `until`, each due a cadence interval
    after the one before (counted from `last`, the last session held or planned),
    moved to an available working day. A first date already overdue is planned
    for the first available day from `from_date`."""
    out: list[PlannedDate] = []
    while True:
        found = cadence.next_due(segments, last)
        if found is None:
            break
        due, rule = found
        interval = _interval_at(segments, last)
        on = available_on_or_before(due, last, unavailable, limit=until)
        if on is not None and on < from_date:
            on = next_available_day(from_date - timedelta(days=1), unavailable, limit=until)
        if on is None or on > until:
            # Nobody can meet again within the window (an open-ended absence).
            break
        out.append(PlannedDate(on=on, due=due, interval=interval, rule=rule))
        last = on
    return out


def _relationship(facts: Facts, relationship: str) -> Relationship:
    rel = next((r for r in facts.relationships if r.id == relationship), None)
    if rel is None:
        raise LookupError(f"no relationship {relationship!r} in the facts")
    return rel


def personal_segments(
    profile: Profile, facts: Facts, relationship: str, as_of: date
) -> list[cadence.Segment]:
    """The one-to-one cadence for a relationship as known on `as_of`."""
    ctx = Context(profile, facts, as_of)
    return supervision_segments(ctx, _relationship(facts, relationship))


def asye_reflective_segments(
    profile: Profile, facts: Facts, relationship: str
) -> list[cadence.Segment]:
    """Wokingham ("WHEN should supervision take place?"): monthly reflective
    supervision with the ASYE supervisor during the ASYE year; none otherwise."""
    rule = profile.rule("asye.reflective")
    rel = _relationship(facts, relationship)
    person = facts.staff_by_id().get(rel.supervisee)
    if rule is None or person is None or not person.asye:
        return []
    start = person.asye_started_on or person.started_on
    year_ends = rule["for_first"].after(start)
    return [cadence.Segment(max(start, rel.started_on), year_ends, rule["every"], rule)]


def plan_year(
    profile: Profile,
    facts: Facts,
    relationship: str,
    *,
    from_date: date,
    last: date | None = None,
    kind: str = "individual",
    unavailable: Unavailable = _never,
) -> list[PlannedDate]:
    """The sessions to plan over the 12 months from `from_date`. `last` is the
    latest session held or already planned (default: the relationship's start,
    or the ASYE year's for reflective sessions). Casual staff supervised on hours
    worked (Bristol §3.5) cannot be planned by date and get an empty plan."""
    rel = _relationship(facts, relationship)
    person = facts.staff_by_id().get(rel.supervisee)
    if kind == "asye_reflective":
        segments = asye_reflective_segments(profile, facts, relationship)
    else:
        casual = profile.rule("supervision.casual_hours")
        if casual is not None and person is not None and person.employment == "casual":
            return []
        segments = personal_segments(profile, facts, relationship, from_date)
    if not segments:
        return []
    start = last if last is not None else segments[0].starts_on
    until = Duration(12, "months").after(from_date)
    return plan_dates(
        segments, last=start, from_date=from_date, until=until, unavailable=unavailable
    )


@dataclass(frozen=True)
class LateCheck:
    """Bristol Appendix 3: "Has it been more than four weeks since your last
    supervision session? If yes, please enter reason?" with the number of weeks
    taken from the supervisee's own cadence (§3.4: the reason for the delay is
    recorded in the next session held)."""

    last_held: date | None  # the previous session, or None for the first
    since: date  # the previous session, or the relationship's start
    due: date | None  # when this session fell due
    interval: Duration | None  # the cadence in force ("4 weeks", "1 month")
    late: bool

    @property
    def question(self) -> str:
        length = str(self.interval) if self.interval else "the agreed interval"
        if self.last_held is None:
            return (
                f"Has it been more than {length} since supervision began? If yes, why was "
                "the first session late?"
            )
        return f"Has it been more than {length} since your last supervision session?"


def late_check(
    profile: Profile,
    facts: Facts,
    relationship: str,
    held_on: date,
    *,
    kind: str = "individual",
    exclude: Iterable[date] = (),
) -> LateCheck:
    """Whether a session held on `held_on` came after its due date. Sessions on
    or after `held_on` (and the days in `exclude`) do not count as previous."""
    rel = _relationship(facts, relationship)
    skip = set(exclude)
    previous = max(
        (
            s.held_on
            for s in facts.sessions
            if s.supervisee == rel.supervisee
            and s.kind == kind
            and s.supervisor in (None, rel.supervisor)
            and s.held_on < held_on
            and s.held_on >= rel.started_on
            and s.held_on not in skip
        ),
        default=None,
    )
    # The person's cadence carries over a change of supervisor: the first session
    # with a new one is late if their last, whoever held it (or a new starter's
    # start date), was more than a cadence before (personal_supervision.carried_from).
    carried = rel.started_on
    if kind == "individual":
        carried = carried_from(Context(profile, facts, held_on), rel)
        held_before = {s.held_on for s in facts.sessions if s.supervisee == rel.supervisee}
        if previous is None and carried in held_before - skip:
            previous = carried
    since = previous or carried
    if kind == "asye_reflective":
        segments = asye_reflective_segments(profile, facts, relationship)
    else:
        segments = personal_segments(profile, facts, relationship, held_on)
    found = cadence.next_due(segments, since)
    if found is None:
        return LateCheck(previous, since, None, None, False)
    return LateCheck(
        last_held=previous,
        since=since,
        due=found[0],
        interval=_interval_at(segments, since),
        late=held_on > found[0],
    )


def case_rule(profile: Profile, case_type: str, category: str | None = None) -> Rule | None:
    return case_rule_for(profile, case_type, category)


def longest_case_weeks(profile: Profile, case_type: str, category: str | None = None) -> int | None:
    """The longest per-case frequency, in whole weeks, the document allows for a
    case type (its `may_vary_to`, else its own cadence: a recorded frequency may
    only tighten), or None where the profile sets no case cadence."""
    rule = case_rule(profile, case_type, category)
    if rule is None:
        return None
    limit = rule.get("may_vary_to") or rule["every"]
    return max(1, math.floor(limit.approx_days() / 7 + 1e-9))


def case_frequency_problem(
    profile: Profile, case_type: str, weeks: int, category: str | None = None
) -> str | None:
    """Why a recorded per-case frequency is refused, in the document's terms, or
    None if it is allowed (the engine would otherwise cap it silently:
    policy.rules.personal_supervision.vary)."""
    rule = case_rule(profile, case_type, category)
    if rule is None:
        return None
    longest = longest_case_weeks(profile, case_type, category)
    if weeks <= longest:
        return None
    limit = rule.get("may_vary_to") or rule["every"]
    return (
        f"Your council's policy does not allow this case to go longer than {limit} between "
        f"supervisions ({rule.source}): enter {longest} weeks or fewer."
    )
