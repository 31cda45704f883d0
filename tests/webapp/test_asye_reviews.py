"""ASYE reviews through the web app: the newly qualified worker's supervisor
records the 3-, 6- and 12-month reviews; anyone whose scope covers the worker
reads them; the inbox tasks for ASYE reviews, ASYE observations and DBS
re-checks lead to their forms."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import AsyeReview, AuditEntry, HumanTask, StaffMember
from tests.webapp.conftest import TODAY, login, make_task, text_of

VALID = {
    "stage": "3",
    "reviewed_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
    "outcome": "Meeting the PCF at ASYE level; next focus is court work.",
}


@pytest.fixture
def newly_qualified(world, db):
    with db() as session, session.begin():
        session.get(StaffMember, world.worker_id).asye = True
    return world


def _reviews(db):
    with db() as session:
        return list(session.scalars(select(AsyeReview)))


def url(world) -> str:
    return f"/staff/{world.worker_id}/asye-reviews"


def test_the_supervisor_records_the_three_month_review(client, newly_qualified, db):
    world = newly_qualified
    login(client, world.manager)

    response = client.post(url(world), data=VALID, follow_redirects=True)

    assert "You recorded the 3-month review for Sam Worker." in text_of(response)
    [review] = _reviews(db)
    assert (review.staff_id, review.stage, review.reviewed_on) == (world.worker_id, 3, TODAY)
    assert review.recorded_by_id == world.manager_id
    page = text_of(client.get(url(world)))
    assert "court work" in page and "5 April 2026" in page  # the 3-month review's due date


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stage": ""}, "Select which review took place"),
        ({"reviewed_on": ["31", "2", "2026"]}, "Date of the review must be a real date"),
        ({"reviewed_on": ["3", "3", "2026"]}, "The date of the review must be today or in"),
        ({"outcome": ""}, "Enter what the review concluded"),
    ],
)
def test_a_wrong_answer_is_refused_in_plain_english(client, newly_qualified, db, data, message):
    login(client, newly_qualified.manager)
    response = client.post(url(newly_qualified), data={**VALID, **data})
    assert response.status_code == 200
    assert message in text_of(response)
    assert _reviews(db) == []


def test_the_same_review_cannot_be_recorded_twice(client, newly_qualified, db):
    login(client, newly_qualified.manager)
    client.post(url(newly_qualified), data=VALID)
    response = client.post(url(newly_qualified), data=VALID)
    assert "The 3-month review is already recorded." in text_of(response)
    assert len(_reviews(db)) == 1


def test_the_worker_reads_their_reviews_but_cannot_record_one(client, newly_qualified, db):
    login(client, newly_qualified.worker)
    page = client.get(url(newly_qualified))
    assert page.status_code == 200 and "Record a review" not in text_of(page)
    assert client.post(url(newly_qualified), data=VALID).status_code == 404
    assert _reviews(db) == []


def test_someone_not_in_their_asye_year_has_no_form(client, world):
    login(client, world.manager)
    page = text_of(client.get(url(world)))
    assert "is not a newly qualified social worker in their ASYE year" in page
    assert "Record a review" not in page


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_someone_whose_scope_does_not_cover_the_worker_cannot_open_their_reviews(
    client, newly_qualified, who
):
    login(client, getattr(newly_qualified, who))
    assert client.get(url(newly_qualified)).status_code == 404


def test_opening_the_reviews_is_audited(client, newly_qualified, db):
    login(client, newly_qualified.manager)
    client.get(url(newly_qualified))
    with db() as session:
        opened = select(func.count()).where(
            AuditEntry.object_type == "asye_review",
            AuditEntry.subject_staff_id == newly_qualified.worker_id,
        )
        assert session.scalar(opened) == 1


def test_the_asye_review_task_leads_to_the_form_and_closes_when_recorded(
    client, newly_qualified, db
):
    world = newly_qualified
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        subject_staff_id=world.worker_id,
        due_on=date(2026, 4, 5),
        kind="asye_review",
        key=f"asye-review:staff-{world.worker_id}:3",
    )
    login(client, world.manager)
    assert f'href="{url(world)}"' in client.get(f"/tasks/{task_id}").get_data(as_text=True)
    client.post(url(world), data=VALID)
    with db() as session:
        assert session.get(HumanTask, task_id).status.value == "completed"


@pytest.mark.parametrize(
    ("kind", "form"),
    [("dbs_check", "/staff/{staff}/checks"), ("asye_observation", "/tasks/{task}/observation")],
)
def test_dbs_and_asye_observation_tasks_lead_to_their_forms(client, world, db, kind, form):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        subject_staff_id=world.worker_id,
        due_on=date(2026, 4, 5),
        kind=kind,
    )
    login(client, world.manager)
    html = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert f'href="{form.format(staff=world.worker_id, task=task_id)}"' in html
