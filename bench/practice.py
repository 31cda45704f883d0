"""The rest of a person's history: practice observations (three a year of
service, two with families, most done and signed), supervision observations
(Wokingham), Social Work England registration checks each renewal window and
DBS checks every three years, long absences with cover for supervisors, ASYE
reviews at 3, 6 and 12 months, casual workers' hours, Bristol's group
reflective supervision and Wokingham's ASYE reflective supervision."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from bench.cadence import held_after
from bench.gen import Gen, last_day, stamp
from bench.structure import PARENT, Person

OBSERVED_ROLES = frozenset({"social_worker", "support_worker", "iro", "residential", "student"})
REGISTERED_KINDS = frozenset(
    {
        "social_worker",
        "team_manager",
        "iro",
        "iro_manager",
        "service_manager",
        "principal_social_worker",
        "head_of_service",
    }
)
SUPERVISES = frozenset(PARENT.values())
ABSENCE_REASONS = ("Sickness absence", "Maternity leave", "Secondment", "Phased return")


def emit_practice(g: Gen, person: Person) -> None:
    until = last_day(person.left_on, g.as_of)
    if until < g.h0:
        return
    if person.role in OBSERVED_ROLES:
        _practice_observations(g, person, until)
    if person.post.kind in SUPERVISES and g.cad.profile.rule("observation.supervision"):
        _supervision_observations(g, person, until)
    if person.post.kind in REGISTERED_KINDS:
        _registration_checks(g, person, until)
    _dbs_checks(g, person, until)
    _absences(g, person, until)
    if person.asye:
        _asye(g, person, until)
    if person.employment == "casual":
        _hours(g, person, until)
    group = g.cad.profile.rule("supervision.group")
    if group is not None and person.role in group["roles"]:
        _group_attendance(g, person, until)


def _years_of_service(g: Gen, person: Person, until: date):
    """Each year of the person's service that overlaps the history."""
    n = 0
    while True:
        start = person.started_on + relativedelta(years=n)
        if start > until:
            return
        end = person.started_on + relativedelta(years=n + 1)
        if end > g.h0:
            yield start, end
        n += 1


def _observe(g: Gen, kind: str, person: Person, day: date, with_family: bool) -> None:
    observer = person.supervisor_on(day)
    if observer is None:
        return
    observation_id = g.ids.next("observation")
    content = '{"focus": "Home visit"}' if with_family else '{"focus": "Team meeting"}'
    g.out(
        "observation",
        (observation_id, kind, person.id, observer.id, day, with_family, content, stamp(day)),
    )
    if not g.chance(0.92):
        return  # not yet signed, so it does not count yet
    signed = g.known(day + g.days(0, 10))
    if signed is None:
        return
    for party, staff_id in (("supervisee", person.id), ("supervisor", observer.id)):
        g.out(
            "observation_signature",
            (g.ids.next("observation_signature"), observation_id, party, staff_id, signed),
        )


def _practice_observations(g: Gen, person: Person, until: date) -> None:
    for start, _end in _years_of_service(g, person, until):
        for n in range(3):
            day = start + g.days(0, 364)
            if g.chance(0.8) and max(g.h0, person.started_on) <= day <= until:
                _observe(g, "practice", person, day, with_family=n < 2)


def _supervision_observations(g: Gen, person: Person, until: date) -> None:
    for start, _end in _years_of_service(g, person, until):
        day = start + g.days(30, 330)
        if g.chance(0.8) and g.h0 <= day <= until:
            _observe(g, "supervision", person, day, with_family=False)


def _keep_latest_before(g: Gen, days: list[date]) -> list[date]:
    """Checks in the history, and the last one before it (still the one in force)."""
    before = [d for d in days if d < g.h0]
    return before[-1:] + [d for d in days if d >= g.h0]


def _registration_checks(g: Gen, person: Person, until: date) -> None:
    days = []
    for year in range(g.h0.year - 1, g.as_of.year + 1):
        # In the month before registration renews on 30 November (Lancashire: checked
        # when it is renewed; the window Social Work England opens runs to that day).
        day = date(year, 10, 31) + g.days(0, 29)
        if person.started_on <= day <= until and g.chance(0.9):
            days.append(day)
    for day in _keep_latest_before(g, days):
        checker = person.supervisor_on(day)
        g.out(
            "registration_check",
            (
                g.ids.next("registration_check"),
                person.id,
                "registration",
                day,
                None,
                f"SW{100000 + person.id}",
                checker.id if checker else None,
            ),
        )


