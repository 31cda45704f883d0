"""Practice observations through the web app: planned from the supervisor's
inbox task, each part written by its author, signed by both; only the people
in it (and those whose scope covers the supervisee) can open it, every view
is audited, and a guessed ID answers 404."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import AuditEntry, HumanTask, Observation, ObservationSignature
from tests.webapp.conftest import TODAY, login, text_of

BEFORE = {
    "situation": "Home visit, case 1234567",
    "preparation": "The family are happy for it to go ahead.",
    "desired_outcomes": "Hear the child's views.",
    "feedback_areas": "Direct work.",
    "family_consent": "y",
}
AFTER = {"reflection": "It went well.", "strengths": "Warm.", "development": "Pace."}
TODAY_PARTS = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]


def _observation_task(db, world, kind="practice_observation_with_family", n=1):
    with db() as session, session.begin():
        task = HumanTask(
            organisation_id=world.org_id,
            key=f"observation:staff-{world.worker_id}:2025-03-20:{n}",
            kind=kind,
            lifecycle="observation",
            title="Practice observation: Sam Worker",
            subject=f"staff-{world.worker_id}",
            subject_staff_id=world.worker_id,
            assignee_id=world.manager_id,
            due_on=TODAY,
            status="open",
            rule="observation.practice",
            source="000_b775b8e7712f1ef5.txt §1.16",
            rule_text="Supervisors should observe supervisee's practice at a minimum of three "
            "times every year.",
            payload={},
            created_by="test",
        )
        session.add(task)
        session.flush()
        return task.id


def _plan(client, task_id, **extra):
    return client.post(f"/tasks/{task_id}/observation", data={"observed_on": TODAY_PARTS, **extra})


def _observation_id(db):
    with db() as session:
        return session.scalar(select(Observation.id))


@pytest.fixture
def planned(client, world, db):
    task_id = _observation_task(db, world)
    login(client, world.manager)
    response = _plan(client, task_id)
    assert response.status_code == 302
    client.post("/logout")
    return _observation_id(db)


def test_the_inbox_task_leads_to_planning_the_observation(client, world, db):
    task_id = _observation_task(db, world)
    login(client, world.manager)
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert f'href="/tasks/{task_id}/observation"' in page
    form = text_of(client.get(f"/tasks/{task_id}/observation"))
    assert "Plan an observation of Sam Worker" in form
    assert "engaging with children, young people and families" in form


def test_planning_puts_the_preparation_in_the_supervisees_inbox(client, world, db, planned):
    login(client, world.worker)
    inbox = text_of(client.get("/inbox"))
    assert "Prepare for your practice observation on 2 March 2026" in inbox


def test_a_date_that_is_not_a_date_is_shown_back_with_a_plain_message(client, world, db):
    task_id = _observation_task(db, world)
    login(client, world.manager)
    response = client.post(f"/tasks/{task_id}/observation", data={"observed_on": ["31", "2", "x"]})
    assert response.status_code == 200
    page = text_of(response)
    assert "Date of the observation must be a real date" in page
    assert 'value="31"' in response.get_data(as_text=True)
    assert _observation_id(db) is None


def test_the_whole_observation_from_preparation_to_both_signatures(client, world, db, planned):
    url = f"/observations/{planned}"
    login(client, world.worker)
    assert client.post(f"{url}/parts/before", data=BEFORE).status_code == 302
    assert client.post(f"{url}/parts/supervisee_after", data=AFTER).status_code == 302
    client.post("/logout")

    login(client, world.manager)
    assert client.post(f"{url}/parts/supervisor_after", data=AFTER).status_code == 302
    page = text_of(client.get(url))
    assert "Ready to sign" in page
    assert "Home visit, case 1234567" in page
    client.post(f"{url}/sign", data={"declaration": "y"})
    client.post("/logout")

    login(client, world.worker)
    client.post(f"{url}/sign", data={"declaration": "y"})
    page = text_of(client.get(url))
    assert "Signed by both" in page
    assert "Grace Manager, 2 March 2026" in page and "Sam Worker, 2 March 2026" in page
    with db() as session:
        assert session.scalar(select(func.count()).select_from(ObservationSignature)) == 2


def test_an_empty_answer_is_refused_and_what_was_typed_is_kept(client, world, db, planned):
    login(client, world.worker)
    response = client.post(
        f"/observations/{planned}/parts/before", data={**BEFORE, "desired_outcomes": ""}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Enter your desired outcomes" in page
    assert "Home visit, case 1234567" in page


def test_preparing_with_a_family_needs_their_agreement(client, world, db, planned):
    login(client, world.worker)
    data = {k: v for k, v in BEFORE.items() if k != "family_consent"}
    response = client.post(f"/observations/{planned}/parts/before", data=data)
    assert "Confirm the children, young people and family are happy" in text_of(response)


def _written_and_signed_by_the_manager(client, world, planned) -> str:
    """Every part written, then signed by the manager, who stays signed in."""
    url = f"/observations/{planned}"
    login(client, world.worker)
    client.post(f"{url}/parts/before", data=BEFORE)
    client.post(f"{url}/parts/supervisee_after", data=AFTER)
    client.post("/logout")
    login(client, world.manager)
    client.post(f"{url}/parts/supervisor_after", data=AFTER)
    client.post(f"{url}/sign", data={"declaration": "y"})
    return url


def test_signing_twice_signs_once(client, world, db, planned):
    url = _written_and_signed_by_the_manager(client, world, planned)
    response = client.post(f"{url}/sign", data={"declaration": "y"}, follow_redirects=True)
    assert "signed once" in text_of(response)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(ObservationSignature)) == 1


def test_a_signed_observation_cannot_be_changed(client, world, db, planned):
    url = _written_and_signed_by_the_manager(client, world, planned)
    response = client.post(f"{url}/parts/supervisor_after", data={**AFTER, "reflection": "New"})
    assert response.status_code == 302
    with db() as session:
        content = session.get(Observation, planned).content
        assert content["parts"]["supervisor_after"]["reflection"] == "It went well."


def test_someone_elses_part_answers_not_found(client, world, db, planned):
    login(client, world.manager)
    assert client.get(f"/observations/{planned}/parts/before").status_code == 404
    assert client.get(f"/observations/{planned}/parts/no-such-part").status_code == 404


@pytest.mark.parametrize("who", ["colleague", "outsider"])
@pytest.mark.parametrize(
    ("method", "path"), [("GET", ""), ("GET", "/parts/before"), ("POST", "/sign")]
)
def test_people_outside_the_observation_get_not_found(
    client, world, db, planned, who, method, path
):
    login(client, getattr(world, who))
    response = client.open(
        f"/observations/{planned}{path}", method=method, data={"declaration": "y"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "path"), [("GET", ""), ("POST", "/sign")])
def test_a_guessed_observation_id_answers_not_found(client, world, db, planned, method, path):
    login(client, world.manager)
    assert client.open(f"/observations/{planned + 100}{path}", method=method).status_code == 404


@pytest.mark.parametrize("who", ["worker", "colleague", "head", "outsider"])
def test_only_the_task_holder_can_plan_the_observation(client, world, db, who):
    task_id = _observation_task(db, world)
    login(client, getattr(world, who))
    assert client.get(f"/tasks/{task_id}/observation").status_code == 404
    assert _plan(client, task_id).status_code == 404
    assert _observation_id(db) is None


def test_the_supervisees_line_manager_can_read_it_and_every_reading_is_audited(
    client, world, db, planned
):
    login(client, world.head)  # the manager's line manager; Sam is in their scope
    assert client.get(f"/observations/{planned}").status_code == 200
    client.get(f"/observations/{planned}")
    with db() as session:
        reads = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "read",
                AuditEntry.object_type == "observation",
                AuditEntry.object_id == str(planned),
                AuditEntry.subject_staff_id == world.worker_id,
            )
        )
    assert reads == 2


def test_each_view_of_an_observation_writes_an_audit_entry(client, world, db, planned):
    login(client, world.worker)
    client.get(f"/observations/{planned}")
    with db() as session:
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "read", AuditEntry.object_type == "observation"
            )
        ).one()
    assert entry.actor == f"staff-{world.worker_id}"
    assert re.search(rf"/observations/{planned}", entry.detail)
