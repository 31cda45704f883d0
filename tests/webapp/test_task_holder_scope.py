"""Holding a human task about someone grants only what that task needs, and
only while it is open (webapp/held_tasks.py): a record task that day's
record, an agreement task (or its escalation) the
agreement; never the relationship's other records, its schedule or the
person's page, and nothing once the task closes.

Sam Worker has no business with Chloe Colleague's supervision (both are
Grace's supervisees); each test hands Sam one task about it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import HumanTask
from policy import keys
from tests.factories import make_agreement, make_session
from tests.webapp.conftest import TODAY, login, make_task

DAY_A = TODAY - timedelta(days=10)
DAY_B = TODAY - timedelta(days=40)


@pytest.fixture
def chloe(world, db):
    """Chloe's agreement in force and two held sessions: ids by name."""
    with db() as session, session.begin():
        make_agreement(session, world.colleague_rel_id, signed_on=TODAY - timedelta(days=60))
        a = make_session(session, world.colleague_rel_id, held_on=DAY_A)
        b = make_session(session, world.colleague_rel_id, held_on=DAY_B)
        return {"a": a.id, "b": b.id}


def _hand_sam(db, world, kind: str, key: str) -> int:
    return make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY,
        kind=kind,
        relationship_id=world.colleague_rel_id,
        subject_staff_id=world.colleague_id,
        key=key,
    )


def _close(db, task_id: int, worker_id: int) -> None:
    with db() as session, session.begin():
        session.get(HumanTask, task_id).complete(worker_id, "done")


def _statuses(client, world, chloe) -> dict[str, int]:
    rel = world.colleague_rel_id
    urls = {
        "record a": f"/sessions/{chloe['a']}",
        "record b": f"/sessions/{chloe['b']}",
        "agreement": f"/relationships/{rel}/agreement",
        "schedule": f"/relationships/{rel}/sessions",
        "person": f"/people/{world.colleague_id}",
    }
    return {name: client.get(url).status_code for name, url in urls.items()}


def _rel(world) -> str:
    return keys.relationship_fact_id(world.colleague_rel_id)


@pytest.mark.parametrize(
    "family",
    ["record", "late_reason"],
)
def test_a_task_about_one_record_opens_that_record_and_nothing_else_while_it_is_open(
    client, world, db, chloe, family
):
    task_id = _hand_sam(db, world, family, keys.build(family, relationship=_rel(world), day=DAY_A))
    login(client, world.worker)
    assert _statuses(client, world, chloe) == {
        "record a": 200,
        "record b": 404,
        "agreement": 404,
        "schedule": 404,
        "person": 404,
    }
    _close(db, task_id, world.worker_id)
    assert set(_statuses(client, world, chloe).values()) == {404}


def test_an_escalated_record_task_opens_the_record_its_key_names(client, world, db, chloe):
    escalated = keys.build("record", relationship=_rel(world), day=DAY_B)
    _hand_sam(db, world, "escalation", keys.escalation(escalated, step=2))
    login(client, world.worker)
    seen = _statuses(client, world, chloe)
    assert (seen["record a"], seen["record b"], seen["agreement"]) == (404, 200, 404)


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (
            "agreement_review",
            lambda rel: keys.build("agreement_review", relationship=rel, due=TODAY),
        ),
        ("escalation", lambda rel: keys.escalation(keys.build("agreement", relationship=rel))),
    ],
)
def test_an_agreement_task_opens_the_agreement_and_no_session_record_while_it_is_open(
    client, world, db, chloe, kind, key
):
    task_id = _hand_sam(db, world, kind, key(_rel(world)))
    login(client, world.worker)
    assert _statuses(client, world, chloe) == {
        "record a": 404,
        "record b": 404,
        "agreement": 200,
        "schedule": 404,
        "person": 404,
    }
    _close(db, task_id, world.worker_id)
    assert client.get(f"/relationships/{world.colleague_rel_id}/agreement").status_code == 404


def test_a_session_task_opens_no_record_and_no_agreement(client, world, db, chloe):
    """Holding supervision to do is done on the form its task leads to,
    which only the supervisor or their cover may use; it reads nothing."""
    _hand_sam(db, world, "supervision", keys.build("session", relationship=_rel(world), due=TODAY))
    login(client, world.worker)
    assert set(_statuses(client, world, chloe).values()) == {404}


def test_a_task_whose_key_no_family_reads_grants_nothing(client, world, db, chloe):
    _hand_sam(db, world, "record", f"record:rel-{world.colleague_rel_id}:not-a-day")
    login(client, world.worker)
    assert set(_statuses(client, world, chloe).values()) == {404}


def test_the_parties_and_their_managers_still_read_everything(app, world, db, chloe):
    for username in (world.colleague, world.manager, world.head):
        client = app.test_client()
        login(client, username)
        assert set(_statuses(client, world, chloe).values()) == {200}, username
