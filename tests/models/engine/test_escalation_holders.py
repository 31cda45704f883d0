"""Nobody is escalated to about their own overdue work: an escalation the
profile would offer to the heads of service, when a head of service owes the
overdue work, goes to the next person up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import AppRole, HumanTask, StaffRole
from models.engine.reconcile import reconcile
from tests.factories.people import (
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)
from tests.factories.supervision import make_agreement, make_relationship

AS_OF = date(2026, 6, 1)
STARTED = date(2026, 1, 5)


def _head_supervising(db, *, other_head: bool):
    """A head of service (no line manager) who has held no session with the
    team manager she supervises since January; the team manager's area is
    hers, or another head's."""
    with db() as session, session.begin():
        org = make_organisation(session)
        head = make_staff(session, org, name="Priya Shah", role=StaffRole.SENIOR_MANAGER)
        make_user(session, head, AppRole.HEAD_OF_SERVICE, AppRole.SUPERVISOR)
        psw = make_staff(session, org, name="Helen Brooks", role=StaffRole.MANAGER)
        make_user(session, psw, AppRole.PRINCIPAL_SOCIAL_WORKER)
        area_head = head
        if other_head:
            area_head = make_staff(session, org, name="Omar Reid", role=StaffRole.SENIOR_MANAGER)
            make_user(session, area_head, AppRole.HEAD_OF_SERVICE)
        area = make_service_area(session, org, head=area_head)
        team = make_team(session, org, area=area)
        manager = make_staff(
            session,
            org,
            name="Tom Hughes",
            role=StaffRole.TEAM_MANAGER,
            team=team,
            line_manager=head,
            started_on=STARTED,
        )
        rel = make_relationship(session, head, manager, started_on=STARTED)
        make_agreement(session, rel, signed_on=STARTED)
        ids = {"org": org.id, "head": head.id, "area_head": area_head.id, "psw": psw.id}
    reconcile(
        organisation_id=ids["org"],
        lifecycles={"personal_supervision"},
        as_of=AS_OF,
        session_factory=db,
    )
    return ids


def _escalations(db):
    with db() as session:
        return list(session.scalars(select(HumanTask).where(HumanTask.kind == "escalation")))


def test_a_head_of_services_own_overdue_supervision_goes_to_the_principal_social_worker(db):
    ids = _head_supervising(db, other_head=False)
    escalations = _escalations(db)
    assert escalations, "the overdue sessions are escalated"
    for task in escalations:
        assert task.assignee_id != ids["head"]
        assert task.candidate_role == AppRole.PRINCIPAL_SOCIAL_WORKER


def test_overdue_supervision_of_someone_in_another_heads_area_goes_to_that_head(db):
    ids = _head_supervising(db, other_head=True)
    escalations = _escalations(db)
    assert escalations
    assert {(t.assignee_id, t.candidate_role) for t in escalations} == {(ids["area_head"], None)}


def test_a_team_managers_overdue_supervision_still_goes_to_their_line_manager(db):
    with db() as session, session.begin():
        org = make_organisation(session)
        head = make_staff(session, org, role=StaffRole.SENIOR_MANAGER)
        make_user(session, head, AppRole.HEAD_OF_SERVICE)
        team = make_team(session, org, area=make_service_area(session, org, head=head))
        manager = make_staff(
            session, org, role=StaffRole.TEAM_MANAGER, team=team, line_manager=head
        )
        make_user(session, manager, AppRole.SUPERVISOR)
        worker = make_staff(session, org, team=team, line_manager=manager, started_on=STARTED)
        rel = make_relationship(session, manager, worker, started_on=STARTED)
        make_agreement(session, rel, signed_on=STARTED)
        org_id, head_id = org.id, head.id
    reconcile(
        organisation_id=org_id, lifecycles={"personal_supervision"}, as_of=AS_OF, session_factory=db
    )
    escalations = _escalations(db)
    assert escalations
    assert {(t.assignee_id, t.candidate_role) for t in escalations} == {(head_id, None)}
