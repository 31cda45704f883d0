"""The figures agree with counts made here, independently, from the rows of
the tables (read whole and counted in Python, not by the figures' queries),
and a team's scope counts only that team."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from models import (
    OPEN_STATUSES,
    Absence,
    CoverArrangement,
    HumanTask,
    StaffMember,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from models.engine.reconcile_runs import reconcile_organisation
from models.reports import FIGURES, Period, ReportScope, figure_items, figure_table
from tests.worlds.busy_organisation import build_organisation

AS_OF = date(2026, 11, 16)
PERIOD = Period(date(2026, 6, 1), date(2026, 11, 30), AS_OF)


@pytest.fixture
def busy(db):
    """A busy organisation reconciled on days through the period, so tasks
    fell due, were met late or on time, or were missed."""
    org_id = build_organisation(db, profile="wokingham", as_of=AS_OF, name="Busy")
    for day in (AS_OF - timedelta(days=60), AS_OF - timedelta(days=20), AS_OF):
        reconcile_organisation(org_id, as_of=day, session_factory=db)
    return org_id


def _totals(db, name, scope):
    with db() as session:
        return dict(figure_table(session, FIGURES[name], scope, PERIOD).totals.counts)


def _all(db, model):
    with db() as session:
        return session.scalars(select(model)).all()


def _in_force(row, on):
    return row.started_on <= on and (row.ended_on is None or row.ended_on > on)


def _team_of_tasks(db):
    staff = {s.id: s.team_id for s in _all(db, StaffMember)}
    return lambda t: t.team_id if t.team_id is not None else staff.get(t.subject_staff_id)


def test_open_and_overdue_tasks_match_the_tasks_counted_one_by_one(db, busy):
    team_of = _team_of_tasks(db)
    expected = Counter()
    for t in _all(db, HumanTask):
        if t.status in OPEN_STATUSES:
            expected[(t.kind, team_of(t), t.due_on < AS_OF)] += 1
    with db() as session:
        table = figure_table(session, FIGURES["open_tasks"], ReportScope(busy, "all"), PERIOD)
    found = Counter()
    for cell in table.cells:
        team = None if cell.keys["team_id"] == "none" else int(cell.keys["team_id"])
        for outcome, n in cell.counts.items():
            found[(cell.keys["kind"], team, outcome == "overdue")] += n
    assert found == expected and sum(expected.values()) > 0


def test_sessions_on_time_late_and_missed_match_the_sessions_read_back_by_hand(db, busy):
    held = [s for s in _all(db, SupervisionSession) if s.status.value == "held"]
    expected = Counter()
    for t in _all(db, HumanTask):
        if t.kind != "supervision" or t.status.value == "cancelled":
            continue
        if not PERIOD.starts_on <= t.due_on <= PERIOD.ends_on:
            continue
        after = t.opens_on or date.min
        met = min(
            (s.held_on for s in held if s.relationship_id == t.relationship_id
             and after < s.held_on <= AS_OF),
            default=None,
        )  # fmt: skip
        if met is None and t.due_on < AS_OF:
            expected["missed"] += 1
        elif met is not None:
            expected["on_time" if met <= t.due_on else "late"] += 1
    assert _totals(db, "sessions", ReportScope(busy, "all")) == dict(expected)
    assert sum(expected.values()) > 0


def test_agreements_in_force_match_each_supervised_persons_agreements(db, busy):
    rels = [r for r in _all(db, SupervisionRelationship) if _in_force(r, AS_OF)]
    agreements = _all(db, SupervisionAgreement)
    expected = Counter()
    for person in _all(db, StaffMember):
        in_post = person.started_on <= AS_OF and (person.left_on is None or person.left_on > AS_OF)
        theirs = {r.id for r in rels if r.supervisee_id == person.id}
        if not (in_post and theirs):
            continue
        signed = any(
            a.relationship_id in theirs
            and a.in_force_on is not None
            and a.in_force_on <= AS_OF
            and a.status.value in ("in_force", "superseded")
            for a in agreements
        )
        expected["signed" if signed else "not_signed"] += 1
    assert _totals(db, "agreements", ReportScope(busy, "all")) == dict(expected)


def test_absent_supervisors_without_cover_match_the_absences_and_covers(db, busy):
    rels = _all(db, SupervisionRelationship)
    supervisors = {r.supervisor_id for r in rels if _in_force(r, AS_OF)}
    covered = {
        c.absent_supervisor_id
        for c in _all(db, CoverArrangement)
        if c.starts_on <= AS_OF and (c.ends_on is None or c.ends_on >= AS_OF)
    }
    absent = {
        a.staff_id: a.starts_on
        for a in _all(db, Absence)
        if a.starts_on <= AS_OF and (a.ends_on is None or a.ends_on >= AS_OF)
    }
    uncovered = {s for s in absent if s in supervisors and s not in covered}
    past = {s for s in uncovered if absent[s] < AS_OF - timedelta(weeks=3)}
    expected = {"past_limit": len(past), "within_limit": len(uncovered - past)}
    assert _totals(db, "absent_uncovered", ReportScope(busy, "all")) == {
        k: v for k, v in expected.items() if v
    }
    assert uncovered  # the busy organisation's absent supervisor


def test_leavers_due_for_deletion_follow_the_profiles_retention_period(db):
    org_id = build_organisation(db, profile="nottingham", as_of=AS_OF, name="Notts")
    cutoff = AS_OF - relativedelta(years=5)
    due = [
        s.id
        for s in _all(db, StaffMember)
        if s.left_on is not None and s.left_on <= cutoff and s.records_deleted_on is None
    ]
    assert due
    with db() as session:
        scope = ReportScope(org_id, "all")
        items = figure_items(session, FIGURES["leavers_due_deletion"], scope, PERIOD, {})
    assert sorted(i.staff_id for i in items) == sorted(due)
    assert _totals(db, "leavers_due_deletion", ReportScope(org_id, "all")) == {"due": len(due)}


def test_a_teams_scope_counts_only_that_teams_tasks_and_another_teams_counts_none(db, busy):
    team_of = _team_of_tasks(db)
    open_tasks = [t for t in _all(db, HumanTask) if t.status in OPEN_STATUSES]
    team_id = Counter(team_of(t) for t in open_tasks if team_of(t)).most_common(1)[0][0]
    mine = sum(1 for t in open_tasks if team_of(t) == team_id)
    assert sum(_totals(db, "open_tasks", ReportScope(busy, "one", (team_id,))).values()) == mine
    assert _totals(db, "open_tasks", ReportScope(busy, "none", (team_id + 999,))) == {}
