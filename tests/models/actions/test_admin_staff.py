"""The workforce team's changes to people, as actions: who may make them,
what they refuse, and what a change of line manager or leaving does."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry, StaffMember, StaffRole
from models.actions.admin_relationships import end_relationship, name_supervisor
from models.actions.admin_staff import FieldProblem, edit_staff, record_leaving
from models.actions.errors import ActionError, NotPermitted
from models.tables.supervision import SupervisionRelationship
from tests.factories.people import (
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)

ON = date(2026, 3, 2)


@pytest.fixture
def council(db):
    """Two areas; Hana heads the first; Fay is the workforce team."""
    with db() as session, session.begin():
        org = make_organisation(session)
        hana = make_staff(session, org, role=StaffRole.SENIOR_MANAGER)
        first = make_team(session, org, area=make_service_area(session, org, head=hana))
        second = make_team(session, org, name="Other", area=make_service_area(session, org))
        boss = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=first)
        mine = make_staff(session, org, team=first, line_manager=boss)
        theirs = make_staff(session, org, team=second)
        fay = make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT)
        return {
            "hana": make_user(session, hana, AppRole.HEAD_OF_SERVICE).id,
            "fay": make_user(session, fay, AppRole.WORKFORCE_TEAM).id,
            "worker": make_user(session, mine, AppRole.SUPERVISEE).id,
            "boss": boss.id,
            "mine": mine.id,
            "theirs": theirs.id,
        }


def test_a_head_of_service_changes_only_the_people_of_the_areas_they_head(db, council):
    done = edit_staff(
        actor_user_id=council["hana"],
        staff_id=council["mine"],
        values={"job_title": "Senior practitioner"},
        on=ON,
    )
    assert done.changes == (
        f"changed {done_number(db, council['mine'])}: job_title: (none) -> Senior practitioner",
    )
    with pytest.raises(NotPermitted):
        edit_staff(
            actor_user_id=council["hana"],
            staff_id=council["theirs"],
            values={"job_title": "x"},
            on=ON,
        )


def done_number(db, staff_id):
    with db() as session:
        return session.get(StaffMember, staff_id).staff_number


def test_a_worker_cannot_change_the_organisation(council):
    with pytest.raises(NotPermitted):
        record_leaving(actor_user_id=council["worker"], staff_id=council["mine"], left_on=ON, on=ON)


def test_a_line_manager_who_is_managed_by_the_person_is_refused(db, council):
    with pytest.raises(FieldProblem, match="managed by this person") as refused:
        edit_staff(
            actor_user_id=council["fay"],
            staff_id=council["boss"],
            values={"line_manager_id": council["mine"]},
            on=ON,
        )
    assert refused.value.field == "line_manager_id"
    with db() as session:
        assert session.get(StaffMember, council["boss"]).line_manager_id is None


def test_naming_a_new_supervisor_ends_the_old_relationship_and_records_both(db, council):
    name_supervisor(
        actor_user_id=council["fay"],
        supervisee_id=council["mine"],
        supervisor_id=council["boss"],
        reason="new_starter",
        started_on=date(2026, 1, 5),
        on=ON,
    )
    done = name_supervisor(
        actor_user_id=council["fay"],
        supervisee_id=council["mine"],
        supervisor_id=council["theirs"],
        reason="change_of_supervisor",
        started_on=date(2026, 2, 20),
        on=ON,
    )

    with db() as session:
        rels = session.scalars(
            select(SupervisionRelationship).order_by(SupervisionRelationship.id)
        ).all()
        assert [(r.supervisor_id, r.ended_on, r.reason.value) for r in rels] == [
            (council["boss"], date(2026, 2, 20), "new_starter"),
            (council["theirs"], None, "change_of_supervisor"),
        ]
        trail = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.object_type == "supervision_relationship")
        ).all()
        assert any("ended_on: (none) -> 2026-02-20" in d for d in trail)
    with pytest.raises(ActionError, match="already their supervisor"):
        name_supervisor(
            actor_user_id=council["fay"],
            supervisee_id=council["mine"],
            supervisor_id=council["theirs"],
            reason="change_of_supervisor",
            started_on=date(2026, 2, 21),
            on=ON,
        )
    end_relationship(
        actor_user_id=council["fay"], relationship_id=done.relationship_id, ended_on=ON, on=ON
    )
    with pytest.raises(ActionError, match="already ended"):
        end_relationship(
            actor_user_id=council["fay"], relationship_id=done.relationship_id, ended_on=ON, on=ON
        )
