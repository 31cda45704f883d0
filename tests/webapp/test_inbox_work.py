"""Working the inbox: filters that live in the address, group tasks that one
person claims and can release, delegating with a reason, and acknowledging
an escalation. A manager's team page is tests/webapp/test_team.py."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry, HumanTask, OutboxEvent, StaffRole
from models.actions.errors import ActionError
from models.actions.inbox import TaskChanged, claim_task, release_task
from models.engine.reconcile import reconcile
from tests.factories import make_staff, make_user
from tests.webapp.conftest import TODAY, login, make_task, text_of


def _ids(response, testid="inbox") -> list[int]:
    html = response.get_data(as_text=True)
    match = re.search(rf'data-testid="{testid}">(.*?)</ul>', html, flags=re.S)
    return [int(i) for i in re.findall(r'data-task-id="(\d+)"', match.group(1))] if match else []


def _task(db, task_id) -> HumanTask:
    with db() as session:
        task = session.get(HumanTask, task_id)
        session.expunge(task)
        return task


@pytest.fixture
def group_task(world, db):
    """A task offered to any head of service, about Sam Worker."""
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=None,
        due_on=TODAY + timedelta(days=10),
        kind="sampling",
        title="Sample this quarter's records",
        subject_staff_id=world.worker_id,
    )
    with db() as session, session.begin():
        session.get(HumanTask, task_id).candidate_role = AppRole.HEAD_OF_SERVICE
    return task_id


@pytest.fixture
def second_head(world, db):
    """Harriet heads the service area Sam's team is in; Helen line-manages
    Grace, Sam's supervisor: both may see Sam."""
    from models import Organisation, ServiceArea, StaffMember, Team

    with db() as session, session.begin():
        org = session.get(Organisation, world.org_id)
        head2 = make_staff(session, org, name="Harriet Head", role=StaffRole.SENIOR_MANAGER)
        make_user(session, head2, AppRole.HEAD_OF_SERVICE, username="head2")
        team = session.get(Team, session.get(StaffMember, world.worker_id).team_id)
        session.get(ServiceArea, team.service_area_id).head_of_service_id = head2.id
        return head2.id


# --- filters ----------------------------------------------------------------


@pytest.fixture
def mixed_inbox(world, db):
    mk = lambda days, kind="agreement", status="open", subject=None: make_task(  # noqa: E731
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY + timedelta(days=days),
        kind=kind,
        status=status,
        subject_staff_id=subject,
    )
    return {
        "overdue": mk(-3, status="escalated", subject=world.worker_id),
        "today": mk(0, kind="escalation", subject=world.colleague_id),
        "in_ten_days": mk(10),
        "later": mk(60, kind="escalation"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["overdue", "today", "in_ten_days", "later"]),
        ("?due=overdue", ["overdue"]),
        # 2 March 2026 is a Monday: "this week" runs to Sunday 8 March.
        ("?due=week", ["today"]),
        ("?due=four_weeks", ["today", "in_ten_days"]),
        ("?due=later", ["later"]),
        ("?kind=escalation", ["today", "later"]),
        ("?kind=escalation&kind=agreement", ["overdue", "today", "in_ten_days", "later"]),
        ("?status=escalated", ["overdue"]),
        ("?status=open", ["today", "in_ten_days", "later"]),
        ("?kind=escalation&due=four_weeks", ["today"]),
        ("?due=nonsense", ["overdue", "today", "in_ten_days", "later"]),
    ],
)
def test_the_inbox_filters_by_kind_due_window_and_status_from_the_address(
    client, world, mixed_inbox, query, expected
):
    login(client, world.manager)
    response = client.get(f"/inbox{query}")
    assert response.status_code == 200
    assert _ids(response) == [mixed_inbox[name] for name in expected]


def test_the_team_filter_keeps_tasks_about_people_in_that_team(client, world, mixed_inbox, db):
    from models import StaffMember

    with db() as session:
        team_id = session.get(StaffMember, world.worker_id).team_id
    login(client, world.manager)
    response = client.get(f"/inbox?team={team_id}")
    assert _ids(response) == [mixed_inbox["overdue"], mixed_inbox["today"]]