def _dbs_checks(g: Gen, person: Person, until: date) -> None:
    days, day = [], person.started_on - g.days(10, 60)
    while day <= until:
        days.append(day)
        day = day + relativedelta(years=3) + g.days(-20, 40)
    for day in _keep_latest_before(g, days):
        g.out(
            "registration_check",
            (
                g.ids.next("registration_check"),
                person.id,
                "dbs",
                day,
                None,
                f"DBS{person.id}",
                None,
            ),
        )


def _absences(g: Gen, person: Person, until: date) -> None:
    for start, _end in _years_of_service(g, person, until):
        if not g.chance(0.06):
            continue
        begins = start + g.days(0, 364)
        if not max(g.h0, person.started_on) <= begins <= until:
            continue
        ends = begins + g.days(21, 150)
        if ends > g.as_of and g.chance(0.5):
            ends = None  # no return date yet
        g.out(
            "absence",
            (
                g.ids.next("absence"),
                person.id,
                begins,
                ends,
                g.rng.choice(ABSENCE_REASONS),
                stamp(begins),
            ),
        )
        if person.post.kind in SUPERVISES and g.chance(0.8):
            _cover(g, person, begins, ends)


def _cover(g: Gen, person: Person, begins: date, ends: date | None) -> None:
    """A peer (another post under the same manager) covers; else their own manager."""
    starts = begins + g.days(2, 14)
    if starts > g.as_of or (ends is not None and starts >= ends):
        return
    parent = person.post.parent
    siblings = [p for p in getattr(parent, "children", ()) if p is not person.post]
    cover = next((c for p in siblings if (c := p.holder_on(starts)) is not None), None)
    cover = cover or (parent.holder_on(starts) if parent is not None else None)
    if cover is None or cover is person:
        return
    g.out(
        "cover_arrangement",
        (
            g.ids.next("cover_arrangement"),
            person.id,
            cover.id,
            starts,
            ends,
            "Cover while absent",
            stamp(starts),
        ),
    )


def _asye(g: Gen, person: Person, until: date) -> None:
    for stage in (3, 6, 12):
        day = person.started_on + relativedelta(months=stage) + g.days(-7, 21)
        if day <= until and g.chance(0.9):
            reviewer = person.supervisor_on(day)
            g.out(
                "asye_review",
                (
                    g.ids.next("asye_review"),
                    person.id,
                    stage,
                    day,
                    "Progressing as expected",
                    reviewer.id if reviewer else None,
                    stamp(day),
                ),
            )
    every = g.cad.asye_reflective
    if every and person.supervisors:
        _asye_reflective(g, person, until, every)


def _asye_reflective(g: Gen, person: Person, until: date, every: int) -> None:
    """Wokingham: monthly reflective supervision through the ASYE year."""
    year_ends = min(person.started_on + relativedelta(years=1), until)
    day = person.started_on
    while (day := held_after(g.rng, day, every)) <= year_ends:
        rel_id = next(
            (r for s, e, _sup, r in person.supervisors if s <= day and (e is None or day < e)), None
        )
        if rel_id is None or day < g.h0:
            continue
        g.out(
            "supervision_session",
            (
                g.ids.next("supervision_session"),
                rel_id,
                "asye_reflective",
                "held",
                None,
                day,
                60,
                None,
                g.known(day + g.days(0, 5)),
                None,  # a draft record, not yet signed and so not shared
                None,
                False,
                "{}",
                "draft",
                1,
                stamp(day),
            ),
        )


def _hours(g: Gen, person: Person, until: date) -> None:
    week = max(g.h0, person.started_on)
    week -= timedelta(days=week.weekday())
    while week <= until:
        for offset in sorted(g.rng.sample(range(5), g.rng.randint(1, 3))):
            day = week + timedelta(days=offset)
            if max(g.h0, person.started_on) <= day <= until:
                hours = g.rng.choice(("6.00", "7.00", "7.50", "8.00"))
                g.out("hours_worked", (g.ids.next("hours_worked"), person.id, day, hours))
        week += timedelta(days=7)


def _group_attendance(g: Gen, person: Person, until: date) -> None:
    """Bristol: the team's reflective group meets every four weeks; most attend."""
    every = g.cad.group_every
    day = g.h0 + timedelta(days=(person.post.team_id or 0) % every)
    while day <= until:
        if day >= person.started_on and g.chance(0.8):
            facilitator = person.supervisor_on(day)
            g.out(
                "group_supervision_attendance",
                (
                    g.ids.next("group_supervision_attendance"),
                    person.id,
                    day,
                    facilitator.id if facilitator else None,
                    "Reflective group",
                ),
            )
        day += timedelta(days=every)
