"""Recording group reflective supervision through the web app (Bristol
§6.1-6.5): from the supervisor's inbox task to the form and back, errors that
keep what was typed, a double submission recorded once, and nobody else's."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import GroupSupervisionAttendance, HumanTask, Organisation
from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, login, text_of

TITLE = "Record Sam Worker's group reflective supervision"
VALID = {
    "attended_on": ["25", "2", "2026"],
    "model": "bells_that_ring",
    "facilitator_id": "",
}


@pytest.fixture
def bristol(db, world):
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = "bristol"
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    return world


def _form_url(world) -> str:
    return f"/relationships/{world.rel_id}/group-supervision/new"


def _group_tasks(db, world) -> list[HumanTask]:
    with db() as session:
        return list(
            session.scalars(
                select(HumanTask)
                .where(
                    HumanTask.kind == "group_supervision",
                    HumanTask.subject == f"rel-{world.rel_id}",
                )
                .order_by(HumanTask.due_on)
            )
        )


def _attendance(db) -> list[tuple]:
    with db() as session:
        return [
            (r.staff_id, r.attended_on, r.facilitator_id, r.model)
            for r in session.scalars(select(GroupSupervisionAttendance))
        ]


def test_the_supervisor_records_attendance_from_the_inbox_task(client, db, bristol):
    w = bristol
    login(client, w.manager)
    inbox = html.unescape(client.get("/inbox").get_data(as_text=True))
    match = re.search(rf'href="/tasks/(\d+)">\s*{re.escape(TITLE)}\s*</a>', inbox)
    assert match, f"{TITLE!r} is not in the inbox"
    task_page = client.get(f"/tasks/{match.group(1)}")
    assert "Group reflective supervision" in text_of(task_page)
    assert "Record attendance" in text_of(task_page)
    assert f'href="{_form_url(w)}"' in task_page.get_data(as_text=True)

    form = client.get(_form_url(w))
    assert form.status_code == 200
    page = text_of(form)
    for model in (
        "Restorative circles",
        "The \u2018Bells that Ring\u2019 group supervision model",
        "The intervision model of group supervision",
        "The SoS model of reflective practice",
        "Another model",
    ):
        assert model in page
    assert "Chloe Colleague" in page  # a colleague may be named as facilitator

    response = client.post(_form_url(w), data={**VALID, "facilitator_id": str(w.colleague_id)})
    assert response.status_code == 302 and response.location.endswith("/inbox")
    assert "You recorded that Sam Worker attended group reflective supervision on 25 February" in (
        text_of(client.get("/inbox"))
    )
    assert _attendance(db) == [(w.worker_id, date(2026, 2, 25), w.colleague_id, "bells_that_ring")]
    done, following = _group_tasks(db, w)
    assert done.status == "completed" and done.completed_by_id == w.manager_id
    assert following.is_open
    assert following.due_on == date(2026, 2, 25) + timedelta(weeks=4)


def test_errors_are_explained_and_keep_what_was_typed(client, db, bristol):
    w = bristol
    login(client, w.manager)
    response = client.post(
        _form_url(w),
        data={"attended_on": ["31", "2", "2026"], "facilitator_id": str(w.colleague_id)},
    )
    assert response.status_code == 200
    page, body = text_of(response), response.get_data(as_text=True)
    assert "<title>Error: Record Sam Worker\u2019s group reflective supervision" in body
    assert "There is a problem" in page
    assert 'href="#attended_on-day">Date they attended group supervision' in body
    assert 'href="#model">Select the model' in body
    assert "Date they attended group supervision must be a real date" in page
    assert "Select the model of group supervision used" in page
    assert re.search(r'name="attended_on"[^>]*value="31"', body)
    assert re.search(rf'<option value="{w.colleague_id}" selected', body)
    assert _attendance(db) == []


def test_a_date_in_the_future_is_refused_on_the_form(client, db, bristol):
    w = bristol
    login(client, w.manager)
    tomorrow = TODAY + timedelta(days=1)
    response = client.post(
        _form_url(w),
        data={**VALID, "attended_on": [str(tomorrow.day), str(tomorrow.month), "2026"]},
    )
    assert response.status_code == 200
    assert "The date attended must be today or in the past" in text_of(response)
    assert re.search(r'value="bells_that_ring" checked', response.get_data(as_text=True))
    assert _attendance(db) == []
    assert [t.status for t in _group_tasks(db, w)] == ["open"]


def test_the_same_form_sent_twice_records_once(client, db, bristol):
    w = bristol
    login(client, w.manager)
    client.post(_form_url(w), data=VALID)
    again = client.post(_form_url(w), data=VALID, follow_redirects=True)
    assert "it has been recorded once" in text_of(again)
    assert len(_attendance(db)) == 1


@pytest.mark.parametrize("who", ["worker", "colleague", "head", "outsider"])
def test_nobody_but_the_supervisor_opens_the_form(client, bristol, who):
    login(client, getattr(bristol, who))
    assert client.get(_form_url(bristol)).status_code == 404
    assert client.post(_form_url(bristol), data=VALID).status_code == 404


def test_a_council_without_group_supervision_has_nothing_to_record(client, db, world):
    login(client, world.manager)
    response = client.get(_form_url(world))
    assert response.status_code == 302
    assert response.location.endswith(f"/relationships/{world.rel_id}/sessions")
    response = client.post(_form_url(world), data=VALID, follow_redirects=True)
    assert "no group reflective supervision to record" in text_of(response)
    assert _attendance(db) == []
