"""The record page flags a session shorter than the council's minimum
(Lancashire §1.7 "around 2 hours", read as no less than 90 minutes) and says
when the record was shared with the supervisee; the supervisor records a copy
given before signing (Lancashire §1.8), with bad dates refused on the form."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import SupervisionSession
from tests.webapp.conftest import login, make_task, text_of

DRAFT = {
    "held_on": ["23", "2", "2026"],
    "duration_minutes": "60",
    "late_reason": "Supervisor on annual leave in February",
    "s_review": "First session under this agreement.",
    "s_personal": "Well.",
    "s_role": "Settling in.",
    "s_development": "Court skills.",
    "s_workload": "Caseload of 14.",
    "s_children": "Two cases discussed, by ID.",
    "save": "Save as a draft",
}


def _draft(client, world, db, **changes) -> int:
    login(client, world.manager)
    response = client.post(f"/relationships/{world.rel_id}/sessions/new", data={**DRAFT, **changes})
    assert response.status_code == 302, text_of(response)[:2000]
    with db() as session:
        return session.scalars(
            select(SupervisionSession.id).order_by(SupervisionSession.id.desc())
        ).first()


def test_a_session_shorter_than_the_councils_minimum_is_flagged_on_its_record(client, world, db):
    session_id = _draft(client, world, db)
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert 'data-testid="short-session"' in page
    assert "Shorter than the 90 minutes your council" in page
    assert "Not yet" in page  # not shared with the supervisee
    assert f"/sessions/{session_id}/shared" in page


def test_a_session_of_the_minimum_length_is_not_flagged(client, world, db):
    session_id = _draft(client, world, db, duration_minutes="90")
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert 'data-testid="short-session"' not in page


def test_the_supervisor_records_the_day_a_draft_was_copied_to_the_supervisee(client, world, db):
    session_id = _draft(client, world, db)
    form = client.get(f"/sessions/{session_id}/shared")
    assert form.status_code == 200
    assert "When was the record shared with Sam Worker?" in form.get_data(as_text=True)
    before = client.post(f"/sessions/{session_id}/shared", data={"shared_on": ["22", "2", "2026"]})
    assert before.status_code == 200
    assert "There is a problem" in before.get_data(as_text=True)
    assert "on or after the day the session was held" in before.get_data(as_text=True)
    nonsense = client.post(f"/sessions/{session_id}/shared", data={"shared_on": ["31", "2", "x"]})
    assert "Date the record was shared must be a real date" in nonsense.get_data(as_text=True)
    done = client.post(f"/sessions/{session_id}/shared", data={"shared_on": ["25", "2", "2026"]})
    assert done.status_code == 302
    with db() as session:
        assert session.get(SupervisionSession, session_id).shared_on == date(2026, 2, 25)
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "25 February 2026" in page
    assert f"/sessions/{session_id}/shared" not in page


def test_the_supervisee_cannot_record_the_sharing(client, world, db):
    session_id = _draft(client, world, db)
    client.post("/logout")
    login(client, world.worker)
    response = client.post(
        f"/sessions/{session_id}/shared", data={"shared_on": ["25", "2", "2026"]}
    )
    assert response.status_code == 404


def test_the_sharing_task_in_the_inbox_opens_the_sharing_form(client, world, db):
    session_id = _draft(client, world, db)
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=date(2026, 3, 9),
        kind="record_shared",
        relationship_id=world.rel_id,
        key=f"record-shared:rel-{world.rel_id}:2026-02-23",
    )
    response = client.get(f"/tasks/{task_id}/supervision")
    assert response.location == f"/sessions/{session_id}/shared"
