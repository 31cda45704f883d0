"""Every human task belongs to a team, case tasks included: a case's tasks
count for the allocated worker's team and follow the worker, and keeping the
team in line changes nothing on a second run."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from models import HumanTask, StaffMember
from models.engine.reconcile import reconcile
from models.engine.reconcile_counts import open_and_overdue
from tests.factories import make_organisation, make_relationship, make_staff, make_team
from tests.factories.cases import make_case

ALLOCATED = date(2026, 3, 2)
LATER = ALLOCATED + timedelta(days=60)  # the first case supervision is overdue by then


def _case_world(db):
    with db() as session, session.begin():
        org = make_organisation(session)
        east = make_team(session, org, name="East Team")
        west = make_team(session, org, name="West Team")
        supervisor = make_staff(session, org, name="Sue Visor", team=east)
        worker = make_staff(session, org, name="Wes Worker", team=east, line_manager=supervisor)
        make_relationship(session, supervisor, worker)
        make_case(session, worker, case_ref="LCS-123456", allocated_on=ALLOCATED)
        return org.id, worker.id, east.id, west.id


def _case_tasks(db):
    with db() as session:
        return {
            t.key: t.team_id
            for t in session.scalars(select(HumanTask).where(HumanTask.subject == "LCS-123456"))
        }


def _reconcile(db, org_id):
    return reconcile(
        organisation_id=org_id, lifecycles={"case_supervision"}, as_of=LATER, session_factory=db
    )


def test_a_case_supervision_task_counts_for_the_allocated_workers_team(db):
    org_id, _worker_id, east_id, _west_id = _case_world(db)
    created = _reconcile(db, org_id).created
    tasks = _case_tasks(db)
    assert created and set(tasks) == set(created)
    assert set(tasks.values()) == {east_id}
    with db() as session:
        by_lifecycle = open_and_overdue(session, org_id, {"case_supervision"}, LATER)
    _open, overdue = by_lifecycle["case_supervision"]
    assert set(overdue) == {"East Team"}  # not "No team"


def test_a_case_task_follows_its_worker_to_a_new_team_and_a_second_run_changes_nothing(db):
    org_id, worker_id, _east_id, west_id = _case_world(db)
    _reconcile(db, org_id)
    with db() as session, session.begin():
        session.get(StaffMember, worker_id).team_id = west_id
    moved = _reconcile(db, org_id)
    assert set(moved.updated) == set(_case_tasks(db))
    assert set(_case_tasks(db).values()) == {west_id}
    assert not _reconcile(db, org_id).changed
