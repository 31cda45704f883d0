"""Children's cases by case ID only: the worker's and the supervisor's lists
with the engine's next due date, allocating, reallocating and closing, a
per-case frequency within the policy's limit, case directions and "entered on
the child's record"; 404 for anyone else's case."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import CaseAllocation, CaseSupervision, HumanTask
from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, login, text_of

ALLOCATE = {
    "case_ref": "LCS-204511",
    "case_type": "child_protection",
    "allocated_on": ["16", "2", "2026"],
}


def _allocate(client, world, **changes):
    login(client, world.manager)
    data = {**ALLOCATE, "worker": str(world.worker_id), **changes}
    return client.post("/cases/allocate", data=data)


def test_the_supervisor_allocates_a_case_and_both_lists_show_it_with_its_next_due_date(
    client, world, db
):
    response = _allocate(client, world)
    assert response.location == "/cases/LCS-204511"
    overseen = text_of(client.get("/cases"))
    # Lancashire §1.9: oversight every 4 weeks from allocation on 16 February.
    assert "LCS-204511 Child protection Sam Worker 16 February 2026 Not yet 16 March 2026" in (
        overseen
    )
    client.post("/logout")
    login(client, world.worker)
    mine = text_of(client.get("/cases"))
    assert "LCS-204511 Child protection 16 February 2026 Not yet 16 March 2026" in mine


@pytest.mark.parametrize("typed", ["Jane Smith", "jane", "Smith 123456"])
def test_the_case_id_field_refuses_a_childs_name_with_a_plain_message(client, world, db, typed):
    response = _allocate(client, world, case_ref=typed)
    assert response.status_code == 200
    text = text_of(response)
    assert "Enter the case ID from the case system, for example LCS-123456" in text
    assert f'value="{typed}"' in response.get_data(as_text=True)
    with db() as session:
        assert session.scalars(select(CaseAllocation)).all() == []


@pytest.mark.parametrize("who", ["colleague", "outsider"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/cases/LCS-204511"),
        ("GET", "/cases/LCS-204511/supervise"),
        ("GET", "/cases/LCS-204511/frequency"),
        ("GET", "/cases/LCS-204511/reallocate"),
        ("POST", "/cases/LCS-204511/close"),
        ("GET", "/cases/LCS-204511/recorded"),
    ],
)
def test_another_workers_case_answers_404(client, world, db, who, method, path):
    _allocate(client, world)
    client.post("/logout")
    login(client, getattr(world, who))
    assert client.open(path, method=method).status_code == 404


def test_the_allocated_worker_reads_their_case_but_cannot_direct_it(client, world, db):
    _allocate(client, world)
    client.post("/logout")
    login(client, world.worker)
    assert client.get("/cases/LCS-204511").status_code == 200
    assert client.get("/cases/LCS-204511/supervise").status_code == 404
    assert client.get("/cases/allocate").status_code == 404
    assert "LCS-204511" not in text_of(client.get("/cases/LCS-999999"))


def test_a_frequency_beyond_the_policys_limit_shows_its_message(client, world, db):
    _allocate(client, world)
    refused = client.post("/cases/LCS-204511/frequency", data={"weeks": "9", "reason": "Stable"})
    text = text_of(refused)
    assert "does not allow this case to go longer than 8 weeks" in text
    assert "000_b775b8e7712f1ef5.txt §1.9" in text
    assert 'value="9"' in refused.get_data(as_text=True)
    client.post("/cases/LCS-204511/frequency", data={"weeks": "6", "reason": "Stable placement"})
    assert "Every 6 weeks: Stable placement" in text_of(client.get("/cases/LCS-204511"))


def test_a_case_supervision_task_is_completed_by_its_case_direction(client, world, db):
    _allocate(client, world)
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"case_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    with db() as session:
        task = session.scalars(
            select(HumanTask).where(HumanTask.key == "case:LCS-204511:2026-03-16")
        ).one()
    link = client.get(f"/tasks/{task.id}/supervision")
    assert link.location == f"/cases/LCS-204511/supervise?task={task.id}"
    response = client.post(
        link.location,
        data={
            "supervised_on": ["2", "3", "2026"],
            "decision": "Convene a legal planning meeting",
            "rationale": "Neglect escalating",
            "next_steps": "Book the meeting",
            "important": "y",
        },
    )
    assert response.location == "/cases/LCS-204511"
    with db() as session:
        assert session.get(HumanTask, task.id).status == "completed"
        direction = session.scalars(select(CaseSupervision)).one()
        assert direction.important_decision and direction.recorded_on is None
    page = text_of(client.get("/cases/LCS-204511"))
    assert "Convene a legal planning meeting" in page and "Not yet" in page
    saved = client.post(
        "/cases/LCS-204511/recorded?on=2026-03-02", data={"recorded_on": ["2", "3", "2026"]}
    )
    assert saved.location == "/cases/LCS-204511"
    assert "Entered on 2 March 2026" in text_of(client.get("/cases/LCS-204511"))


def test_reallocating_ends_the_old_allocation_and_closing_ends_the_case(client, world, db):
    _allocate(client, world)
    client.post("/cases/LCS-204511/reallocate", data={"worker": str(world.colleague_id)})
    with db() as session:
        rows = session.scalars(select(CaseAllocation).order_by(CaseAllocation.id)).all()
        assert [(r.worker_id, r.ended_on) for r in rows] == [
            (world.worker_id, TODAY),
            (world.colleague_id, None),
        ]
    assert "Chloe Colleague" in text_of(client.get("/cases/LCS-204511"))
    client.post("/cases/LCS-204511/close")
    assert "Closed on 2 March 2026" in text_of(client.get("/cases/LCS-204511"))
    with db() as session:
        assert session.scalars(
            select(CaseAllocation.ended_on).where(CaseAllocation.worker_id == world.colleague_id)
        ).one() == date(2026, 3, 2)