def test_the_filter_form_is_a_get_form_of_gov_uk_checkboxes_and_radios_that_shows_the_choices(
    client, world, mixed_inbox
):
    login(client, world.manager)
    html = client.get("/inbox?kind=escalation&due=week").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/inbox".*?</form>', html, flags=re.S).group(0)
    assert "govuk-checkboxes__input" in form and "govuk-radios__input" in form
    assert re.search(r'name="kind" type="checkbox" value="escalation" checked', form)
    assert re.search(r'name="due" type="radio" value="week" checked', form)
    assert "Clear filters" in html
    assert "Showing 1 of 4 tasks" in text_of(client.get("/inbox?kind=escalation&due=week"))


# --- group tasks: claim and release --------------------------------------------


def test_a_group_task_is_offered_to_everyone_holding_the_role_in_scope(
    client, world, group_task, second_head
):
    for who in ("head", "head2"):
        login(client, who)
        response = client.get("/inbox")
        assert _ids(response, "offered") == [group_task], who
        assert "Offered to heads of service" in text_of(response)
        client.post("/logout")
    for who in ("manager", "worker"):
        login(client, who)
        assert group_task not in _ids(client.get("/inbox"), "offered")
        assert client.get(f"/tasks/{group_task}").status_code == 404
        client.post("/logout")


def test_one_head_claims_it_the_other_no_longer_sees_it_and_release_offers_it_again(
    client, world, group_task, second_head, db
):
    login(client, "head")
    response = client.post(f"/tasks/{group_task}/claim")
    assert response.location == f"/tasks/{group_task}"
    task = _task(db, group_task)
    assert task.assignee_id == world.head_id and task.claimed_at is not None
    assert _ids(client.get("/inbox")) == [group_task]
    client.post("/logout")

    login(client, "head2")
    assert _ids(client.get("/inbox"), "offered") == []
    assert client.get(f"/tasks/{group_task}").status_code == 404
    assert client.post(f"/tasks/{group_task}/claim").status_code == 404
    client.post("/logout")

    login(client, "head")
    assert "Release it to heads of service" in text_of(client.get(f"/tasks/{group_task}"))
    client.post(f"/tasks/{group_task}/release")
    task = _task(db, group_task)
    assert task.assignee_id is None and task.claimed_at is None
    client.post("/logout")
    login(client, "head2")
    assert _ids(client.get("/inbox"), "offered") == [group_task]


def test_two_claims_at_once_one_wins_and_the_other_is_told_plainly(
    world, group_task, second_head, db
):
    claim_task(task_id=group_task, staff_id=world.head_id, session_factory=db)
    with pytest.raises(TaskChanged, match="Helen Head has already claimed this task"):
        claim_task(task_id=group_task, staff_id=second_head, session_factory=db)
    # Claiming your own claimed task again changes nothing.
    claim_task(task_id=group_task, staff_id=world.head_id, session_factory=db)
    assert _task(db, group_task).assignee_id == world.head_id


def test_someone_without_the_role_cannot_claim_and_only_the_claimer_can_release(
    world, group_task, db
):
    with pytest.raises(ActionError, match="role you do not hold"):
        claim_task(task_id=group_task, staff_id=world.manager_id, session_factory=db)
    claim_task(task_id=group_task, staff_id=world.head_id, session_factory=db)
    with pytest.raises(TaskChanged):
        release_task(task_id=group_task, staff_id=world.manager_id, session_factory=db)


def test_claiming_and_releasing_are_audited_and_sent_to_the_outbox(world, group_task, db):
    claim_task(task_id=group_task, staff_id=world.head_id, actor_user_id=None, session_factory=db)
    release_task(task_id=group_task, staff_id=world.head_id, session_factory=db)
    with db() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_id == str(group_task))
            .order_by(AuditEntry.id)
        ).all()
        events = session.scalars(select(OutboxEvent.event).order_by(OutboxEvent.id)).all()
    assert actions == ["claim", "release"]
    assert events == ["oversight.human-task.claim", "oversight.human-task.release"]


