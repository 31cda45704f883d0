"""Management oversight on a case between supervisions through the web app
(Wokingham standards 25-27): the task in the supervisor's inbox opens the
case's oversight page by case ID; the supervisor records it; the worker reads
it; wrong input is refused in plain English; every view is audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import AuditEntry, CaseOversight, HumanTask, Organisation
from models.engine.reconcile import reconcile
from tests.factories import make_case
from tests.webapp.conftest import TODAY, login, text_of

URL = "/cases/EH100200/oversight"
DAY = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]


@pytest.fixture
def early_help(world, db):
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = "wokingham"
        make_case(session, world.worker_id, case_ref="EH100200", case_type="early_help",
                  allocated_on=date(2026, 1, 5))  # fmt: skip
    reconcile(organisation_id=world.org_id, lifecycles={"case_supervision"}, as_of=TODAY,
              session_factory=db)  # fmt: skip
    return world


def oversight_task(db) -> HumanTask:
    with db() as session:
        return session.scalars(select(HumanTask).where(HumanTask.kind == "case_oversight")).one()


def test_the_task_opens_the_case_page_and_the_supervisor_records_oversight(client, early_help, db):
    task = oversight_task(db)
    assert task.assignee_id == early_help.manager_id and task.due_on == date(2026, 3, 4)
    login(client, early_help.manager)
    assert URL in client.get(f"/tasks/{task.id}").get_data(as_text=True)

    response = client.post(URL, follow_redirects=True,
                           data={"recorded_on": DAY, "summary": "Plan on track."})  # fmt: skip

    page = text_of(response)
    assert "You recorded management oversight on EH100200." in page and "Plan on track." in page
    with db() as session:
        assert session.scalar(select(func.count()).select_from(CaseOversight)) == 1
        assert session.get(HumanTask, task.id).status == "completed"
        assert session.scalar(
            select(func.count()).select_from(AuditEntry).where(
                AuditEntry.object_type == "case_oversight", AuditEntry.action == "read"
            )
        ) >= 1  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"recorded_on": DAY, "summary": ""}, "Enter the oversight recorded on the child"),
        ({"recorded_on": ["31", "2", "2026"], "summary": "x"}, "must be a real date"),
        ({"recorded_on": ["3", "3", "2026"], "summary": "x"}, "today or in the past"),
    ],
)
def test_wrong_oversight_is_refused_in_plain_english(client, early_help, db, data, message):
    login(client, early_help.manager)
    response = client.post(URL, data=data)
    assert response.status_code == 200 and message in text_of(response)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(CaseOversight)) == 0


def test_the_worker_reads_the_page_but_cannot_record_oversight(client, early_help):
    login(client, early_help.worker)
    page = text_of(client.get(URL))
    assert "Case EH100200" in page and "Record the oversight" not in page
    assert client.post(URL, data={"recorded_on": DAY, "summary": "x"}).status_code == 404


def test_another_council_cannot_find_the_case(client, early_help):
    login(client, early_help.outsider)
    assert client.get(URL).status_code == 404
