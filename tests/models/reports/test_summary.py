"""The dashboard's kept figures: the same tables as the figures computed live
for the whole organisation, its teams one by one and together, and the open
tasks counted here one by one; a refresh twice is a refresh once, and four at
once on PostgreSQL keep one set of cells."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import (
    OPEN_STATUSES,
    DashboardSummary,
    DashboardSummaryCell,
    HumanTask,
    StaffMember,
    Team,
)
from models.engine.reconcile_runs import reconcile_organisation
from models.reports import FIGURES, ReportScope, figure_table
from models.reports.summary import kept_figures, kept_tables, refresh_summary
from models.reports.tables import DimensionLabels
from models.reports.window import default_period
from tests.worlds.busy_organisation import build_organisation

AS_OF = date(2026, 11, 16)


@pytest.fixture
def busy(db):
    org_id = build_organisation(db, profile="wokingham", as_of=AS_OF, name="Busy")
    for day in (AS_OF - timedelta(days=60), AS_OF - timedelta(days=20), AS_OF):
        reconcile_organisation(org_id, as_of=day, session_factory=db)
    return org_id


def _shown(tables) -> dict:
    """Everything a table shows: its breakdown, and each row's keys, labels,
    counts and days, the totals included."""
    return {
        t.figure.name: (
            t.dimensions,
            t.note,
            [
                (c.keys, c.labels, {k: n for k, n in c.counts.items() if n}, c.average_days)
                for c in [*t.cells, t.totals]
            ],
        )
        for t in tables
    }


def _scopes(db, org_id) -> list[tuple[ReportScope, bool]]:
    with db() as session:
        teams = tuple(session.scalars(select(Team.id).order_by(Team.id)))
    whole = ReportScope(org_id, "the whole organisation")
    return [
        (whole, False),
        (whole, True),
        (ReportScope(org_id, "one team", teams[:1]), True),
        (ReportScope(org_id, "two teams", teams[:2]), True),
        (ReportScope(org_id, "two teams", teams[:2]), False),
    ]


def _cells(db) -> list[tuple]:
    cell = DashboardSummaryCell
    with db() as session:
        return sorted(
            session.execute(
                select(
                    cell.organisation_id,
                    cell.all_teams,
                    cell.figure,
                    cell.team_id,
                    cell.breakdown,
                    cell.outcome,
                    cell.items,
                    cell.days_counted,
                )
            ).tuples(),
            key=repr,
        )


def test_the_kept_figures_are_the_figures_computed_live_for_every_scope(db, busy):
    kept = refresh_summary(busy, AS_OF, session_factory=db)
    assert kept.period == default_period(AS_OF)
    scopes = _scopes(db, busy)
    with db() as session:
        labels = DimensionLabels(session, busy)
        for scope, by_team in scopes:
            from_kept = kept_tables(
                session, FIGURES.values(), scope, by_team=by_team, labels=labels
            )
            live = [
                figure_table(session, f, scope, kept.period, by_team=by_team, labels=labels)
                for f in FIGURES.values()
            ]
            assert _shown(from_kept) == _shown(live), (scope.team_ids, by_team)
    assert any(t.totals.total for t in from_kept)


def test_the_kept_open_tasks_match_the_tasks_counted_one_by_one(db, busy):
    refresh_summary(busy, AS_OF, session_factory=db)
    with db() as session:
        staff = {s.id: s.team_id for s in session.scalars(select(StaffMember))}
        expected = Counter()
        for t in session.scalars(select(HumanTask).where(HumanTask.status.in_(OPEN_STATUSES))):
            team = t.team_id if t.team_id is not None else staff.get(t.subject_staff_id)
            expected[(t.kind, team, t.due_on < AS_OF)] += 1
        scope = ReportScope(busy, "the whole organisation")
        (table,) = kept_tables(
            session,
            [FIGURES["open_tasks"]],
            scope,
            by_team=True,
            labels=DimensionLabels(session, busy),
        )
    found = Counter()
    for cell in table.cells:
        team = None if cell.keys["team_id"] == "none" else int(cell.keys["team_id"])
        for outcome, n in cell.counts.items():
            found[(cell.keys["kind"], team, outcome == "overdue")] += n
    assert found == expected and sum(expected.values()) > 0


def test_refreshing_twice_keeps_the_same_cells_as_refreshing_once(db, busy):
    first = refresh_summary(busy, AS_OF, now=datetime(2026, 11, 16, 9, 15), session_factory=db)
    once = _cells(db)
    second = refresh_summary(busy, AS_OF, now=datetime(2026, 11, 16, 10, 15), session_factory=db)
    assert _cells(db) == once and len(once) > 0
    with db() as session:
        assert kept_figures(session, busy).computed_at == second.computed_at > first.computed_at
        assert session.scalar(select(func.count()).select_from(DashboardSummary)) == 1


def test_a_refresh_on_a_later_day_replaces_the_period_kept(db, busy):
    refresh_summary(busy, AS_OF - timedelta(days=40), session_factory=db)
    refresh_summary(busy, AS_OF, session_factory=db)
    with db() as session:
        kept = kept_figures(session, busy)
    assert kept.period == default_period(AS_OF)
    assert not kept.covers(default_period(AS_OF - timedelta(days=40)))
    refresh_summary(busy, AS_OF, session_factory=db)
    assert len(_cells(db)) == len(set(_cells(db)))


def test_an_organisation_never_refreshed_has_nothing_kept_and_a_missing_one_is_refused(db, busy):
    with db() as session:
        assert kept_figures(session, busy) is None
    with pytest.raises(LookupError, match="No organisation with id"):
        refresh_summary(busy + 1000, AS_OF, session_factory=db)
    assert _cells(db) == []


def test_four_refreshes_at_once_on_postgresql_keep_one_set_of_cells(db, busy, postgres_only):
    refresh_summary(busy, AS_OF, session_factory=db)
    once = _cells(db)
    with db() as session, session.begin():
        session.execute(DashboardSummary.__table__.delete())  # the very first refresh, too
    barrier = threading.Barrier(4)
    errors = []

    def refresh():
        try:
            barrier.wait()
            refresh_summary(busy, AS_OF, session_factory=db)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _cells(db) == once
