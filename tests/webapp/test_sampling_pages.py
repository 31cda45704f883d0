"""The head of service's quarterly sample through the web app: the sampling
task opens the quarter's sample (drawing it if the flow has not), each record
is read (audited) and given a finding, and the last finding completes the
sample and the task. Nobody else can open it; guessed IDs answer 404."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from models import (
    AuditEntry,
    HumanTask,
    Sample,
    SampleItem,
    ServiceArea,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
    Team,
)
from models.actions.sampling import draw_sample
from policy import keys
from tests.factories import make_human_task
from tests.webapp.conftest import login, text_of


@pytest.fixture
def sampling(world, db):
    """Helen heads the service area; both of Grace's supervisees had a
    supervision in November 2025 (the quarter before the sampling quarter);
    Helen's sampling task for 2026-Q1 is in her inbox."""
    with db() as session, session.begin():
        area_id = session.scalar(
            select(Team.service_area_id).join(
                SupervisionRelationship, SupervisionRelationship.id == world.rel_id
            )
        )
        session.execute(
            update(ServiceArea)
            .where(ServiceArea.id == area_id)
            .values(head_of_service_id=world.head_id)
        )
        session.execute(
            update(SupervisionRelationship)
            .where(SupervisionRelationship.id.in_([world.rel_id, world.colleague_rel_id]))
            .values(started_on=date(2025, 6, 2))
        )
        for rel_id, recorded_on in (
            (world.rel_id, date(2025, 11, 5)),
            (world.colleague_rel_id, None),
        ):
            session.add(
                SupervisionSession(
                    relationship_id=rel_id,
                    status=SessionStatus.HELD,
                    held_on=date(2025, 11, 3),
                    recorded_on=recorded_on,
                    record={"sections": {"workload": "Discussed workload"}},
                )
            )
        task = make_human_task(
            session,
            world.org_id,
            kind="sampling",
            key=keys.build("sampling", staff=keys.staff_fact_id(world.head_id), day="2026-01-01"),
            title="Sample supervision records",
            subject_staff=world.head_id,
            assignee=world.head_id,
            due_on=date(2026, 3, 31),
            rule="sampling.records",
            source="000_b775b8e7712f1ef5.txt §2.1",
        )
        return {"area": area_id, "task": task.id}


def _sample(db):
    with db() as session:
        return session.scalars(select(Sample)).one_or_none()


def test_the_sampling_task_draws_and_opens_the_quarters_sample(client, world, db, sampling):
    login(client, world.head)
    task_page = client.get(f"/tasks/{sampling['task']}").get_data(as_text=True)
    assert f'href="/tasks/{sampling["task"]}/sampling"' in task_page
    assert "Not drawn yet" in text_of(client.get(f"/tasks/{sampling['task']}/sampling"))
    client.post(f"/tasks/{sampling['task']}/sampling")
    sample = _sample(db)
    assert (sample.quarter, sample.service_area_id) == ("2026-Q1", sampling["area"])
    # Two sessions and two relationships with no agreement.
    assert len(sample.items) == 4
    page = text_of(client.get(f"/samples/{sample.id}"))
    # The records are named by the months they come from, not "2026-Q1"; the
    # seed is kept for auditors, folded away.
    assert "Sample of supervision records from October to December 2025" in page
    assert "2026-Q1" not in page
    assert "Late or missing" in page and sample.seed in page
    html = client.get(f"/samples/{sample.id}").get_data(as_text=True)
    assert 'data-testid="sample-seed"' in html and "For auditors" in html
    # Drawing again changes nothing.
    client.post(f"/tasks/{sampling['task']}/sampling")
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Sample)) == 1


def test_reading_each_record_and_recording_findings_completes_the_sample(
    client, world, db, sampling
):
    result = draw_sample(sampling["area"], "2026-Q1", 10, date(2026, 1, 2), session_factory=db)
    login(client, world.head)
    with db() as session:
        items = list(
            session.scalars(
                select(SampleItem)
                .where(SampleItem.sample_id == result.sample_id)
                .order_by(SampleItem.position)
            )
        )
    for n, entry in enumerate(items):
        url = f"/samples/{result.sample_id}/items/{entry.id}"
        response = client.get(url)
        page = text_of(response)
        if entry.object_type == "supervision_session":
            # Every section of the council's form, written or not, and the way
            # to the full record.
            assert "Workload" in page and "Discussed workload" in page
            assert "Nothing recorded." in page
            assert f'href="/sessions/{entry.object_id}"' in response.get_data(as_text=True)
        else:
            assert "No supervision agreement was in place" in page
        response = client.post(
            url, data={"meets_standard": "no" if n else "yes", "finding": f"F{n}"}
        )
        assert response.status_code == 302
    assert _sample(db).completed_on == date(2026, 3, 2)
    with db() as session:
        assert session.get(HumanTask, sampling["task"]).status.value == "completed"
        reads = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "read", AuditEntry.actor == f"staff-{world.head_id}")
        )
    assert reads == len(items)
    page = text_of(client.get(f"/samples/{result.sample_id}"))
    assert "Meets the standard" in page and "Below the standard" in page


def test_a_finding_left_empty_is_refused_and_the_answer_is_kept(client, world, db, sampling):
    result = draw_sample(sampling["area"], "2026-Q1", 10, date(2026, 1, 2), session_factory=db)
    entry = _sample(db).items[0]
    login(client, world.head)
    response = client.post(
        f"/samples/{result.sample_id}/items/{entry.id}",
        data={"meets_standard": "no", "finding": ""},
    )
    assert response.status_code == 200
    assert "Enter your finding" in text_of(response)
    assert 'value="no" checked' in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["manager", "worker", "outsider"])
def test_nobody_but_the_head_of_service_can_open_the_sample(client, world, db, sampling, who):
    result = draw_sample(sampling["area"], "2026-Q1", 10, date(2026, 1, 2), session_factory=db)
    entry = _sample(db).items[0]
    login(client, getattr(world, who))
    assert client.get(f"/samples/{result.sample_id}").status_code == 404
    assert client.get(f"/samples/{result.sample_id}/items/{entry.id}").status_code == 404
    assert (
        client.post(
            f"/samples/{result.sample_id}/items/{entry.id}",
            data={"meets_standard": "yes", "finding": "x"},
        ).status_code
        == 404
    )
    assert client.get(f"/tasks/{sampling['task']}/sampling").status_code == 404


def test_guessed_sample_and_item_ids_answer_not_found(client, world, db, sampling):
    result = draw_sample(sampling["area"], "2026-Q1", 10, date(2026, 1, 2), session_factory=db)
    login(client, world.head)
    assert client.get(f"/samples/{result.sample_id + 9}").status_code == 404
    assert client.get(f"/samples/{result.sample_id}/items/9999").status_code == 404
    assert client.post(f"/samples/{result.sample_id + 9}/complete").status_code == 404
