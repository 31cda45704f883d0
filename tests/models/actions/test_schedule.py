"""The year's schedule of sessions (Nottingham §2.4): planned on the engine's
cadence, on working days, idempotently; a cancelled session moves to the next
available working day with its reason kept."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import (
    Absence,
    AuditEntry,
    OutboxEvent,
    SessionKind,
    SessionStatus,
    StaffRole,
    SupervisionSession,
)
from models.actions.schedule import ScheduleError, cancel_session, plan_year
from policy.durations import is_working_day
from tests.factories import make_organisation, make_relationship, make_staff

START = date(2026, 1, 5)  # a Monday


def _pair(db, *, profile="lancashire", asye=False, role=StaffRole.SOCIAL_WORKER):
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2020, 1, 6))
        worker = make_staff(session, org, role=role, started_on=START, asye=asye)
        rel = make_relationship(session, manager, worker, started_on=START)
        return rel.id, manager.id, worker.id


def _planned(db, rel_id, kind=SessionKind.INDIVIDUAL):
    with db() as session:
        return list(
            session.scalars(
                select(SupervisionSession.planned_on)
                .where(
                    SupervisionSession.relationship_id == rel_id,
                    SupervisionSession.status == SessionStatus.PLANNED,
                    SupervisionSession.kind == kind,
                )
                .order_by(SupervisionSession.planned_on)
            )
        )


def test_planning_a_year_covers_twelve_months_on_working_days_only(db):
    rel_id, _, _ = _pair(db, profile="nottingham")
    result = plan_year(rel_id, START, session_factory=db)
    dates = _planned(db, rel_id)
    assert dates == list(result.dates)
    assert all(is_working_day(d) for d in dates)
    assert dates[0] > START and dates[-1] <= date(2027, 1, 5)
    assert result.required_by.startswith("001_223e21d801bb36c8.txt §2.4")
    # Nottingham §1.4: new staff fortnightly for 6 months, then monthly.
    assert (dates[1] - dates[0]).days <= 14
    assert 28 <= (dates[-1] - dates[-2]).days <= 31


def test_planning_again_creates_nothing_new(db):
    rel_id, _, _ = _pair(db)
    first = plan_year(rel_id, START, session_factory=db)
    again = plan_year(rel_id, START, session_factory=db)
    later = plan_year(rel_id, START + timedelta(days=3), session_factory=db)
    assert first.created and again.created == () and later.created == ()
    assert len(_planned(db, rel_id)) == len(first.created)


def test_an_asye_workers_plan_changes_interval_at_six_weeks_and_six_months_for_lancashire(db):
    rel_id, _, _ = _pair(db, asye=True)
    plan_year(rel_id, START, session_factory=db)
    dates = _planned(db, rel_id)
    gaps = [(b - a).days for a, b in zip([START, *dates], dates, strict=False)]
    six_weeks, six_months = date(2026, 2, 16), date(2026, 7, 5)
    # §1.12: weekly in the first 6 weeks ...
    assert [d for d in dates if d <= six_weeks] == [START + timedelta(weeks=w) for w in range(1, 7)]
    assert set(gaps[:6]) == {7}
    # ... fortnightly from week 7 to 6 months (a bank holiday only ever moves one earlier) ...
    middle = [g for d, g in zip(dates, gaps, strict=False) if six_weeks < d <= six_months]
    assert middle and max(middle) == 14 and min(middle) >= 11
    # ... and 4-weekly between 6 and 12 months.
    late = [g for d, g in zip(dates, gaps, strict=False) if d > date(2026, 7, 20)]
    assert late and max(late) == 28 and min(late) >= 25
    assert date(2026, 5, 25) not in dates  # Spring bank holiday
    assert date(2026, 5, 22) in dates


def test_wokingham_asye_reflective_sessions_are_planned_monthly_alongside(db):
    rel_id, _, _ = _pair(db, profile="wokingham", asye=True)
    plan_year(rel_id, START, session_factory=db)
    reflective = _planned(db, rel_id, SessionKind.ASYE_REFLECTIVE)
    assert len(reflective) == 12
    assert all(is_working_day(d) for d in reflective)


def test_a_cancelled_session_moves_to_the_next_working_day_and_both_are_kept(db):
    rel_id, manager_id, worker_id = _pair(db)
    plan_year(rel_id, START, session_factory=db)
    with db() as session:
        target = session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.relationship_id == rel_id)
            .order_by(SupervisionSession.planned_on)
        ).first()
    # Make the next working day an absence of the supervisee: it must be skipped.
    next_day = target.planned_on + timedelta(days=1)
    while not is_working_day(next_day):
        next_day += timedelta(days=1)
    with db() as session, session.begin():
        session.add(
            Absence(staff_id=worker_id, starts_on=next_day, ends_on=next_day, reason="leave")
        )
    result = cancel_session(target.id, "Court hearing", manager_id, on=START, session_factory=db)
    assert result.moved_to > next_day and is_working_day(result.moved_to)
    with db() as session:
        old = session.get(SupervisionSession, target.id)
        new = session.get(SupervisionSession, result.replacement_id)
        assert old.status == SessionStatus.CANCELLED and old.cancelled_reason == "Court hearing"
        assert new.status == SessionStatus.PLANNED and new.planned_on == result.moved_to
        assert new.rescheduled_from_id == old.id
        assert (
            session.scalar(
                select(func.count())
                .select_from(OutboxEvent)
                .where(OutboxEvent.event == "oversight.session.rescheduled")
            )
            == 1
        )
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "cancel")
            )
            == 1
        )


def test_a_session_moved_off_a_friday_goes_to_monday_not_the_weekend(db):
    rel_id, manager_id, _ = _pair(db)
    with db() as session, session.begin():
        row = SupervisionSession(
            relationship_id=rel_id, status=SessionStatus.PLANNED, planned_on=date(2026, 3, 6)
        )
        session.add(row)
        session.flush()
        session_id = row.id
    result = cancel_session(session_id, "Sickness", manager_id, on=START, session_factory=db)
    assert result.moved_to == date(2026, 3, 9)


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(db, reason):
    rel_id, manager_id, _ = _pair(db)
    plan_year(rel_id, START, session_factory=db)
    with db() as session:
        first = session.scalars(select(SupervisionSession.id)).first()
    with pytest.raises(ScheduleError, match="Enter why"):
        cancel_session(first, reason, manager_id, on=START, session_factory=db)


def test_only_a_party_can_cancel_and_only_a_planned_session(db):
    rel_id, manager_id, worker_id = _pair(db)
    plan_year(rel_id, START, session_factory=db)
    with db() as session:
        first = session.scalars(select(SupervisionSession.id)).first()
    with pytest.raises(ScheduleError, match="Only the supervisor or the supervisee"):
        cancel_session(first, "x", 999_999, on=START, session_factory=db)
    cancel_session(first, "Leave", worker_id, on=START, session_factory=db)
    with pytest.raises(ScheduleError, match="already been cancelled"):
        cancel_session(first, "Again", manager_id, on=START, session_factory=db)


def test_concurrent_plans_create_no_duplicates(db):
    rel_id, _, _ = _pair(db)
    errors: list[BaseException] = []

    def run():
        try:
            plan_year(rel_id, START, session_factory=db)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    dates = _planned(db, rel_id)
    assert len(dates) == len(set(dates))


def test_an_absence_with_no_end_date_stops_the_plan_instead_of_searching_for_ever(db):
    from models import Absence

    rel_id, manager_id, _ = _pair(db)
    absent_from = START + timedelta(days=60)
    with db() as session, session.begin():
        session.add(Absence(staff_id=manager_id, starts_on=absent_from, ends_on=None))
    result = plan_year(rel_id, START, session_factory=db)
    assert result.dates and max(result.dates) < absent_from
