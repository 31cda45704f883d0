"""The team page's bulk reassignment offers only people who may take the
tasks (models.actions.eligibility, the rule the action checks): any task
shown when nothing is ticked, every ticked task when the page comes back
with some ticked; worked out in one query whatever the number of tasks."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import AppRole, UserAccount
from tests.factories import make_cover, make_staff, make_user
from tests.statements import statements_during
from tests.webapp.conftest import TODAY, login, make_task, text_of
from tests.worlds.small_council import add_every_role


def _options(response) -> set[str]:
    html = response.get_data(as_text=True)
    select = re.search(r'<select[^>]*name="to_staff".*?</select>', html, re.S).group(0)
    return set(re.findall(r'<option value="(\d+)"', select))


@pytest.fixture
def everyone(world, db):
    """The small council plus a principal social worker, the workforce team
    and an auditor: username -> staff id of each."""
    add_every_role(db, world)
    with db() as session:
        return dict(session.execute(select(UserAccount.username, UserAccount.staff_id)).all())


def _grace_holds(db, world, kind, subject) -> int:
    return make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        kind=kind,
        subject_staff_id=subject,
    )


def test_nobody_is_offered_who_could_not_take_any_task_shown(client, world, db, everyone):
    """Sam's practice observation is oversight work (Helen manages Grace, the
    principal social worker and the workforce team oversee everyone); Chloe's
    registration check is her supervisor's alone, and Grace holds it."""
    _grace_holds(db, world, "practice_observation", world.worker_id)
    _grace_holds(db, world, "registration_check", world.colleague_id)
    login(client, world.head)
    offered = _options(client.get("/team"))
    assert offered == {
        str(everyone["head"]),
        str(everyone["principal_social_worker"]),
        str(everyone["workforce_team"]),
    }
    # Never the subject, a supervisee with no oversight, the holder or the auditor.
    for username in ("worker", "colleague", "manager", "auditor"):
        assert str(everyone[username]) not in offered


def test_with_tasks_ticked_the_list_is_those_who_may_take_every_one(client, world, db, everyone):
    observation = _grace_holds(db, world, "practice_observation", world.worker_id)
    check = _grace_holds(db, world, "registration_check", world.colleague_id)
    login(client, world.head)
    # No reason given, so the page comes back with the two still ticked.
    both = client.post("/team/reassign", data={"task_id": [observation], "to_staff": ""})
    assert _options(both) == {
        str(everyone["head"]),
        str(everyone["principal_social_worker"]),
        str(everyone["workforce_team"]),
    }
    stuck = client.post(
        "/team/reassign",
        data={"task_id": [observation, check], "to_staff": str(world.head_id), "reason": "Leave"},
    )
    assert "Nobody else may do" in text_of(stuck)
    assert _options(stuck) == set()


def test_someone_offered_for_one_task_is_refused_for_a_ticked_task_they_may_not_do(
    client, world, db, everyone
):
    """Helen may take Sam's observation but not Sam's registration check,
    which Grace's cover could; the action says which task and why."""
    with db() as session, session.begin():
        cover = make_staff(session, world.org_id, name="Carl Cover")
        make_user(session, cover, AppRole.SUPERVISOR, username="carl")
        make_cover(session, world.manager_id, cover, starts_on=TODAY)
    observation = _grace_holds(db, world, "practice_observation", world.worker_id)
    check = _grace_holds(db, world, "registration_check", world.worker_id)
    login(client, world.head)
    response = client.post(
        "/team/reassign",
        data={"task_id": [observation, check], "to_staff": str(world.head_id), "reason": "Leave"},
    )
    assert "Helen Head cannot do" in text_of(response)
    assert _options(response) == {str(cover.id)}


def test_the_choices_take_the_same_number_of_queries_for_two_tasks_or_twelve(
    app, world, db, everyone
):
    def statements_for_team_page() -> int:
        client = app.test_client()
        login(client, world.head)
        response, statements = statements_during(db.kw["bind"], lambda: client.get("/team"))
        assert response.status_code == 200
        return statements

    for subject in (world.worker_id, world.colleague_id):
        _grace_holds(db, world, "practice_observation", subject)
    few = statements_for_team_page()
    for _ in range(5):
        for subject in (world.worker_id, world.colleague_id):
            _grace_holds(db, world, "practice_observation", subject)
    assert statements_for_team_page() == few
