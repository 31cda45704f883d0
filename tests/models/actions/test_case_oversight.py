"""Recording management oversight on a case between supervisions
(models/actions/case_oversight.py, Wokingham standards 25-27): it completes
the window's task in the supervisor's inbox; only the worker's supervisor
or line manager records it; bad input is refused and nothing is stored."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from models import CaseOversight, HumanTask, StaffRole
from models.actions.case_oversight import record_case_oversight
from models.actions.errors import ActionError, NotPermitted
from models.engine.reconcile import reconcile
from tests.factories import make_case, make_organisation, make_relationship, make_staff

ALLOCATED = date(2026, 1, 15)
TODAY = date(2026, 3, 2)


def council(db, case_type="early_help", profile="wokingham") -> dict[str, int]:
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2019, 9, 2))
        worker = make_staff(session, org, line_manager=manager, started_on=date(2020, 1, 6))
        stranger = make_staff(session, org, role=StaffRole.TEAM_MANAGER)
        make_relationship(session, manager, worker, started_on=date(2025, 6, 2))
        make_case(session, worker, case_ref="EH100200", case_type=case_type, allocated_on=ALLOCATED)
        return {"org": org.id, "manager": manager.id, "worker": worker.id, "other": stranger.id}


def run(db, people, as_of=TODAY):
    reconcile(organisation_id=people["org"], lifecycles={"case_supervision"}, as_of=as_of,
              session_factory=db)  # fmt: skip


def oversight_tasks(db, org_id, status=("open", "escalated")) -> list[HumanTask]:
    with db() as session:
        return list(
            session.scalars(
                select(HumanTask).where(
                    HumanTask.organisation_id == org_id,
                    HumanTask.kind == "case_oversight",
                    HumanTask.status.in_(status),
                )
            )
        )


def record(db, people, by="manager", **kw):
    values = {"recorded_on": TODAY, "summary": "Plan on track; step-down review booked."}
    return record_case_oversight(case_ref="EH100200", staff_id=people[by], on=TODAY,
                                 session_factory=db, **{**values, **kw})  # fmt: skip


def test_the_window_owes_oversight_in_the_supervisors_inbox_and_recording_completes_it(db):
    people = council(db)
    run(db, people)
    [task] = oversight_tasks(db, people["org"])
    assert task.key == "case-oversight:EH100200:2026-01-15"
    assert (task.assignee_id, task.due_on) == (people["manager"], date(2026, 3, 14))
    assert task.title == "Record management oversight on case EH100200"

    done = record(db, people)

    assert done.completed_task_id == task.id
    assert oversight_tasks(db, people["org"]) == []
    with db() as session:
        row = session.get(CaseOversight, done.oversight_id)
        assert (row.recorded_on, row.recorded_by_id) == (TODAY, people["manager"])


def test_a_child_protection_case_owes_no_alternate_month_oversight(db):
    people = council(db, case_type="child_protection")
    run(db, people)
    assert oversight_tasks(db, people["org"]) == []


@pytest.mark.parametrize(
    ("change", "error", "reason"),
    [
        ({"by": "other"}, NotPermitted, "Only the supervisor or line manager"),
        ({"by": "worker"}, NotPermitted, "Only the supervisor or line manager"),
        ({"summary": " "}, ActionError, "Enter the oversight"),
        ({"recorded_on": date(2026, 3, 3)}, ActionError, "today or in the past"),
        ({"recorded_on": date(2026, 1, 14)}, ActionError, "on or after the case was allocated"),
    ],
)
def test_wrong_oversight_is_refused_and_nothing_is_stored(db, change, error, reason):
    people = council(db)
    with pytest.raises(error, match=reason):
        record(db, people, **change)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(CaseOversight)) == 0


def test_reconciling_twice_at_once_on_postgresql_owes_one_task(db, postgres_only):
    people = council(db)
    barrier = threading.Barrier(2)

    def go():
        barrier.wait()
        run(db, people)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(oversight_tasks(db, people["org"])) == 1
