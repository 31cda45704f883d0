"""An action's task page quotes the action itself: what was agreed, in whose
supervision and when, who owns it and by when, escaped as text; reading it
is audited against the supervisee like any read of their supervision record."""

from __future__ import annotations

import html as html_module
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEntry, HumanTask, Organisation, SessionAction
from models.engine.reconcile import reconcile
from policy.dates import long_date
from tests.factories import make_session
from tests.webapp.conftest import TODAY, login, make_task, text_of

AGREED = TODAY - timedelta(days=21)
DUE = TODAY - timedelta(days=7)
WORDS = "Send the chronology <b>to legal</b> & the IRO"


@pytest.fixture
def action_task(world, db) -> tuple[int, int]:
    """Wokingham; Sam Worker owns an action from a session three weeks ago."""
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = "wokingham"
        held = make_session(session, world.rel_id, held_on=AGREED, status="held",
                            recorded_on=AGREED)  # fmt: skip
        action = SessionAction(session_id=held.id, description=WORDS,
                               owner_id=world.worker_id, due_on=DUE)  # fmt: skip
        session.add(action)
        session.flush()
        action_id = action.id
    reconcile(organisation_id=world.org_id, lifecycles={"recording"}, as_of=TODAY,
              session_factory=db)  # fmt: skip
    with db() as session:
        task_id = session.scalars(
            select(HumanTask.id).where(HumanTask.key == f"action:act-{action_id}")
        ).one()
    return action_id, task_id


def _reads(db, staff_id: int) -> list[AuditEntry]:
    with db() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "read",
                    AuditEntry.object_type == "session_action",
                    AuditEntry.subject_staff_id == staff_id,
                )
            )
        )


def test_only_the_tasks_holder_opens_it_and_nobody_else_reads_the_action_there(
    client, world, db, action_task
):
    _action_id, task_id = action_task
    login(client, world.colleague)
    assert client.get(f"/tasks/{task_id}").status_code == 404
    assert _reads(db, world.worker_id) == []


def test_the_owners_task_page_quotes_the_action_its_session_owner_and_date(
    client, world, db, action_task
):
    action_id, task_id = action_task
    login(client, world.worker)
    response = client.get(f"/tasks/{task_id}")
    page = text_of(response)
    html = response.get_data(as_text=True)
    assert "What was agreed Send the chronology &lt;b&gt;to legal&lt;/b&gt; &amp; the IRO" in page
    assert "<b>to legal</b>" not in html
    agreed_in = f"Agreed in Sam Worker's supervision with Grace Manager, held {long_date(AGREED)}"
    assert agreed_in in html_module.unescape(page)
    assert "Owner Sam Worker" in page
    assert f"To be done by {long_date(DUE)}" in page
    assert f"/staff/{world.worker_id}/actions?mark={action_id}" in html


def test_reading_the_action_on_its_task_page_is_audited_against_the_supervisee(
    client, world, db, action_task
):
    _action_id, task_id = action_task
    before = len(_reads(db, world.worker_id))
    login(client, world.worker)
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 200
    reads = _reads(db, world.worker_id)
    assert len(reads) == before + 1
    assert f"/tasks/{task_id}" in reads[-1].detail


def test_another_kind_of_task_page_writes_no_action_read(client, world, db, action_task):
    other = make_task(db, organisation_id=world.org_id, assignee_id=world.worker_id, due_on=TODAY)
    login(client, world.worker)
    assert client.get(f"/tasks/{other}").status_code == 200
    assert _reads(db, world.worker_id) == []
