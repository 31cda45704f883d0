"""A run is cut into batches and a daily run looks only at what changed or
what a date reached, yet the tables end up exactly as a full run leaves them."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import select

from models import (
    FactChange,
    HumanTask,
    HumanTaskStatus,
    ReconcileWake,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
)
from models.actions.sessions import RecordInput, record_session
from models.demo import load_demo
from models.engine.reconcile_runs import plan_run, reconcile_organisation
from policy import LIFECYCLES
from tests.flows.test_every_lifecycle_is_idempotent import snapshot

TODAY = date(2026, 11, 23)


def _changes(run) -> dict:
    names = ("created", "completed", "cancelled", "reopened", "escalated", "updated")
    return {name: getattr(run.result, name) for name in names if getattr(run.result, name)}


def test_a_full_run_again_the_same_day_changes_nothing(db):
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    first = reconcile_organisation(org, as_of=TODAY, session_factory=db)
    again = reconcile_organisation(org, as_of=TODAY, session_factory=db)
    assert first.created and first.units > 80 and first.batches >= 2
    assert _changes(again) == {}


def test_a_changed_only_run_the_same_day_looks_at_nothing(db):
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    reconcile_organisation(org, as_of=TODAY, session_factory=db)
    plan = plan_run(org, list(LIFECYCLES), TODAY, touched_only=True, session_factory=db)
    assert plan.touched_only and plan.units == 0


def test_the_first_run_of_a_lifecycle_is_full_even_when_asked_for_changes_only(db):
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    plan = plan_run(org, ["agreement"], TODAY, touched_only=True, session_factory=db)
    assert not plan.touched_only and plan.units > 40


def test_daily_changed_only_runs_leave_the_tables_a_full_run_would(db):
    """Four months of days with no new facts: each day's changed-only run looks
    at a few units, and a full run straight after it changes nothing."""
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    reconcile_organisation(org, as_of=TODAY, session_factory=db)
    looked_at = []
    for n in range(1, 121, 3):
        day = TODAY + timedelta(days=n)
        daily = reconcile_organisation(org, as_of=day, touched_only=True, session_factory=db)
        looked_at.append(daily.units)
        assert _changes(reconcile_organisation(org, as_of=day, session_factory=db)) == {}, day
    assert sum(looked_at) and max(looked_at) < 40  # of 90 units


def test_a_fact_recorded_through_an_action_reaches_every_lifecycle_on_the_next_daily_run(db):
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    reconcile_organisation(org, as_of=TODAY, session_factory=db)
    with db() as session:
        rel = session.scalars(
            select(SupervisionRelationship).where(SupervisionRelationship.ended_on.is_(None))
        ).first()
        supervisor_user = rel.supervisor_id
    record_session(
        relationship_id=rel.id,
        recorder_staff_id=supervisor_user,
        record=RecordInput(
            held_on=TODAY,
            duration_minutes=90,
            sections={"personal": "Fine."},
            late_reason="Supervisor on leave.",
            development_discussed=True,
        ),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    with db() as session:
        assert session.scalars(select(FactChange.unit)).all()
    day = TODAY + timedelta(days=1)
    daily = reconcile_organisation(org, as_of=day, touched_only=True, session_factory=db)
    assert daily.units >= 1
    assert _changes(reconcile_organisation(org, as_of=day, session_factory=db)) == {}


def test_small_batches_leave_the_same_tables_as_large_ones(db, monkeypatch):
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    reconcile_organisation(org, as_of=TODAY, session_factory=db)
    expected = snapshot(db)
    with db() as session, session.begin():
        for table in (HumanTask, ReconcileWake):
            session.query(table).delete()
    monkeypatch.setenv("OVERSIGHT_RECONCILE_BATCH", "3")
    small = reconcile_organisation(org, as_of=TODAY, session_factory=db)
    assert small.batches > 25
    assert snapshot(db) == expected


def test_two_full_runs_at_once_leave_the_tables_one_run_would(db, postgres_only):
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    reconcile_organisation(org, as_of=TODAY, session_factory=db)
    expected = snapshot(db)
    with db() as session, session.begin():
        for table in (HumanTask, ReconcileWake):
            session.query(table).delete()
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            reconcile_organisation(org, as_of=TODAY, session_factory=db)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert snapshot(db) == expected


def test_a_session_held_meets_its_task_however_long_ago_the_task_opened(db):
    """The run reads a unit's history back to its earliest open human task, so
    a fact meeting an old obligation completes its task rather than cancelling it."""
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    reconcile_organisation(org, as_of=TODAY, session_factory=db)
    with db() as session:
        overdue = session.scalars(
            select(HumanTask)
            .where(HumanTask.kind == "supervision", HumanTask.due_on < TODAY)
            .order_by(HumanTask.due_on)
        ).first()
    # The session is held a month on, so the task it meets opened long before.
    held_on = TODAY + timedelta(days=30)
    assert overdue is not None and overdue.opens_on < held_on - timedelta(days=28)
    with db() as session, session.begin():
        session.add(
            SupervisionSession(
                relationship_id=overdue.relationship_id,
                status=SessionStatus.HELD,
                held_on=held_on,
                recorded_on=held_on,
            )
        )
    reconcile_organisation(org, as_of=held_on, session_factory=db)
    with db() as session:
        task = session.get(HumanTask, overdue.id)
        assert (task.status, task.closed_reason) == (HumanTaskStatus.COMPLETED, "met")
