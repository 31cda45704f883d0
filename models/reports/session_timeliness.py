"""Were personal supervision sessions held on time, judged from the sessions
themselves against the cadence the engine owes (models/reports/cadence.py),
so history before the first reconcile counts as well as after it.

A relationship's cadence runs from the day it is carried from (the
supervisee's last one-to-one session before it, whoever held it, else the
job clock's start: policy/rules/personal_supervision.py carried_from). Each
such day and each session the pair held since starts a cycle; the next
session (the window function LEAD) meets it, on time when held by its due
date, late after it; a cycle no session met is missed once its due date is
before the day the figures are seen as of, while the relationship and the
person's employment lasted. Casual staff paid by the hour under a profile
that owes them supervision by hours worked (Bristol §3.5) are judged by the
reconcile's tasks, not here: their due date depends on the hours recorded."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import type_coerce

from models.reports.cadence import (
    add_duration,
    add_interval,
    cadence_intervals,
    longest_interval_days,
)
from models.reports.people import profile_of
from models.reports.sql import month_of
from models.reports.window import Period, ReportScope
from models.tables.org import Employment, StaffMember
from models.tables.supervision import (
    RelationshipReason,
    SessionKind,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.context import NEW_STARTER_FOR


def _later(a, b):
    return case((a > b, a), else_=b)


def _held(period: Period):
    """One-to-one sessions held by the day, with the pair who held them."""
    pair = aliased(SupervisionRelationship, name="held_pair")
    return (
        select(
            pair.supervisee_id,
            pair.supervisor_id,
            SupervisionSession.held_on,
        )
        .join(pair, pair.id == SupervisionSession.relationship_id)
        .where(
            SupervisionSession.kind == SessionKind.INDIVIDUAL,
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on.is_not(None),
            SupervisionSession.held_on <= period.as_of,
        )
        .subquery("held")
    )


def _carried_from(session: Session, rel, person, held):
    """The day a relationship's first cycle counts from (Context.job_clock_start
    when the person had no session before it)."""
    earlier_rel = aliased(SupervisionRelationship, name="earlier_rel")
    earlier = exists().where(
        earlier_rel.supervisee_id == rel.supervisee_id,
        earlier_rel.started_on < rel.started_on,
    )
    new_starter = and_(
        rel.reason == RelationshipReason.NEW_STARTER,
        ~earlier,
        rel.started_on < add_duration(session, person.started_on, NEW_STARTER_FOR),
    )
    job_clock = case(
        (and_(new_starter, person.started_on < rel.started_on), person.started_on),
        else_=rel.started_on,
    )
    before = (
        select(func.max(held.c.held_on))
        .where(
            held.c.supervisee_id == rel.supervisee_id,
            held.c.held_on >= person.started_on,
            held.c.held_on < rel.started_on,
        )
        .scalar_subquery()
    )
    return func.coalesce(before, job_clock)


def _cycles(session: Session, scope: ReportScope, period: Period):
    """(relationship_id, point, met_on): each day a cycle runs from and the
    session that met it (None: not met by the day)."""
    rel, person = SupervisionRelationship, StaffMember
    held = _held(period)
    # A cycle counted from longer ago than the longest cadence cannot fall due
    # in the period: history before that is not read.
    longest = longest_interval_days(profile_of(session, scope.organisation_id))
    since = period.starts_on - timedelta(days=longest + 1)
    # The day a relationship is carried from is on or before the day it
    # started, so one that started before `since` has no first cycle to count
    # (only its sessions' cycles): the costly lookup is not made for it.
    carried = select(
        rel.id.label("relationship_id"),
        type_coerce(_carried_from(session, rel, person, held), Date).label("point"),
    ).where(rel.started_on >= since)
    sessions = select(rel.id, held.c.held_on).join(
        held,
        and_(
            held.c.supervisee_id == rel.supervisee_id,
            held.c.supervisor_id == rel.supervisor_id,
            held.c.held_on >= rel.started_on,
        ),
    )
    mine = [
        q.join(person, person.id == rel.supervisee_id).where(
            person.organisation_id == scope.organisation_id, scope.covers(person.team_id)
        )
        for q in (carried.select_from(rel), sessions.select_from(rel))
    ]
    points = union(*mine).subquery("points")  # UNION: one cycle per day
    return (
        select(
            points.c.relationship_id,
            points.c.point,
            func.lead(points.c.point)
            .over(partition_by=points.c.relationship_id, order_by=points.c.point)
            .label("met_on"),
        )
        .where(points.c.point >= since)
        .subquery("cycles")
    )


def _due(session: Session, scope: ReportScope, period: Period):
    """Each cycle's due date: the earliest over the intervals still in force."""
    intervals = cadence_intervals(
        session, profile_of(session, scope.organisation_id), scope.organisation_id, scope.team_ids
    )
    if intervals is None:
        return None
    cycles = _cycles(session, scope, period)
    start = _later(cycles.c.point, intervals.c.starts_on)
    due = func.min(add_interval(session, start, intervals.c.months, intervals.c.days))
    return (
        select(
            cycles.c.relationship_id,
            cycles.c.point,
            cycles.c.met_on,
            type_coerce(due, Date).label("due_on"),
        )
        .join(intervals, intervals.c.relationship_id == cycles.c.relationship_id)
        .where(or_(intervals.c.ends_on.is_(None), intervals.c.ends_on > cycles.c.point))
        .group_by(cycles.c.relationship_id, cycles.c.point, cycles.c.met_on)
        .subquery("due")
    )


def session_items(session: Session, scope: ReportScope, period: Period):
    """Personal supervision sessions that fell due in the period, by team and
    month due: held on time, held late, or missed."""
    due = _due(session, scope, period)
    rel, person = SupervisionRelationship, StaffMember
    if due is None:
        return _nothing(session)
    opened = _later(due.c.point, rel.started_on)
    due_on = type_coerce(_later(due.c.due_on, opened), Date)
    outcome = case(
        (due.c.met_on.is_(None), literal("missed")),
        (due.c.met_on <= due_on, literal("on_time")),
        else_=literal("late"),
    )
    still_owed = and_(
        due_on < period.as_of,
        or_(rel.ended_on.is_(None), due_on < rel.ended_on),
        or_(person.left_on.is_(None), due_on < person.left_on),
    )
    query = (
        select(
            person.id.label("staff_id"),
            person.team_id.label("team_id"),
            outcome.label("outcome"),
            cast(due.c.met_on, String).label("ref"),
            due_on.label("day"),
            cast(null(), Integer).label("amount"),
            cast(null(), Float).label("days"),
            month_of(session, due_on).label("month"),
        )
        .select_from(due)
        .join(rel, rel.id == due.c.relationship_id)
        .join(person, person.id == rel.supervisee_id)
        .where(
            due_on >= period.starts_on,
            due_on <= period.ends_on,
            or_(due.c.met_on.is_not(None), still_owed),
        )
    )
    if profile_of(session, scope.organisation_id).rule("supervision.casual_hours") is not None:
        query = query.where(person.employment != Employment.CASUAL)
    return query


def _nothing(session: Session):
    """A profile that owes no personal supervision: no items."""
    return select(
        cast(null(), Integer).label("staff_id"),
        cast(null(), Integer).label("team_id"),
        literal("missed").label("outcome"),
        cast(null(), String).label("ref"),
        cast(null(), Date).label("day"),
        cast(null(), Integer).label("amount"),
        cast(null(), Float).label("days"),
        cast(null(), String).label("month"),
    ).where(literal(False))
