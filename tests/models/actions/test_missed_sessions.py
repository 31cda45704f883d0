"""Recording the steps of a missed session (models/actions/missed_sessions.py,
Wokingham standards 14-15): each answers the open task the engine owes, by
the person the standard names, in order; the same step sent twice stores one."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from models import HumanTask, MissedSession, StaffRole
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.missed_sessions import record_missed_step
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff

STARTED = date(2026, 1, 5)
DUE = date(2026, 1, 19)  # a new starter's first fortnightly session (standard 16)
TODAY = date(2026, 2, 9)  # 3 weeks after it was due: the supervisee raises it


def council(db, profile="wokingham") -> dict[str, int]:
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        head = make_staff(session, org, role=StaffRole.SENIOR_MANAGER, started_on=date(2015, 1, 5))
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, line_manager=head,
                             started_on=date(2019, 9, 2))  # fmt: skip
        worker = make_staff(session, org, line_manager=manager, started_on=STARTED)
        rel = make_relationship(session, manager, worker, started_on=STARTED)
        return {"org": org.id, "head": head.id, "manager": manager.id, "worker": worker.id,
                "rel": rel.id}  # fmt: skip


def run(db, people, as_of):
    reconcile(organisation_id=people["org"], lifecycles={"personal_supervision"}, as_of=as_of,
              session_factory=db)  # fmt: skip


def step(db, people, name, by="worker", done_on=TODAY, on=TODAY, due=DUE):
    return record_missed_step(step=name, relationship_id=people["rel"], staff_id=people[by],
                              due=due, done_on=done_on, note="", on=on,
                              session_factory=db)  # fmt: skip


def open_kinds(db, org_id) -> list[str]:
    with db() as session:
        return sorted(
            session.scalars(
                select(HumanTask.kind).where(
                    HumanTask.organisation_id == org_id,
                    HumanTask.kind.like("missed_session_%"),
                    HumanTask.status.in_(("open", "escalated")),
                )
            )
        )


def test_raising_completes_its_task_and_a_week_later_escalating_is_owed(db):
    people = council(db)
    run(db, people, TODAY)
    assert open_kinds(db, people["org"]) == ["missed_session_raise"]

    step(db, people, "raise")
    assert open_kinds(db, people["org"]) == []
    run(db, people, date(2026, 2, 16))
    assert open_kinds(db, people["org"]) == ["missed_session_escalate"]
    step(db, people, "escalate", done_on=date(2026, 2, 16), on=date(2026, 2, 16))
    assert open_kinds(db, people["org"]) == ["missed_session_response"]
    step(db, people, "respond", by="head", done_on=date(2026, 2, 17), on=date(2026, 2, 17))
    assert open_kinds(db, people["org"]) == []


def test_steps_out_of_turn_or_by_the_wrong_person_are_refused(db):
    people = council(db)
    run(db, people, TODAY)
    with pytest.raises(AlreadySigned, match="not owed now"):
        step(db, people, "escalate")
    with pytest.raises(NotPermitted, match="Only the supervisee"):
        step(db, people, "raise", by="manager")
    with pytest.raises(ActionError, match="on or after the day the session was due"):
        step(db, people, "raise", done_on=date(2026, 1, 18))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(MissedSession)) == 0


def test_a_council_without_standards_14_and_15_owes_no_step(db):
    people = council(db, profile="nottingham")
    run(db, people, TODAY)
    with pytest.raises(AlreadySigned, match="not owed now"):
        step(db, people, "raise")


def test_the_same_step_sent_twice_at_once_on_postgresql_is_stored_once(db, postgres_only):
    people = council(db)
    run(db, people, TODAY)
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def send():
        barrier.wait()
        try:
            step(db, people, "raise")
            outcomes.append("stored")
        except AlreadySigned:
            outcomes.append("already")

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "already", "stored"]
    with db() as session:
        assert session.scalar(select(func.count()).select_from(MissedSession)) == 1
