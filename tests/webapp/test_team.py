"""A manager's team page: their reports' open human tasks reassigned several
at once, and cover while a supervisor is away (the open tasks follow at
once, and come back after)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEntry, HumanTask
from models.actions.inbox import TaskChanged, reassign_tasks
from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, login, make_task, text_of


def _task(db, task_id) -> HumanTask:
    with db() as session:
        task = session.get(HumanTask, task_id)
        session.expunge(task)
        return task


@pytest.fixture
def owed(world, db):
    """The team manager's open agreement tasks after the daily reconcile."""
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    with db() as session:
        return session.scalars(
            select(HumanTask.id).where(
                HumanTask.assignee_id == world.manager_id, HumanTask.kind == "agreement"
            )
        ).all()


@pytest.fixture
def observations(world, db):
    """Two practice observations Grace holds, one about each of her supervisees:
    work anyone who oversees them may do (Helen manages Grace)."""
    return [
        make_task(
            db,
            organisation_id=world.org_id,
            assignee_id=world.manager_id,
            due_on=TODAY,
            kind="practice_observation",
            subject_staff_id=subject,
        )
        for subject in (world.worker_id, world.colleague_id)
    ]


# --- a manager's bulk reassignment ---------------------------------------------------


def test_a_manager_sees_their_reports_tasks_and_reassigns_several_at_once(
    client, world, observations, db
):
    owed = observations
    login(client, world.head)  # Helen line-manages Grace
    page = client.get("/team")
    assert page.status_code == 200
    assert sorted(_row_ids(page)) == sorted(owed)
    response = client.post(
        "/team/reassign",
        data={
            "task_id": [str(i) for i in owed],
            "to_staff": str(world.head_id),
            "reason": "Grace's caseload is being rebalanced",
        },
    )
    assert response.location == "/team"
    for task_id in owed:
        task = _task(db, task_id)
        assert task.assignee_id == world.head_id
        assert task.reassigned_reason == "Grace's caseload is being rebalanced"
    with db() as session:
        assert (
            session.scalar(
                select(AuditEntry.detail).where(
                    AuditEntry.action == "reassign", AuditEntry.object_id == str(owed[0])
                )
            )
            == "Moved from Grace Manager to Helen Head by Helen Head: "
            "Grace's caseload is being rebalanced"
        )


def _row_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'<tr[^>]*data-task-id="(\d+)"', response.get_data(True))]


def test_bulk_reassignment_with_nothing_ticked_says_so_and_keeps_the_reason(client, world, owed):
    login(client, world.head)
    response = client.post(
        "/team/reassign", data={"to_staff": str(world.head_id), "reason": "Rebalancing"}
    )
    assert "Select at least one task to reassign" in text_of(response)
    assert "Rebalancing" in response.get_data(as_text=True)


def test_a_manager_cannot_reassign_a_task_of_someone_they_do_not_manage(world, db):
    task_id = make_task(db, organisation_id=world.org_id, assignee_id=world.worker_id, due_on=TODAY)
    with pytest.raises(TaskChanged, match="no longer yours to reassign"):
        reassign_tasks(
            task_ids=[task_id],
            by_staff_id=world.head_id,  # manages Grace, not Sam
            to_staff_id=world.manager_id,
            reason="x",
            allowed_assignee_ids={world.manager_id},
            session_factory=db,
        )
    assert _task(db, task_id).assignee_id == world.worker_id


def test_someone_who_manages_nobody_has_no_team_page(client, world):
    login(client, world.worker)
    assert client.get("/team").status_code == 404
    assert "Your team" not in text_of(client.get("/inbox"))


# --- cover while a supervisor is away --------------------------------------------------


def test_cover_moves_the_supervisors_open_tasks_at_once_and_back_after(client, world, owed, db):
    login(client, world.head)
    response = client.post(
        f"/people/{world.manager_id}/cover",
        data={
            "cover_staff": str(world.head_id),
            "starts_on": ["2", "3", "2026"],
            "ends_on": ["20", "3", "2026"],
            "reason": "Annual leave",
        },
    )
    assert response.location == f"/people/{world.manager_id}"
    for task_id in owed:
        task = _task(db, task_id)
        assert (task.assignee_id, task.original_assignee_id, task.reassignment) == (
            world.head_id,
            world.manager_id,
            "cover",
        )
    assert "You are covering for Grace Manager" in text_of(client.get(f"/tasks/{owed[0]}"))
    # The day after the absence ends, the daily reconcile gives them back.
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"agreement"},
        as_of=TODAY + timedelta(days=19),
        session_factory=db,
    )
    assert {_task(db, t).assignee_id for t in owed} == {world.manager_id}


def test_only_someone_who_manages_the_supervisor_arranges_their_cover(client, world, db):
    login(client, world.head)
    assert client.get(f"/people/{world.manager_id}/cover").status_code == 200
    for username in (world.manager, world.worker):  # themselves; their supervisee
        login(client, username)
        assert client.get(f"/people/{world.manager_id}/cover").status_code == 404
        assert (
            client.post(
                f"/people/{world.manager_id}/cover",
                data={
                    "cover_staff": str(world.head_id),
                    "starts_on": ["2", "3", "2026"],
                    "ends_on": ["20", "3", "2026"],
                },
            ).status_code
            == 404
        )


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (["", "", ""], ["20", "3", "2026"], "Enter the first day away"),
        (["31", "2", "2026"], ["20", "3", "2026"], "First day away must be a real date"),
        (["20", "3", "2026"], ["2", "3", "2026"], "must be on or after the first day away"),
    ],
)
def test_the_cover_form_names_each_mistake_and_keeps_what_was_typed(
    client, world, starts, ends, message
):
    login(client, world.head)
    response = client.post(
        f"/people/{world.manager_id}/cover",
        data={"cover_staff": str(world.head_id), "starts_on": starts, "ends_on": ends},
    )
    assert message in text_of(response)
    html = response.get_data(as_text=True)
    for value in starts + ends:
        if value:
            assert f'value="{value}"' in html


def test_cover_that_overlaps_existing_cover_is_refused(client, world, db):
    data = {
        "cover_staff": str(world.head_id),
        "starts_on": ["2", "3", "2026"],
        "ends_on": ["20", "3", "2026"],
    }
    login(client, world.head)
    client.post(f"/people/{world.manager_id}/cover", data=data)
    response = client.post(f"/people/{world.manager_id}/cover", data=data)
    assert "already has cover arranged from 2 March 2026" in text_of(response)
