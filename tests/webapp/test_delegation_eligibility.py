"""Handing a task on: only to someone who may do that kind of task for its
subject (`acted_by` in policy/kinds/), never to the person it is about; a
kind only its holder can do is refused in the inbox, on the team page and in
the API alike; the choice lists show only eligible people; and holding a task
about someone lets a person read their records only while it is open."""

from __future__ import annotations

import pytest

from models import HumanTask
from models.actions.errors import NotPermitted
from models.actions.inbox import reassign_tasks
from tests.webapp.conftest import TODAY, login, make_task, text_of

HEADER = {"X-Requested-With": "XMLHttpRequest"}


def _assignee(db, task_id) -> int | None:
    with db() as session:
        return session.get(HumanTask, task_id).assignee_id


@pytest.fixture
def registration_check(world, db):
    """Sam's registration check, in Grace's inbox (she supervises Sam)."""
    return make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        kind="registration_check",
        subject_staff_id=world.worker_id,
    )


def _options(response) -> set[str]:
    import re

    html = response.get_data(as_text=True)
    select = re.search(r'<select[^>]*name="to_staff".*?</select>', html, re.S).group(0)
    return set(re.findall(r'<option value="(\d+)"', select))


def test_a_registration_check_cannot_be_delegated_to_the_person_being_checked(
    client, world, db, registration_check
):
    login(client, world.manager)
    page = client.get(f"/tasks/{registration_check}/delegate")
    assert str(world.worker_id) not in _options(page)
    response = client.post(
        f"/tasks/{registration_check}/delegate",
        data={"to_staff": str(world.worker_id), "reason": "Please check yourself"},
    )
    assert response.status_code == 200
    assert "Choose who to give the task to" in text_of(response)
    assert _assignee(db, registration_check) == world.manager_id
    with pytest.raises(NotPermitted, match="cannot do"):
        reassign_tasks(
            task_ids=[registration_check],
            by_staff_id=world.manager_id,
            to_staff_id=world.worker_id,
            reason="x",
            session_factory=db,
        )
    assert _assignee(db, registration_check) == world.manager_id


def test_supervision_work_goes_only_to_the_supervisor_or_their_cover(
    client, world, db, registration_check
):
    """Helen manages Grace but does not supervise Sam: a registration check is
    the supervisor's (or cover's) to do, so nobody else is offered."""
    login(client, world.manager)
    assert _options(client.get(f"/tasks/{registration_check}/delegate")) == set()
    response = client.post(
        f"/tasks/{registration_check}/delegate",
        data={"to_staff": str(world.head_id), "reason": "Leave"},
    )
    assert "Choose who to give the task to" in text_of(response)
    api = client.post(
        f"/api/tasks/{registration_check}/reassign",
        headers=HEADER,
        json={"to_staff_id": world.colleague_id, "reason": "Leave"},
    )
    assert api.status_code == 422
    assert _assignee(db, registration_check) == world.manager_id


def test_the_choice_list_offers_whoever_oversees_the_subject_and_nobody_else(client, world, db):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        kind="practice_observation",
        subject_staff_id=world.worker_id,
    )
    login(client, world.manager)
    options = _options(client.get(f"/tasks/{task_id}/delegate"))
    assert str(world.head_id) in options  # manages Sam's supervisor
    assert str(world.worker_id) not in options  # the person observed
    assert str(world.colleague_id) not in options  # a supervisee with no oversight of Sam
    assert str(world.outsider_id) not in options  # another council


@pytest.mark.parametrize(
    "kind", ["agreement", "agreement_review", "agreement_countersign", "review_questionnaire_read"]
)
def test_a_kind_only_its_holder_can_do_is_refused_by_the_team_page_and_the_api(
    client, world, db, kind
):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        kind=kind,
        relationship_id=world.rel_id,
        subject_staff_id=world.worker_id,
    )
    login(client, world.head)  # Helen manages Grace
    response = client.post(
        "/team/reassign",
        data={"task_id": [str(task_id)], "to_staff": str(world.head_id), "reason": "Leave"},
    )
    assert "can only be done by the person named on it" in text_of(response)
    api = client.post(
        f"/api/tasks/{task_id}/reassign",
        headers=HEADER,
        json={"to_staff_id": world.head_id, "reason": "Leave"},
    )
    assert api.status_code == 409
    assert _assignee(db, task_id) == world.manager_id


def test_a_task_about_a_relationship_lets_its_holder_read_it_only_while_it_is_open(
    client, world, db
):
    """An escalation about Chloe's supervision handed to Sam, who otherwise
    has no business with Chloe's records."""
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY,
        kind="escalation",
        relationship_id=world.colleague_rel_id,
        subject_staff_id=world.colleague_id,
        key=f"escalation:agreement:rel-{world.colleague_rel_id}",
    )
    login(client, world.worker)
    agreement = f"/relationships/{world.colleague_rel_id}/agreement"
    assert client.get(agreement).status_code == 200
    with db() as session, session.begin():
        session.get(HumanTask, task_id).complete(world.worker_id, "acknowledged")
    assert client.get(agreement).status_code == 404
