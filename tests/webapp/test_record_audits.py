"""Audits of supervision records through the web app (Wokingham Quality
Assurance "Supervision Audits"): the supervisor's line manager answers the
council's checklist from the inbox task; the supervisor reads the audit and
confirms it was discussed with them; every view is audited; wrong input is
refused in plain English; a council whose policy has no audit says so."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import AuditEntry, HumanTask, Organisation, SupervisionRecordAudit
from models.actions.record_audits import checklist_of
from tests.webapp.conftest import TODAY, login, make_task, text_of

DAY = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]


@pytest.fixture
def wokingham(world, db):
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = "wokingham"
    return world


def checklist_answers(**changed) -> dict[str, str]:
    questions = checklist_of("wokingham").questions
    answers = {f"question_{n}": "yes" for n in range(1, len(questions) + 1)}
    return answers | changed


def valid(**changed):
    return {
        "audited_on": DAY,
        "findings": "Two records signed late.",
        **checklist_answers(**changed),
    }


def url(world) -> str:
    return f"/staff/{world.manager_id}/record-audits"


def audits(db) -> list[SupervisionRecordAudit]:
    with db() as session:
        return list(session.scalars(select(SupervisionRecordAudit)))


def test_the_inbox_task_opens_the_checklist_with_the_councils_questions(client, wokingham, db):
    task_id = make_task(db, organisation_id=wokingham.org_id, assignee_id=wokingham.head_id,
                        due_on=TODAY, kind="record_audit",
                        subject_staff_id=wokingham.manager_id)  # fmt: skip
    login(client, wokingham.head)

    page = client.get(f"/tasks/{task_id}", follow_redirects=True)
    assert url(wokingham) in page.get_data(as_text=True)

    form = text_of(client.get(url(wokingham)))
    for question in checklist_of("wokingham").questions:
        assert question.text in form
    assert "Appendix A standard 8" in form  # each question cites what it checks
    assert "Record the audit" in form


def test_the_line_manager_records_the_audit_and_the_supervisor_confirms_the_discussion(
    client, wokingham, db
):
    login(client, wokingham.head)
    response = client.post(url(wokingham), data=valid(question_3="no"), follow_redirects=True)

    recorded = "You recorded an audit of the supervision records kept by Grace Manager."
    assert recorded in text_of(response)
    [audit] = audits(db)
    assert (audit.supervisor_id, audit.auditor_id, audit.shortfalls) == (
        wokingham.manager_id, wokingham.head_id, 1,
    )  # fmt: skip
    assert audit.answers["recorded_within_5_days"] == "no"
    assert "No" in text_of(response) and "Two records signed late." in text_of(response)

    client.post("/logout")
    login(client, wokingham.manager)
    page = text_of(client.get(f"/record-audits/{audit.id}"))
    assert "Confirm the audit was discussed with you" in page
    done = client.post(
        f"/record-audits/{audit.id}", data={"discussed_on": DAY, "note": "Agreed."},
        follow_redirects=True,
    )  # fmt: skip
    assert "You confirmed the audit was discussed with you." in text_of(done)
    with db() as session:
        assert session.get(SupervisionRecordAudit, audit.id).discussed_on == TODAY
        reads = session.scalar(
            select(func.count()).select_from(AuditEntry).where(
                AuditEntry.object_type == "supervision_record_audit", AuditEntry.action == "read"
            )
        )  # fmt: skip
        assert reads >= 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (valid(question_2=""), "Answer question 2, Has personal supervision taken place"),
        (valid(question_1="perhaps"), "Answer question 1"),
        ({**valid(), "findings": ""}, "Enter the findings of the audit"),
        ({**valid(), "audited_on": ["31", "2", "2026"]}, "Date of the audit must be a real date"),
        ({**valid(), "audited_on": ["3", "3", "2026"]}, "must be today or in the past"),
    ],
)
def test_a_wrong_audit_is_refused_in_plain_english(client, wokingham, db, data, message):
    login(client, wokingham.head)
    response = client.post(url(wokingham), data=data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert audits(db) == []


def test_the_supervisor_cannot_audit_their_own_records(client, wokingham, db):
    login(client, wokingham.manager)
    assert "Record the audit" not in text_of(client.get(url(wokingham)))
    assert client.post(url(wokingham), data=valid()).status_code == 404
    assert audits(db) == []


def test_another_councils_supervisor_is_not_found(client, wokingham):
    login(client, wokingham.head)
    assert client.get(f"/staff/{wokingham.outsider_id}/record-audits").status_code == 404


def test_a_council_whose_policy_has_no_audit_says_so_and_offers_no_form(client, world, db):
    login(client, world.head)
    page = text_of(client.get(url(world)))
    assert "does not ask for audits of supervision records" in page
    assert "Record the audit" not in page
    with db() as session:
        assert session.scalar(select(func.count()).select_from(HumanTask)) == 0
