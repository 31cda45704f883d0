"""Registration and DBS checks through the web app: only the person's current
supervisor records them; a wrong number is refused in plain English and what
was typed is kept; the registration_check inbox task leads to the form."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import AuditEntry, HumanTask, RegistrationCheck
from policy import keys
from tests.factories import make_human_task
from tests.webapp.conftest import TODAY, login, text_of

DUE = date(2026, 3, 30)  # a registration check task's due date
VALID = {
    "kind": "registration",
    "checked_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
    "reference": "sw 123456",
}


def _checks(db):
    with db() as session:
        return list(session.scalars(select(RegistrationCheck)))


def test_the_supervisor_records_a_registration_check(client, world, db):
    login(client, world.manager)
    response = client.post(f"/staff/{world.worker_id}/checks", data=VALID, follow_redirects=True)
    assert "The next one is due by 30 November 2026" in text_of(response)
    [check] = _checks(db)
    assert (check.staff_id, check.kind.value, check.reference) == (
        world.worker_id,
        "registration",
        "SW123456",
    )
    assert check.valid_until == date(2026, 11, 30)
    assert "SW123456" in text_of(client.get(f"/staff/{world.worker_id}/checks"))


def test_a_dbs_recheck_uses_the_configured_interval(client, world, db, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_DBS_RECHECK_YEARS", "3")
    login(client, world.manager)
    client.post(
        f"/staff/{world.worker_id}/checks",
        data={**VALID, "kind": "dbs", "reference": "001234567890"},
    )
    [check] = _checks(db)
    assert check.valid_until == date(2029, 3, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"reference": "12345"},
            "Enter the Social Work England registration number, like SW123456",
        ),
        ({"kind": "dbs", "reference": "SW1"}, "Enter the 12-digit DBS certificate number"),
        ({"kind": ""}, "Select which check you made"),
        ({"checked_on": ["30", "2", "2026"]}, "Date of the check must be a real date"),
        ({"checked_on": ["3", "3", "2026"]}, "The date of the check must be today or in the past"),
    ],
)
def test_a_wrong_answer_is_refused_and_what_was_typed_is_kept(client, world, db, data, message):
    login(client, world.manager)
    response = client.post(f"/staff/{world.worker_id}/checks", data={**VALID, **data})
    assert response.status_code == 200
    assert message in text_of(response)
    html = response.get_data(as_text=True)
    assert f'value="{data.get("reference", "sw 123456")}"' in html
    assert _checks(db) == []


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_someone_whose_scope_does_not_cover_the_person_cannot_open_their_checks(
    client, world, db, who
):
    login(client, getattr(world, who))
    assert client.get(f"/staff/{world.worker_id}/checks").status_code == 404
    assert client.post(f"/staff/{world.worker_id}/checks", data=VALID).status_code == 404
    assert _checks(db) == []


@pytest.mark.parametrize("who", ["worker", "head"])
def test_the_person_and_their_head_of_service_read_the_checks_but_only_the_supervisor_records(
    client, world, db, who
):
    login(client, getattr(world, who))
    page = client.get(f"/staff/{world.worker_id}/checks")
    assert page.status_code == 200
    assert "Record a check" not in text_of(page)
    assert 'name="checked_on"' not in page.get_data(as_text=True)
    assert client.post(f"/staff/{world.worker_id}/checks", data=VALID).status_code == 404
    assert _checks(db) == []


def test_a_guessed_staff_id_answers_not_found(client, world, db):
    login(client, world.manager)
    assert client.get("/staff/9999/checks").status_code == 404
    assert client.get(f"/staff/{world.outsider_id}/checks").status_code == 404


def test_opening_the_checks_is_audited(client, world, db):
    login(client, world.manager)
    client.get(f"/staff/{world.worker_id}/checks")
    with db() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.object_type == "registration_check",
                    AuditEntry.subject_staff_id == world.worker_id,
                )
            )
            == 1
        )


def test_the_registration_check_task_leads_to_the_form_and_closes_when_recorded(client, world, db):
    with db() as session, session.begin():
        task_id = make_human_task(
            session,
            world.org_id,
            kind="registration_check",
            key=keys.build("registration", staff=keys.staff_fact_id(world.worker_id), day=DUE),
            title="Check Sam Worker's registration",
            subject_staff=world.worker_id,
            assignee=world.manager_id,
            due_on=DUE,
            rule="registration.check",
            source="000_b775b8e7712f1ef5.txt §1.16",
        ).id
    login(client, world.manager)
    assert f'href="/staff/{world.worker_id}/checks"' in client.get(f"/tasks/{task_id}").get_data(
        as_text=True
    )
    client.post(f"/staff/{world.worker_id}/checks", data=VALID)
    with db() as session:
        assert session.get(HumanTask, task_id).status.value == "completed"
