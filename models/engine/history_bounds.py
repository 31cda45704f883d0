"""How far back each unit's history is read (policy/frontier.py decides why).

For people: per recurring cycle, the last event before `since` (where the
engine's replay starts), records still to write or countersign, and the
observations that still count (a case's bounds are in case_bounds.py).
The bounds are generous by SLACK: month arithmetic ends months up to three
days early or late, and the engine's own `trim` cuts to exactly what it needs."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import and_, case, func, not_, or_, select, tuple_
from sqlalchemy.orm import aliased

from models.engine import fact_rows as rows
from models.engine.among import among
from models.engine.keyed import keyed_dates
from models.tables.supervision import (
    GroupSupervisionAttendance,
    SessionKind,
    SessionSignature,
    SessionStatus,
    SignatoryParty,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.context import Context
from policy.facts import Facts
from policy.frontier import hours_count_from, observations_from
from policy.keys import parse_fact_id, relationship_fact_id, staff_fact_id
from policy.rules.recording import recorded_kinds
from policy.units import UnitIndex, person_facts

FAR_PAST = date(1, 1, 1)
FAR_FUTURE = date(9999, 12, 31)
# Month arithmetic ends months early or late by up to three days; a bound
# read this much further back holds every event the exact bound would.
SLACK = timedelta(days=4)
CYCLES = ("individual", "development", "group", "asye_reflective")
# Cycles whose first with a new supervisor counts from the person's last event
# before it (policy.rules.personal_supervision.person_cycle_steps).
PERSON_CYCLES = ("development", "group")


# --- people ---


def session_cutoffs(session, base: Facts, ids, profile, as_of, since_of) -> tuple[dict, list]:
    """Per person, a day from which every session their recurring cycles can
    replay from is read: the earliest last-event-before-`since` over their
    cycles (policy/frontier.py), less the slack; the day from which a casual
    worker's hours can count; and, as columns `carried_0`, `carried_1`, ...
    (their names are returned too), the day of each session a relationship's
    first cycle counts from: that day is read, not every session since, which
    would be the whole history of a long relationship."""
    cycles = {"individual": "session", "development": "development", "group": "group"}
    cycles["asye_reflective"] = "asye-reflective"
    since_rows = {
        k: {cycle: days.feeding(fed) for cycle, fed in cycles.items()}
        for k, days in since_of.items()
    }
    since = keyed_dates(session, "since", since_rows, tuple(cycles))
    late = profile.rule("recording.late_reason")
    out_of_view = late["in_view"].before(as_of) - SLACK if late is not None else FAR_PAST
    latest: dict[int, dict] = defaultdict(dict)
    _latest_sessions(session, ids, since, out_of_view, latest)
    _latest_attendance(session, ids, since, latest)
    carried = _carried_sessions(session, ids)
    return _cutoffs_from(base, ids, latest, late is not None, as_of, carried)


def _carried_sessions(session, ids) -> dict[str, date]:
    """Per relationship of these people (as a fact id), their last one-to-one
    session before it started, whoever held it: the first cycle of a new
    relationship counts from it (policy.rules.personal_supervision.carried_from)."""
    current = aliased(SupervisionRelationship)
    rel = SupervisionRelationship
    held = SupervisionSession.held_on
    return {
        relationship_fact_id(rel_id): last
        for rel_id, last in session.execute(
            select(current.id, func.max(held))
            .join(rel, rel.supervisee_id == current.supervisee_id)
            .join(SupervisionSession, SupervisionSession.relationship_id == rel.id)
            .where(
                among(current.supervisee_id, ids),
                SupervisionSession.status == SessionStatus.HELD,
                SupervisionSession.kind == SessionKind.INDIVIDUAL,
                held < current.started_on,
            )
            .group_by(current.id)
        )
    }


def _later(mine: dict, key, day) -> None:
    mine[key] = max(filter(None, (mine.get(key), day)), default=None)


def _latest_sessions(session, ids, since, out_of_view: date, latest: dict) -> None:
    """Per person: each supervisor's last individual session before `since`
    (and last out of the late-reason view), the last of each other kind, and
    the last development discussion."""
    rel = SupervisionRelationship
    held = SupervisionSession.held_on

    def before(cycle: str):
        return held < func.coalesce(getattr(since.c, cycle), FAR_FUTURE)

    last_of_kind = case(
        (SupervisionSession.kind == SessionKind.INDIVIDUAL, case((before("individual"), held))),
        else_=case((before("asye_reflective"), held)),
    )
    discussed = and_(before("development"), SupervisionSession.development_discussed)
    for supervisee, supervisor, kind, last, last_dev, last_out in session.execute(
        select(
            rel.supervisee_id,
            rel.supervisor_id,
            SupervisionSession.kind,
            func.max(last_of_kind),
            func.max(case((discussed, held))),
            func.max(case((held <= out_of_view, held))),
        )
        .join(rel, rel.id == SupervisionSession.relationship_id)
        .join(since, since.c.key == rel.supervisee_id, isouter=True)
        .where(
            among(rel.supervisee_id, ids),
            SupervisionSession.status == SessionStatus.HELD,
            held.is_not(None),
        )
        .group_by(rel.supervisee_id, rel.supervisor_id, SupervisionSession.kind)
    ):
        mine = latest[supervisee]
        if kind == SessionKind.INDIVIDUAL:
            mine[("individual", supervisor)] = last
            mine[("out_of_view", supervisor)] = last_out
        _later(mine, kind.value, last)
        _later(mine, "development", last_dev)


def _latest_attendance(session, ids, since, latest: dict) -> None:
    """Per person, the last group supervision attended before `since`."""
    attended = GroupSupervisionAttendance.attended_on
    staff = GroupSupervisionAttendance.staff_id
    before_since = attended < func.coalesce(since.c.group, FAR_FUTURE)
    for staff_id, last in session.execute(
        select(staff, func.max(case((before_since, attended))))
        .join(since, since.c.key == staff, isouter=True)
        .where(among(staff, ids))
        .group_by(staff)
    ):
        _later(latest[staff_id], "group", last)


def _cutoffs_from(base: Facts, ids, latest, late: bool, as_of: date, carried) -> tuple[dict, list]:
    """Per person and cycle, the earliest replay start over their active
    relationships, where hours worked count from, and the days of the last
    one-to-one session before each relationship began (`carried_{n}`)."""
    left = {s.id for s in base.staff if s.left_on is not None and s.left_on <= as_of}
    supervised_in: dict[str, list] = defaultdict(list)
    for r in base.relationships:
        if r.supervisee not in left and Context.relationship_active(r, as_of):
            supervised_in[r.supervisee].append(r)
    started = {s.id: s.started_on for s in base.staff}
    out: dict[int, dict[str, date]] = defaultdict(dict)
    most = 0  # the most carried days any person has
    for staff_id in ids:
        mine, days_carried = out[staff_id], set()
        for r in supervised_in.get(staff_fact_id(staff_id), ()):
            starts = _starts_of(latest.get(staff_id, {}), r, late)
            for cycle, start in starts.items():
                mine[cycle] = min(mine.get(cycle, start), start - SLACK)
            # Until the relationship's first session a casual worker's hours count
            # from the session carried over (or, with none, from their start).
            first = carried.get(r.id, started.get(r.supervisee, r.started_on))
            hours = hours_count_from(starts["individual"], first, r.started_on)
            mine["hours"] = min(mine.get("hours", hours), hours - SLACK)
            if r.id in carried:
                days_carried.add(carried[r.id])
        for n, day in enumerate(sorted(days_carried)):
            mine[f"carried_{n}"] = day
        most = max(most, len(days_carried))
    return out, [f"carried_{n}" for n in range(most)]


def _starts_of(latest: dict, r, late: bool) -> dict[str, date]:
    """Per cycle, the day one relationship's replay starts (the frontier's
    `_replay_starts`): its last event before `since` (`latest`, the person's),
    else the relationship's start."""
    supervisor = parse_fact_id(r.supervisor, "staff")
    keys = {cycle: [cycle] for cycle in CYCLES}
    keys["individual"] = [("individual", supervisor)]
    keys["individual"] += [("out_of_view", supervisor)] if late else []
    starts = {}
    for cycle, found in keys.items():
        for key in found:
            day = latest.get(key)
            # Development discussions and group supervision run on across a
            # change of supervisor: their last before the relationship counts.
            carries = cycle in PERSON_CYCLES
            start = day if day is not None and (carries or day >= r.started_on) else r.started_on
            starts[cycle] = min(starts.get(cycle, start), start)
    return starts


def bounded_sessions(session, own, ids, profile, as_of, bound, carried=()) -> tuple:
    """Sessions from each person's cutoff for each cycle; records still to write
    or countersign whenever held; the one-to-one sessions carried into a
    relationship (on the days in `bound`'s columns named in `carried`); and
    every session on the day of one of those. `bound` holds each person's
    cutoffs and `since` (keyed_dates)."""
    rel = SupervisionRelationship
    held = SupervisionSession.held_on
    days = _wanted_days(own, profile, as_of, bound, carried)
    # Every session on one of those days, read in the same statement.
    same_day = SupervisionSession.id.in_(
        select(SupervisionSession.id)
        .join(rel, rel.id == SupervisionSession.relationship_id)
        .where(
            among(SupervisionSession.relationship_id, own),
            tuple_(rel.supervisee_id, held).in_(days),
        )
        .correlate(None)
    )
    attended = GroupSupervisionAttendance.attended_on
    staff = GroupSupervisionAttendance.staff_id
    in_view = select(GroupSupervisionAttendance.id).join(bound, bound.c.key == staff)
    return rows.session_facts(
        session,
        own,
        set(ids),
        individual_where=same_day,
        attendance_where=and_(
            among(staff, ids),
            or_(
                GroupSupervisionAttendance.id.in_(in_view.where(attended >= bound.c.group)),
                attended > as_of,
            ),
        ),
    )


def _wanted_days(own, profile, as_of, bound, carried):
    """A SELECT of (supervisee, day) for the sessions a batch needs: from each
    cycle's cutoff, carried into a relationship, after as_of, or with a record
    still owed."""
    rel = SupervisionRelationship
    held = SupervisionSession.held_on
    kind = SupervisionSession.kind
    wanted = [
        and_(kind == SessionKind.INDIVIDUAL, held >= bound.c.individual),
        and_(SupervisionSession.development_discussed, held >= bound.c.development),
        and_(kind == SessionKind.ASYE_REFLECTIVE, held >= bound.c.asye_reflective),
        held >= bound.c.records,
        held > as_of,
    ]
    if carried:  # a comparison or two a row, after the join on the person
        on_a_carried_day = or_(*(held == getattr(bound.c, name) for name in carried))
        wanted.append(and_(kind == SessionKind.INDIVIDUAL, on_a_carried_day))
    # A record still to write (for every one-to-one kind the profile has recorded),
    # or to share with the supervisee, whenever held.
    recorded = [k for k in SessionKind if k.value in recorded_kinds(profile)]
    for rule_id, done_on, kinds in (
        ("recording.session", SupervisionSession.recorded_on, recorded),
        ("recording.shared", SupervisionSession.shared_on, [SessionKind.INDIVIDUAL]),
    ):
        if profile.rule(rule_id) is not None:
            wanted.append(and_(kind.in_(kinds), not_(_in_time(done_on, as_of))))
    candidates = select(rel.supervisee_id, held).join(
        rel, rel.id == SupervisionSession.relationship_id
    )
    if profile.rule("recording.countersign") is not None:
        wanted.append(_awaiting_countersignature(as_of, bound.c.records))
    return (
        candidates.join(bound, bound.c.key == rel.supervisee_id, isouter=True)
        .where(
            among(SupervisionSession.relationship_id, own),
            SupervisionSession.status == SessionStatus.HELD,
            held.is_not(None),
            or_(*wanted),
        )
        .correlate(None)
    )


def _in_time(done_on, as_of: date):
    """Done (written, shared) on or after the day held and by as_of."""
    return and_(done_on.is_not(None), done_on >= SupervisionSession.held_on, done_on <= as_of)


def _awaiting_countersignature(as_of: date, since):
    """A record version the supervisor has signed and the supervisee had not by
    as_of, or one the supervisor signed since `since` or after as_of: one
    EXISTS per session, looking for the supervisee's signature only where the
    supervisor's is there. (Written with rows.signed_on's scalar lookups, each
    signature was looked up again wherever it appeared: four index probes for
    every session of a person's history, half the cost of a batch's session read.)"""
    by_supervisor, by_supervisee = aliased(SessionSignature), aliased(SessionSignature)
    countersigned = (
        select(by_supervisee.id)
        .where(
            rows.of_current_record(by_supervisee, SignatoryParty.SUPERVISEE),
            by_supervisee.signed_on <= as_of,
        )
        .correlate(SupervisionSession)
        .exists()
    )
    return (
        select(by_supervisor.id)
        .where(
            rows.of_current_record(by_supervisor, SignatoryParty.SUPERVISOR),
            or_(
                not_(countersigned),
                by_supervisor.signed_on >= since,
                by_supervisor.signed_on > as_of,
            ),
        )
        .exists()
    )


def observation_bounds(base: Facts, ids, profile, as_of) -> dict[int, date]:
    out = {}
    index = UnitIndex(base)
    for staff_id in ids:
        home = staff_fact_id(staff_id)
        ctx = Context(profile, person_facts(index, home), as_of, home=home)
        out[staff_id] = observations_from(ctx, ctx.staff.get(home)) - SLACK
    return out