def test_the_reconcile_leaves_a_claimed_group_task_with_the_person_who_claimed_it(
    client, world, db
):
    """A real group task from the engine: an agreement escalation for a
    supervisee whose supervisor has no line manager goes to heads of service."""
    from models import StaffMember

    with db() as session, session.begin():
        session.get(StaffMember, world.manager_id).line_manager_id = None
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    with db() as session:
        offered = session.scalars(
            select(HumanTask).where(HumanTask.assignee_id.is_(None), HumanTask.status == "open")
        ).all()
    if not offered:
        pytest.skip("this profile's escalation names a person, so there is no group task")
    task_id = offered[0].id
    claim_task(task_id=task_id, staff_id=world.head_id, session_factory=db)
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    assert _task(db, task_id).assignee_id == world.head_id


# --- delegation -----------------------------------------------------------------


@pytest.fixture
def owed(world, db):
    """A practice observation of Sam that Grace holds: work anyone who oversees
    Sam may do (Helen manages Grace), so Grace may hand it to Helen."""
    return [
        make_task(
            db,
            organisation_id=world.org_id,
            assignee_id=world.manager_id,
            due_on=TODAY,
            kind="practice_observation",
            subject_staff_id=world.worker_id,
        )
    ]


def test_delegating_needs_a_person_and_a_reason_and_keeps_what_was_typed(client, world, owed):
    login(client, world.manager)
    response = client.post(f"/tasks/{owed[0]}/delegate", data={"reason": "I am on a course"})
    text = text_of(response)
    assert "There is a problem" in text
    assert "Choose who to give the task to" in text
    assert "I am on a course" in response.get_data(as_text=True)
    response = client.post(f"/tasks/{owed[0]}/delegate", data={"to_staff": str(world.head_id)})
    assert "Enter why you are giving the task to someone else" in text_of(response)


def test_a_delegated_task_moves_with_its_reason_and_the_reconcile_leaves_it(client, world, db):
    """Helen hands the escalation about Sam's supervision to Grace, who oversees
    Sam; the daily reconcile leaves it with Grace."""
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    with db() as session:
        task_id = session.scalars(
            select(HumanTask.id).where(
                HumanTask.assignee_id == world.head_id,
                HumanTask.kind == "escalation",
                HumanTask.subject_staff_id == world.worker_id,
            )
        ).one()
    login(client, world.head)
    response = client.post(
        f"/tasks/{task_id}/delegate",
        data={"to_staff": str(world.manager_id), "reason": "Helen is on a course all week"},
    )
    assert response.location == "/inbox"
    task = _task(db, task_id)
    assert (task.assignee_id, task.original_assignee_id) == (world.manager_id, world.head_id)
    assert (task.reassignment, task.reassigned_reason) == (
        "delegated",
        "Helen is on a course all week",
    )
    assert task_id not in _ids(client.get("/inbox"))
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    assert _task(db, task_id).assignee_id == world.manager_id
    client.post("/logout")
    login(client, world.manager)
    text = text_of(client.get(f"/tasks/{task_id}"))
    assert "Reassigned from Helen Head: Helen is on a course all week" in text


def test_a_supervisee_cannot_hand_their_countersignature_to_someone_else(client, world, db):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY,
        kind="agreement_countersign",
        relationship_id=world.rel_id,
    )
    login(client, world.worker)
    assert "Give this task to someone else" not in text_of(client.get(f"/tasks/{task_id}"))
    client.post(f"/tasks/{task_id}/delegate", data={"to_staff": str(world.head_id), "reason": "x"})
    assert _task(db, task_id).assignee_id == world.worker_id


# --- acknowledgement --------------------------------------------------------------


def test_acknowledging_an_escalation_closes_it_until_the_next_daily_check(client, world, db):
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    with db() as session:
        escalation = session.scalars(
            select(HumanTask.id).where(
                HumanTask.kind == "escalation", HumanTask.assignee_id == world.head_id
            )
        ).first()
    login(client, world.head)
    client.post(f"/tasks/{escalation}/acknowledge")
    task = _task(db, escalation)
    assert (task.status, task.closed_reason) == ("completed", "acknowledged")
    assert escalation not in _ids(client.get("/inbox"))
    # Still overdue at the next daily check: it comes back.
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    assert _task(db, escalation).status in ("open", "escalated")


def test_a_task_with_a_form_cannot_be_acknowledged(client, world, owed, db):
    login(client, world.manager)
    client.post(f"/tasks/{owed[0]}/acknowledge")
    assert _task(db, owed[0]).status != "completed"
