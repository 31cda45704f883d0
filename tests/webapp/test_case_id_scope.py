"""A case ID typed into a form reaches only the cases of people the writer
supervises, covers for or manages: another team's child's case gets a field
error on the supervision record form and a refusal from the action, and
nothing is written or completed on it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import AppRole, CaseAllocation, CaseSupervision, HumanTask, StaffRole
from models.actions.case_supervision import CaseDiscussion, record_case_supervision
from models.actions.errors import NotPermitted
from tests.webapp.conftest import TODAY, login, make_task, text_of
from tests.webapp.test_sessions import _owner, _session_ids, _with
from tests.worlds.builder import Council

OTHER_CASE = "LCS-777001"
OWN_CASE = "LCS-204511"


@pytest.fixture
def other_team(world, db):
    """Another team in Testshire: Olive supervises Wes, whose case is
    LCS-777001 with its case supervision task in Olive's inbox."""
    with db() as session, session.begin():
        council = Council.of(session, world.org_id)
        team = council.team("Assessment Team 2")
        olive = council.person("Olive Other", StaffRole.TEAM_MANAGER, team=team)
        wes = council.person("Wes Worker", line_manager=olive, team=team)
        council.supervises(olive, wes)
        council.account(olive, AppRole.SUPERVISOR, username="olive")
        council.case(wes, OTHER_CASE, allocated_on=date(2026, 1, 12))
        council.case(world.worker_id, OWN_CASE, allocated_on=date(2026, 1, 12))
        olive_id, wes_id = olive.id, wes.id
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=olive_id,
        due_on=TODAY,
        kind="case_supervision",
        subject_staff_id=wes_id,
        key=f"case:{OTHER_CASE}:2026-03-01",
    )
    return {"olive": olive_id, "wes": wes_id, "task": task_id}


def _directions(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(CaseSupervision))


def _task_status(db, task_id) -> str:
    with db() as session:
        return session.get(HumanTask, task_id).status.value


def test_the_record_form_refuses_another_teams_case_id_on_its_field(client, world, db, other_team):
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new",
        data=_owner(
            world, _with(**{"cases-0-case_ref": OTHER_CASE, "cases-0-decision": "Close it"})
        ),
    )
    assert response.status_code == 200
    text = text_of(response)
    assert f"There is no open case {OTHER_CASE} allocated to anyone you supervise" in text
    assert 'href="#cases-0-case_ref"' in response.get_data(as_text=True)
    assert _session_ids(db) == [] and _directions(db) == 0
    assert _task_status(db, other_team["task"]) == "open"
    login(client, "olive")
    assert "Close it" not in text_of(client.get(f"/cases/{OTHER_CASE}"))


def test_the_record_form_takes_a_case_of_the_supervisors_own_supervisee(
    client, world, db, other_team
):
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new",
        data=_owner(world, _with(**{"cases-0-case_ref": OWN_CASE, "cases-0-decision": "Visit"})),
    )
    assert response.status_code == 302
    assert _directions(db) == 1


def test_the_action_refuses_a_direction_on_a_case_outside_the_writers_scope(world, db, other_team):
    with pytest.raises(NotPermitted, match=f"no open case {OTHER_CASE} allocated to anyone"):
        record_case_supervision(
            case_ref=OTHER_CASE,
            supervisor_staff_id=world.manager_id,
            supervised_on=TODAY,
            discussion=CaseDiscussion(OTHER_CASE, "Close it"),
            on=TODAY,
            task_key=f"case:{OTHER_CASE}:2026-03-01",
            session_factory=db,
        )
    assert _directions(db) == 0
    assert _task_status(db, other_team["task"]) == "open"


def test_a_task_named_by_the_form_completes_only_its_own_cases_supervision(world, db, other_team):
    """Recording a direction on my own case with another case's task key does
    not complete that other case's task."""
    record_case_supervision(
        case_ref=OWN_CASE,
        supervisor_staff_id=world.manager_id,
        supervised_on=TODAY,
        discussion=CaseDiscussion(OWN_CASE, "Visit weekly"),
        on=TODAY,
        task_key=f"case:{OTHER_CASE}:2026-03-01",
        session_factory=db,
    )
    assert _task_status(db, other_team["task"]) == "open"
    with db() as session:
        (direction,) = session.scalars(select(CaseSupervision)).all()
        assert session.get(CaseAllocation, direction.allocation_id).case_ref == OWN_CASE
