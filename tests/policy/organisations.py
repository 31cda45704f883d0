"""Hypothesis strategies for whole small organisations: several supervisors
and supervisees, changes of supervisor, years of sessions (some unrecorded,
some unsigned, some late), cases with supervision and decisions, observations,
absences, samples, audits, group agreements and casual hours; every fact kind
the engine reads, so a property over them touches every rule."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from hypothesis import strategies as st

from policy.facts import (
    CASE_CATEGORIES,
    CASE_TYPES,
    DECISION_SETTINGS,
    EMPLOYMENT_TYPES,
    Absence,
    AgreedAction,
    Agreement,
    AsyeReview,
    Audit,
    Case,
    CaseOversight,
    Decision,
    Facts,
    GroupAgreement,
    GroupSignatory,
    HoursWorked,
    MissedSession,
    Observation,
    RecordAudit,
    Relationship,
    ReviewQuestionnaire,
    Sampling,
    Session,
    Staff,
)

FIRST = date(2023, 1, 2)
SPAN = 1100  # days of history drawn, about three years
WORKER_ROLES = ("social_worker", "support_worker", "iro", "residential", "student", "team_manager")


# Hypothesis works out each new strategy object's properties before its first draw,
# which took half of these tests' time when a strategy was made for every draw; so the
# strategies below are made once for each shape, and the day is added after the draw.
# Each field is drawn from the same values with the same chances as before.
@functools.cache
def _days(span: int, nones: int = 0, most: int | None = None):
    """A number of days up to `span`, with `None` as one (or two) more choices when
    `nones` says so; or, with `most`, a list of up to `most` of them."""
    days = st.integers(0, span)
    if nones == 1:
        days = st.none() | days
    elif nones == 2:
        days = st.none() | st.none() | days
    return days if most is None else st.lists(days, max_size=most)


@functools.cache
def _maybe(low: int = 0, high: int = 0, team: str | None = None):
    """None or a number from `low` to `high` (or the team's name)."""
    return st.none() | (st.just(team) if team else st.integers(low, high))


_ASYE_STAGES = st.lists(st.sampled_from([3, 6, 12]), max_size=3)
_MAYBE_CATEGORY = st.none() | st.sampled_from(CASE_CATEGORIES)


def day_in(draw, start: date = FIRST, span: int = SPAN, nones: int = 0) -> date | None:
    """A day in the `span` days from `start`, or (with `nones`) perhaps none."""
    n = draw(_days(span, nones))
    return None if n is None else start + timedelta(days=n)


def days_in(draw, start: date, span: int, most: int) -> list[date]:
    return [start + timedelta(days=n) for n in draw(_days(span, most=most))]


def later(draw, day: date, most: int = 60) -> date | None:
    """Often a day a little after `day`, sometimes never."""
    return day_in(draw, day, most, nones=1)


@st.composite
def organisations(draw) -> tuple[Facts, date]:
    as_of = day_in(draw, FIRST + timedelta(days=200), SPAN)
    staff = [
        Staff("hos1", "senior_manager", date(2015, 1, 5)),
        Staff("tm1", "team_manager", date(2018, 3, 5), line_manager="hos1", team="team-a"),
        Staff(
            "tm2",
            "team_manager",
            day_in(draw, date(2019, 1, 1), 1500),
            line_manager="hos1",
            team="team-b",
            left_on=day_in(draw, nones=1),
        ),
    ]
    relationships = [
        Relationship("rel-tm1", "hos1", "tm1", date(2018, 3, 5)),
        Relationship("rel-tm2", "hos1", "tm2", staff[2].started_on),
    ]
    facts: dict[str, list] = {name: [] for name in Facts.__dataclass_fields__ if name != "extra"}
    for n in range(draw(st.integers(1, 4))):
        worker = _worker(draw, n, staff, relationships, facts)
        staff.append(worker)
    facts["staff"] = staff
    facts["relationships"] = relationships
    _supervisors(draw, facts, as_of)
    _groups(draw, facts)
    _oversight_facts(draw, facts)
    return Facts(**{name: tuple(items) for name, items in facts.items()}), as_of


def _worker(draw, n: int, staff, relationships, facts) -> Staff:
    wid = f"sw{n}"
    started = day_in(draw, FIRST - timedelta(days=400), SPAN)
    manager = draw(st.sampled_from(["tm1", "tm2"]))
    asye = draw(st.booleans())
    worker = Staff(
        wid,
        draw(st.sampled_from(WORKER_ROLES)),
        started,
        left_on=day_in(draw, started, 900, nones=2),
        asye=asye,
        asye_started_on=day_in(draw, started, 60, nones=1) if asye else None,
        employment=draw(st.sampled_from(EMPLOYMENT_TYPES)),
        line_manager=manager,
        team=draw(_maybe(team=f"team-{manager[-1]}")),
        registration_renews_on=day_in(draw, nones=1),
        registration_checked_on=day_in(draw, nones=1),
        dbs_checked_on=day_in(draw, nones=1),
        records_deleted_on=day_in(draw, nones=1),
    )
    # One supervisor, then perhaps a change of supervisor.
    change = day_in(draw, started + timedelta(days=30), 700, nones=1)
    rels = [Relationship(f"rel-{wid}-a", manager, wid, started, ended_on=change)]
    if change is not None:
        other = "tm2" if manager == "tm1" else "tm1"
        rels.append(Relationship(f"rel-{wid}-b", other, wid, change, reason="change_of_supervisor"))
    relationships += rels
    for rel in rels:
        _relationship_facts(draw, rel, facts)
    _cases(draw, wid, started, facts)
    for _ in range(draw(st.integers(0, 6))):
        facts["observations"].append(
            Observation(
                wid,
                day_in(draw, started, 1200),
                kind=draw(st.sampled_from(["practice", "practice", "supervision"])),
                with_family=draw(st.booleans()),
            )
        )
    for stage in draw(_ASYE_STAGES):
        facts["asye_reviews"].append(AsyeReview(wid, stage, day_in(draw, started, 500)))
    if worker.employment == "casual":
        for _ in range(draw(st.integers(0, 12))):
            facts["hours_worked"].append(
                HoursWorked(wid, day_in(draw, started, 900), draw(st.integers(1, 40)) * 1.0)
            )
    return worker


def _relationship_facts(draw, rel: Relationship, facts) -> None:
    for _ in range(draw(st.integers(0, 2))):
        first = day_in(draw, rel.started_on, 500)
        both = later(draw, first, 40)
        facts["agreements"].append(
            Agreement(
                rel.supervisee,
                rel.supervisor,
                signed_on=both,
                supervisor_signed_on=first,
                relationship=draw(st.sampled_from([rel.id, None])),
                frequency_weeks=draw(_maybe(1, 12)),
            )
        )
    for _ in range(draw(st.integers(0, 14))):
        held = day_in(draw, rel.started_on, 800)
        signed = later(draw, held, 20)
        facts["sessions"].append(
            Session(
                rel.supervisee,
                held,
                recorded_on=later(draw, held, 30),
                supervisor=draw(st.sampled_from([rel.supervisor, rel.supervisor, None])),
                kind=draw(st.sampled_from(["individual"] * 5 + ["group", "asye_reflective"])),
                development_discussed=draw(st.booleans()),
                late_reason_recorded=draw(st.booleans()),
                record_version=draw(st.integers(1, 2)),
                record_signed_on=signed,
                countersigned_on=later(draw, signed, 20) if signed else None,
                duration_minutes=draw(_maybe(30, 150)),
                shared_on=later(draw, held, 30),
            )
        )
    for _ in range(draw(st.integers(0, 2))):
        reviewed = day_in(draw, rel.started_on, 800)
        facts["review_questionnaires"].append(
            ReviewQuestionnaire(rel.id, reviewed, forwarded_on=later(draw, reviewed, 30))
        )


def _cases(draw, wid: str, started: date, facts) -> None:
    for k in range(draw(st.integers(0, 3))):
        allocated = day_in(draw, started, 800)
        supervised = sorted(days_in(draw, allocated, 600, 8))
        recorded = [r for s in supervised if (r := later(draw, s, 20)) is not None]
        case_id = f"C-{wid}-{k}"
        facts["cases"].append(
            Case(
                case_id,
                draw(st.sampled_from(CASE_TYPES)),
                wid,
                allocated,
                supervised_on=tuple(supervised),
                frequency_weeks=draw(_maybe(1, 20)),
                closed_on=day_in(draw, allocated, 700, nones=2),
                recorded_on=tuple(sorted(recorded)),
                category=draw(_MAYBE_CATEGORY),
            )
        )
        for made in draw(st.lists(st.sampled_from(supervised), max_size=2)) if supervised else []:
            facts["decisions"].append(Decision(case_id, made, recorded_on=later(draw, made, 3)))
        # Decisions made in discussions outside formal supervision (Bristol §5.7).
        for made in days_in(draw, allocated, 600, 2):
            facts["decisions"].append(
                Decision(
                    case_id,
                    made,
                    recorded_on=later(draw, made, 3),
                    made_in=draw(st.sampled_from(DECISION_SETTINGS)),
                )
            )
        for _ in range(draw(st.integers(0, 2))):
            facts["audits"].append(Audit(case_id, day_in(draw, allocated, 700), audited_by="tm1"))


def _supervisors(draw, facts, as_of: date) -> None:
    for _ in range(draw(st.integers(0, 2))):
        start = day_in(draw)
        facts["absences"].append(
            Absence(
                draw(st.sampled_from(["tm1", "tm2"])),
                start,
                ended_on=day_in(draw, start, 80, nones=1),
                cover_arranged_on=later(draw, start, 30),
            )
        )
    for _ in range(draw(st.integers(0, 5))):
        facts["samplings"].append(Sampling("hos1", day_in(draw)))


def _groups(draw, facts) -> None:
    members = [s.id for s in facts["staff"] if s.id.startswith("sw")]
    for version in range(1, draw(st.integers(0, 2)) + 1):
        issued = day_in(draw)
        facts["group_agreements"].append(
            GroupAgreement("grp-1", version, "tm1", issued, ended_on=day_in(draw, nones=1))
        )
        facts["group_signatories"].append(
            GroupSignatory("grp-1", version, "tm1", "supervisor", issued)
        )
        for member in members:
            facts["group_signatories"].append(
                GroupSignatory("grp-1", version, member, "supervisee", later(draw, issued, 50))
            )


def _oversight_facts(draw, facts) -> None:
    """Audits of supervisors' records, actions agreed in sessions, missed sessions
    raised and escalated, and management oversight on cases between supervisions."""
    for supervisor in ("hos1", "tm1", "tm2"):
        for _ in range(draw(st.integers(0, 2))):
            audited = day_in(draw)
            facts["record_audits"].append(
                RecordAudit(supervisor, audited, "hos1", discussed_on=later(draw, audited, 40))
            )
    for n, held in enumerate(facts["sessions"][:6]):
        if draw(st.booleans()):
            owner = draw(st.sampled_from([held.supervisee, held.supervisor or held.supervisee]))
            due = day_in(draw, held.held_on, 60)
            done = later(draw, held.held_on, 90)
            facts["actions"].append(
                AgreedAction(f"act-{n}", held.supervisee, owner, held.held_on, due, done)
            )
    for rel in facts["relationships"]:
        if draw(st.booleans()):
            due = day_in(draw, rel.started_on, 600)
            raised = day_in(draw, due, 60)
            escalated = later(draw, raised, 30)
            answered = later(draw, escalated, 20) if escalated else None
            facts["missed_sessions"].append(MissedSession(rel.id, due, raised, escalated, answered))
    for case in facts["cases"]:
        for _ in range(draw(st.integers(0, 3))):
            facts["case_oversights"].append(
                CaseOversight(case.id, day_in(draw, case.allocated_on, 400), by="tm1")
            )
