"""A Lancashire team for the observation, annual review and registration check
action tests: a head of service, a team manager (Grace) who supervises a
social worker (Sam, started on 20 March 2025, so their first year of
observations ends on 20 March 2026, within the inbox window of TODAY), and a
colleague (Sid) who supervises nobody; the observations the engine owes are
in the inbox."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models import HumanTask, StaffRole
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff, make_team

STARTED = date(2025, 3, 20)
TODAY = date(2026, 3, 2)


def build(db) -> dict[str, int]:
    with db() as session, session.begin():
        org = make_organisation(session, profile="lancashire")
        team = make_team(session, org)
        head = make_staff(session, org, name="Helen Head", role=StaffRole.SENIOR_MANAGER)
        manager = make_staff(
            session,
            org,
            name="Grace Manager",
            role=StaffRole.TEAM_MANAGER,
            line_manager=head,
            team=team,
            started_on=date(2020, 1, 6),
        )
        worker = make_staff(
            session, org, name="Sam Worker", line_manager=manager, team=team, started_on=STARTED
        )
        stranger = make_staff(session, org, name="Sid Stranger", team=team)
        rel = make_relationship(session, manager, worker, started_on=STARTED)
        ids = {
            "org": org.id,
            "head": head.id,
            "manager": manager.id,
            "worker": worker.id,
            "stranger": stranger.id,
            "rel": rel.id,
        }
    reconcile(
        organisation_id=ids["org"], lifecycles={"observation"}, as_of=TODAY, session_factory=db
    )
    return ids


def open_tasks(db, assignee_id, kind=None) -> list[HumanTask]:
    with db() as session:
        query = select(HumanTask).where(
            HumanTask.assignee_id == assignee_id, HumanTask.status.in_(("open", "escalated"))
        )
        if kind:
            query = query.where(HumanTask.kind == kind)
        return list(session.scalars(query.order_by(HumanTask.key)))


def task_with_key(db, key) -> HumanTask:
    with db() as session:
        return session.scalars(select(HumanTask).where(HumanTask.key == key)).one()


def count_rows(db, model, *where) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))
