"""Actions agreed in supervision through the web app: the owner's inbox has
the action, overdue once its date has passed; the task leads to the
supervisee's actions, where the owner marks it done with a note; anyone whose
scope covers the supervisee reads them; the next record lists it for review."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import HumanTask, Organisation, SessionAction
from models.engine.reconcile import reconcile
from policy.dates import long_date
from tests.factories import make_session
from tests.webapp.conftest import TODAY, login, text_of

DAY = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]
AGREED = TODAY - timedelta(days=21)
DUE = TODAY - timedelta(days=7)  # overdue today


@pytest.fixture
def overdue_action(world, db) -> int:
    """Wokingham; Sam Worker owns an action from a session three weeks ago, due a week ago."""
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = "wokingham"
        held = make_session(session, world.rel_id, held_on=AGREED, status="held",
                            recorded_on=AGREED)  # fmt: skip
        action = SessionAction(session_id=held.id, description="Send the chronology to legal",
                               owner_id=world.worker_id, due_on=DUE)  # fmt: skip
        session.add(action)
        session.flush()
        action_id = action.id
    reconcile(organisation_id=world.org_id, lifecycles={"recording"}, as_of=TODAY,
              session_factory=db)  # fmt: skip
    return action_id


def task_of(db, action_id: int) -> HumanTask:
    with db() as session:
        return session.scalars(
            select(HumanTask).where(HumanTask.key == f"action:act-{action_id}")
        ).one()


def test_the_overdue_action_is_in_the_owners_inbox_and_leads_to_the_form(
    client, world, db, overdue_action
):
    task = task_of(db, overdue_action)
    assert task.assignee_id == world.worker_id and task.due_on == DUE
    login(client, world.worker)

    inbox = html.unescape(text_of(client.get("/inbox")))
    assert f"Complete an action agreed in Sam Worker's supervision, due {long_date(DUE)}" in inbox
    page = client.get(f"/tasks/{task.id}")
    assert f"/staff/{world.worker_id}/actions" in page.get_data(as_text=True)
    actions = text_of(client.get(f"/staff/{world.worker_id}/actions"))
    assert "Send the chronology to legal" in actions and "Overdue" in actions
    assert "Mark done: Send the chronology to legal" in actions


def test_the_owner_marks_it_done_with_a_note_and_the_task_is_done(
    client, world, db, overdue_action
):
    login(client, world.worker)
    response = client.post(
        f"/session-actions/{overdue_action}/done",
        data={"done_on": DAY, "note": "Sent by email."},
        follow_redirects=True,
    )
    page = text_of(response)
    assert "You marked “Send the chronology to legal” done." in page
    assert "Sent by email." in page and "Overdue" not in page
    assert task_of(db, overdue_action).status == "completed"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"done_on": DAY, "note": ""}, "Enter what was done"),
        ({"done_on": ["31", "2", "2026"], "note": "x"}, "must be a real date"),
        ({"done_on": [str(AGREED.day - 1), str(AGREED.month), "2026"], "note": "x"},
         "on or after the session that agreed it"),
    ],
)  # fmt: skip
def test_a_wrong_answer_is_refused_in_plain_english(
    client, world, db, overdue_action, data, message
):
    login(client, world.worker)
    response = client.post(f"/session-actions/{overdue_action}/done", data=data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert task_of(db, overdue_action).status == "open"


def test_the_supervisor_reads_the_action_but_only_its_owner_marks_it_done(
    client, world, db, overdue_action
):
    login(client, world.manager)
    page = text_of(client.get(f"/staff/{world.worker_id}/actions"))
    assert "Send the chronology to legal" in page and "Mark done" not in page
    response = client.post(
        f"/session-actions/{overdue_action}/done", data={"done_on": DAY, "note": "Done."}
    )
    assert response.status_code == 404
    assert task_of(db, overdue_action).status == "open"


def test_the_next_record_lists_the_overdue_action_for_review(client, world, db, overdue_action):
    login(client, world.manager)
    page = client.get(f"/relationships/{world.rel_id}/sessions/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    block = html[html.index('data-testid="previous-action"') :]
    block = block[: block.index("</div>")]
    assert "Send the chronology to legal" in block and "Overdue" in block
