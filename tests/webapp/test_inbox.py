"""The inbox: my open human tasks, soonest due first, overdue ones marked,
each with the reason it exists; nobody else's."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, login, make_task, text_of


def _task_ids_on(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-task-id="(\d+)"', response.get_data(as_text=True))]


def test_an_empty_inbox_says_so_plainly(client, world):
    login(client, world.worker)
    response = client.get("/inbox")
    assert "You have nothing to do." in text_of(response)
    assert 'data-testid="inbox-empty"' in response.get_data(as_text=True)


def test_the_home_page_is_the_inbox(client, world):
    login(client, world.worker)
    assert client.get("/").location == "/inbox"


def test_the_inbox_lists_my_open_tasks_only_soonest_due_first(client, world, db):
    later = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY + timedelta(days=20),
        title="Later task",
    )
    sooner = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY + timedelta(days=3),
        title="Sooner task",
    )
    escalated = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY - timedelta(days=10),
        status="escalated",
        title="Escalated task",
    )
    make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY,
        status="completed",
        title="Done task",
    )
    make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY,
        status="cancelled",
        title="Cancelled task",
    )
    make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.colleague_id,
        due_on=TODAY,
        title="Colleague's task",
    )
    make_task(
        db, organisation_id=world.org_id, assignee_id=None, due_on=TODAY, title="Unassigned task"
    )

    login(client, world.worker)
    response = client.get("/inbox")
    assert _task_ids_on(response) == [escalated, sooner, later]
    text = text_of(response)
    for absent in ("Done task", "Cancelled task", "Colleague's task", "Unassigned task"):
        assert absent not in text
    assert "You have 3 tasks to do" in text


def test_due_dates_read_as_day_month_year(client, world, db):
    make_task(
        db, organisation_id=world.org_id, assignee_id=world.worker_id, due_on=date(2026, 12, 25)
    )
    login(client, world.worker)
    assert "Due 25 December 2026" in text_of(client.get("/inbox"))


def _item_html(response, task_id) -> str:
    html = response.get_data(as_text=True)
    match = re.search(rf'data-task-id="{task_id}".*?</li>', html, flags=re.S)
    assert match, f"task {task_id} is not in the inbox"
    return match.group(0)


@pytest.mark.parametrize(
    ("due_in_days", "status", "overdue", "escalated"),
    [
        (5, "open", False, False),
        (0, "open", False, False),  # due today is not yet overdue
        (-1, "open", True, False),
        (-10, "escalated", True, True),
    ],
    ids=["due later", "due today", "a day late", "late and escalated"],
)
def test_overdue_and_escalated_tasks_carry_a_tag(
    client, world, db, due_in_days, status, overdue, escalated
):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY + timedelta(days=due_in_days),
        status=status,
    )
    login(client, world.worker)
    item = _item_html(client.get("/inbox"), task_id)
    assert ("govuk-tag--red" in item and "Overdue" in item) is overdue
    assert ("govuk-tag--orange" in item and "Escalated" in item) is escalated


def test_each_task_says_why_it_exists_and_cites_the_policy(client, world, db):
    make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY,
        rule_text="Within 6 weeks of starting.",
        source="000_b775b8e7712f1ef5.txt §1.4",
    )
    login(client, world.worker)
    text = text_of(client.get("/inbox"))
    assert "Why: Within 6 weeks of starting." in text
    assert "Lancashire County Council: Supervision Practice Standards, §1.4" in text


def test_the_inbox_uses_the_tasks_the_reconcile_creates(client, world, db):
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    login(client, world.manager)
    text = text_of(client.get("/inbox"))
    assert "Draft and sign the supervision agreement with Sam Worker" in text
    assert "Draft and sign the supervision agreement with Chloe Colleague" in text
    assert "Overdue" in text

    client.post("/logout")
    login(client, world.head)
    text = text_of(client.get("/inbox"))
    assert "Overdue supervision agreement: Grace Manager and Sam Worker" in text


def test_a_task_page_shows_the_task_and_links_to_its_form(client, world, db):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY + timedelta(days=7),
        relationship_id=world.rel_id,
        title="Draft and sign the supervision agreement with Sam Worker",
    )
    login(client, world.manager)
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Draft and sign the supervision agreement with Sam Worker" in text
    assert "Why you have this task" in text
    assert "Lancashire County Council: Supervision Practice Standards, §1.4" in text
    assert f'href="/relationships/{world.rel_id}/agreement/sign"' in response.get_data(as_text=True)


def test_a_completed_task_page_says_it_is_done_and_offers_no_form(client, world, db):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        relationship_id=world.rel_id,
        status="completed",
    )
    login(client, world.manager)
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 200
    assert "/agreement/sign" not in response.get_data(as_text=True)


def test_an_escalation_is_read_only_and_says_what_is_overdue_and_who_it_is_about(client, world, db):
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    login(client, world.head)
    inbox = client.get("/inbox")
    escalation_id = next(i for i in _task_ids_on(inbox) if "Sam Worker" in _item_html(inbox, i))
    response = client.get(f"/tasks/{escalation_id}")
    assert response.status_code == 200
    text = text_of(response)
    html = response.get_data(as_text=True)
    assert "What is overdue" in text
    assert "Draft and sign the supervision agreement with Sam Worker" in text
    assert "Was due 16 February 2026" in text
    assert "Waiting for Grace Manager" in text
    assert "mailto:" in html
    # Nothing to fill in: its only form is the one-button acknowledgement.
    forms = re.findall(r'<form[^>]*action="([^"]+)"', html.split('id="main-content"')[1])
    assert forms == [f"/tasks/{escalation_id}/acknowledge"]
    # It links to where the agreement stands, which the head may open.
    assert f'href="/relationships/{world.rel_id}/agreement"' in html
    assert client.get(f"/relationships/{world.rel_id}/agreement").status_code == 200


@pytest.mark.parametrize("who", ["colleague", "manager", "head", "outsider"])
def test_nobody_but_the_assignee_can_open_a_task_and_a_guess_gets_not_found(client, world, db, who):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY,
        relationship_id=world.rel_id,
        kind="agreement_countersign",
    )
    login(client, getattr(world, who))
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 404
    # The same answer as for an ID that does not exist.
    missing = client.get(f"/tasks/{task_id + 1000}")
    assert missing.status_code == 404
    assert text_of(response) == text_of(missing)


def test_a_signed_out_visitor_cannot_open_a_task(client, world, db):
    task_id = make_task(db, organisation_id=world.org_id, assignee_id=world.worker_id, due_on=TODAY)
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_every_kind_of_task_has_its_own_name_in_the_filter():
    from webapp.human_tasks import KINDS
    from webapp.inbox.routes import _filter_label

    labels = [_filter_label(kind) for kind in KINDS]
    assert len(set(labels)) == len(labels), sorted(labels)
