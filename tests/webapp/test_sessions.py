"""Holding and recording supervision through the web app: the supervisor records
the session from the inbox, the supervisee countersigns, an amendment is a new
version both sign again; the late-reason question, the previous session's
actions, case IDs only, and 404 for anyone else's record."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AuditEntry,
    CaseAllocation,
    RecordStatus,
    SessionAction,
    SessionSignature,
    SessionStatus,
    SupervisionSession,
)
from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, login, text_of

RECORD = {
    "held_on": ["23", "2", "2026"],
    "duration_minutes": "110",
    "late_reason": "Supervisor on annual leave in February",
    "s_review": "First session under this agreement.",
    "s_personal": "Well; leave booked for April.",
    "s_role": "Settling in to the assessment team.",
    "s_development": "Wants court skills training.",
    "s_workload": "Caseload of 14; two assessments due.",
    "s_children": "Two cases discussed, by ID.",
    "development_discussed": "y",
    "actions-0-description": "Book court skills training",
    "actions-0-due_on": ["20", "3", "2026"],
    "sign": "Sign and share the record",
}


def _with(**changes):
    data = dict(RECORD)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _owner(world, data):
    return {**data, "actions-0-owner": str(world.worker_id)}


def _session_ids(db) -> list[int]:
    with db() as session:
        return list(session.scalars(select(SupervisionSession.id).order_by(SupervisionSession.id)))


def _record_as_manager(client, world, db, **changes) -> int:
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new", data=_owner(world, _with(**changes))
    )
    assert response.status_code == 302, text_of(response)[:2000]
    client.post("/logout")
    return _session_ids(db)[-1]


def _task_link(client, title) -> str:
    html = client.get("/inbox").get_data(as_text=True)
    match = re.search(rf'href="/tasks/(\d+)">\s*{re.escape(title)}\s*</a>', html)
    assert match, f"{title!r} is not in the inbox"
    page = client.get(f"/tasks/{match.group(1)}").get_data(as_text=True)
    links = re.findall(r'href="(/(?:tasks/\d+/supervision|sessions/\d+/countersign))"', page)
    assert links, "the task page has no link to its form"
    return links[0]


def test_the_supervisor_records_and_the_supervisee_countersigns(client, world, db):
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    login(client, world.manager)
    link = _task_link(client, "Hold supervision with Sam Worker")
    form_page = client.get(link, follow_redirects=True)
    text = text_of(form_page)
    for heading in (
        "1. Review of previous supervision",
        "2. Personal",
        "3. Role and organisation",
        "4. Professional development",
        "5. Workload overview",
        "6. Children, young people and families discussed",
    ):
        assert heading in text
    assert "Has it been more than 4 weeks since supervision began?" in text
    task_id = re.search(r"task=(\d+)", form_page.request.full_path).group(1)

    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new?task={task_id}", data=_owner(world, RECORD)
    )
    assert response.status_code == 302
    (session_id,) = _session_ids(db)
    assert response.location == f"/sessions/{session_id}"
    assert "inbox to countersign" in text_of(client.get("/inbox"))
    client.post("/logout")

    login(client, world.worker)
    link = _task_link(client, "Read and countersign your supervision record of 23 February 2026")
    assert client.get(link).location == f"/sessions/{session_id}/countersign"
    link = f"/sessions/{session_id}/countersign"
    page = client.get(link)
    text = text_of(page)
    assert "Caseload of 14; two assessments due." in text
    assert "Book court skills training" in text
    assert "Grace Manager, 2 March 2026" in text
    assert "<textarea" not in page.get_data(as_text=True)
    done = client.post(link, data={"declaration": "y"})
    assert done.status_code == 302
    assert "Signed by both" in text_of(client.get(f"/sessions/{session_id}"))
    with db() as session:
        row = session.get(SupervisionSession, session_id)
        assert row.record_status == RecordStatus.SIGNED
        assert row.duration_minutes == 110 and row.development_discussed
        reads = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.object_type == "supervision_session",
                AuditEntry.object_id == str(session_id),
                AuditEntry.action == "read",
            )
        )
        assert reads >= 2  # the countersign page and the record page


def test_submitting_the_signed_form_twice_signs_once(client, world, db):
    login(client, world.manager)
    url = f"/relationships/{world.rel_id}/sessions/new"
    assert client.post(url, data=_owner(world, RECORD)).status_code == 302
    again = client.post(url, data=_owner(world, RECORD), follow_redirects=True)
    assert "already recorded and signed" in text_of(again)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionSession)) == 1
        assert session.scalar(select(func.count()).select_from(SessionSignature)) == 1


def test_an_amendment_is_a_new_version_both_sign_again(client, world, db):
    session_id = _record_as_manager(client, world, db)
    login(client, world.worker)
    client.post(f"/sessions/{session_id}/countersign", data={"declaration": "y"})
    client.post("/logout")

    login(client, world.manager)
    edit = client.get(f"/sessions/{session_id}/edit", follow_redirects=True)
    assert "<textarea" not in edit.get_data(as_text=True)  # a signed version is never edited
    response = client.post(f"/sessions/{session_id}/amend", data={"reason": "Wrong caseload"})
    assert response.location == f"/sessions/{session_id}/edit"
    form = client.get(f"/sessions/{session_id}/edit")
    assert "Caseload of 14; two assessments due." in form.get_data(as_text=True)
    assert "This is version 2 of the record" in text_of(form)
    changed = _owner(world, _with(s_workload="Caseload of 16."))
    assert client.post(f"/sessions/{session_id}/edit", data=changed).status_code == 302
    client.post("/logout")

    login(client, world.worker)
    link = client.get(
        _task_link(client, "Read and countersign your supervision record of 23 February 2026")
    ).location
    assert "Caseload of 16." in text_of(client.get(link))
    client.post(link, data={"declaration": "y"})
    page = text_of(client.get(f"/sessions/{session_id}"))
    assert "Signed by both" in page and "Version 2." in page and "Version 1" in page
    with db() as session:
        versions = session.scalars(
            select(SessionSignature.version).where(SessionSignature.session_id == session_id)
        ).all()
        assert sorted(versions) == [1, 1, 2, 2]


def test_the_late_reason_is_required_when_the_gap_exceeds_the_cadence(client, world, db):
    login(client, world.manager)
    url = f"/relationships/{world.rel_id}/sessions/new"
    response = client.post(url, data=_owner(world, _with(late_reason="")))
    assert response.status_code == 200
    text = text_of(response)
    assert "Has it been more than 4 weeks since supervision began?" in text
    assert "Yes: enter why the session was late (it was due by 2 February 2026)" in text
    assert "Caseload of 14; two assessments due." in response.get_data(as_text=True)
    assert _session_ids(db) == []


def test_the_late_reason_is_not_asked_for_when_the_session_was_on_time(client, world, db):
    _record_as_manager(client, world, db, held_on=["30", "1", "2026"])
    login(client, world.manager)
    url = f"/relationships/{world.rel_id}/sessions/new"
    # Saved as a draft: signing would also ask about the first session's action.
    draft = _with(late_reason="", sign=None, save="Save as a draft")
    response = client.post(url, data=_owner(world, draft))
    assert response.status_code == 302
    with db() as session:
        row = session.get(SupervisionSession, _session_ids(db)[-1])
        assert row.record_status == RecordStatus.DRAFT and row.late_reason is None


def test_the_next_sessions_form_shows_the_previous_sessions_actions(client, world, db):
    _record_as_manager(client, world, db, held_on=["30", "1", "2026"])
    login(client, world.manager)
    page = client.get(f"/relationships/{world.rel_id}/sessions/new")
    html = page.get_data(as_text=True)
    assert "Review of previous actions" in text_of(page)
    assert "Book court skills training" in html
    assert 'name="reviews-0-outcome"' in html
    # Signing without saying whether it was done is refused; saying so records it.
    refused = client.post(
        f"/relationships/{world.rel_id}/sessions/new", data=_owner(world, _with(late_reason=""))
    )
    assert "Say whether “Book court skills training” was done" in text_of(refused)
    action_id = re.search(r'name="reviews-0-action_id"[^>]*value="(\d+)"', html).group(1)
    data = _owner(
        world,
        _with(
            late_reason="",
            **{
                "reviews-0-action_id": action_id,
                "reviews-0-outcome": "done",
                "reviews-0-note": "Booked for April",
            },
        ),
    )
    assert client.post(f"/relationships/{world.rel_id}/sessions/new", data=data).status_code == 302
    second = _session_ids(db)[-1]
    page = text_of(client.get(f"/sessions/{second}"))
    assert "Book court skills training: Done" in page and "Booked for April" in page


@pytest.mark.parametrize("typed", ["Jane Smith", "jane smith 123"])
def test_the_case_id_field_refuses_a_name_with_a_plain_message(client, world, db, typed):
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new",
        data=_owner(world, _with(**{"cases-0-case_ref": typed, "cases-0-decision": "Visit"})),
    )
    assert response.status_code == 200
    assert "Do not enter a child" in text_of(response)
    assert f'value="{typed}"' in response.get_data(as_text=True)
    assert _session_ids(db) == []


def test_a_case_discussed_in_the_record_is_listed_by_id_and_kept_with_the_case(client, world, db):
    with db() as session, session.begin():
        session.add(
            CaseAllocation(
                organisation_id=world.org_id,
                case_ref="LCS-204511",
                case_type="child_protection",
                worker_id=world.worker_id,
                allocated_on=date(2026, 1, 12),
            )
        )
    session_id = _record_as_manager(
        client,
        world,
        db,
        **{
            "cases-0-case_ref": "lcs-204511",
            "cases-0-decision": "Step down to child in need",
            "cases-0-rationale": "Risk reduced",
        },
    )
    login(client, world.worker)
    page = text_of(client.get(f"/sessions/{session_id}"))
    assert "LCS-204511" in page and "Step down" not in page
    assert "Step down to child in need" in text_of(client.get("/cases/LCS-204511"))


def _record_paths(session_id, rel_id):
    return [
        ("GET", f"/sessions/{session_id}"),
        ("GET", f"/sessions/{session_id}/edit"),
        ("GET", f"/sessions/{session_id}/countersign"),
        ("POST", f"/sessions/{session_id}/countersign"),
        ("GET", f"/sessions/{session_id}/amend"),
        ("GET", f"/sessions/{session_id}/cancel"),
        ("GET", f"/sessions/{session_id}/invitation.ics"),
        ("GET", f"/relationships/{rel_id}/sessions/new"),
        ("GET", f"/relationships/{rel_id}/sessions"),
    ]


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_anyone_else_gets_404_for_a_record_and_its_forms(client, world, db, who):
    session_id = _record_as_manager(client, world, db)
    login(client, getattr(world, who))
    for method, path in _record_paths(session_id, world.rel_id):
        assert client.open(path, method=method).status_code == 404, path
    assert client.get("/sessions/999999").status_code == 404


def test_the_supervisee_cannot_use_the_supervisors_forms(client, world, db):
    session_id = _record_as_manager(client, world, db)
    login(client, world.worker)
    for path in (
        f"/sessions/{session_id}/edit",
        f"/sessions/{session_id}/amend",
        f"/relationships/{world.rel_id}/sessions/new",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/sessions/{session_id}").status_code == 200


def test_the_supervisor_plans_the_year_and_cancels_a_session(client, world, db):
    login(client, world.manager)
    client.post(f"/relationships/{world.rel_id}/sessions/plan")
    again = client.post(f"/relationships/{world.rel_id}/sessions/plan", follow_redirects=True)
    assert "nothing new was added" in text_of(again)
    with db() as session:
        planned = session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.status == SessionStatus.PLANNED)
            .order_by(SupervisionSession.planned_on)
        ).all()
    assert len(planned) >= 12
    first = planned[0]
    refused = client.post(f"/sessions/{first.id}/cancel", data={"reason": ""})
    assert "Enter why the session is cancelled" in text_of(refused)
    done = client.post(
        f"/sessions/{first.id}/cancel", data={"reason": "Court"}, follow_redirects=True
    )
    assert "The session is cancelled and moved to" in text_of(done)
    assert "Court" in text_of(done)


def test_the_edit_form_sends_each_actions_id_back_so_an_amendment_keeps_it(client, world, db):
    session_id = _record_as_manager(client, world, db)
    with db() as session:
        [action_id] = session.scalars(
            select(SessionAction.id).where(SessionAction.session_id == session_id)
        ).all()
    login(client, world.manager)
    client.post(f"/sessions/{session_id}/amend", data={"reason": "Later date for the training"})
    form = client.get(f"/sessions/{session_id}/edit").get_data(as_text=True)
    assert re.search(rf'name="actions-0-action_id"[^>]*value="{action_id}"', form), form[:3000]
    changed = _owner(
        world,
        _with(**{"actions-0-action_id": str(action_id), "actions-0-due_on": ["27", "3", "2026"]}),
    )
    assert client.post(f"/sessions/{session_id}/edit", data=changed).status_code == 302
    with db() as session:
        kept = session.scalars(select(SessionAction).where(SessionAction.session_id == session_id))
        assert [(a.id, a.due_on) for a in kept] == [(action_id, date(2026, 3, 27))]
