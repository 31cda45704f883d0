"""GET /api/colleagues lists only the people the caller may hand their tasks
to (or, given task_id, that one task): the eligibility rule reassignment and
delegation check, so everyone listed is accepted and nobody else is."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import make_cover
from tests.webapp.conftest import TODAY, login, make_task
from tests.worlds.small_council import add_every_role

HEADER = {"X-Requested-With": "XMLHttpRequest"}


def _names(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.json
    return [c["name"] for c in response.json["colleagues"]]


def _observation_for_grace(db, world, **columns) -> int:
    """A practice observation of Sam held by Grace, his supervisor and line manager."""
    return make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        kind="practice_observation",
        subject_staff_id=world.worker_id,
        **columns,
    )


def test_a_task_is_offered_only_to_who_may_do_it_and_they_alone_are_accepted(client, world, db):
    task_id = _observation_for_grace(db, world)
    login(client, world.manager)
    # Helen oversees Grace's supervisees; Chloe is a supervisee, Sam the subject.
    assert _names(client, f"/api/colleagues?task_id={task_id}") == ["Helen Head"]
    url = f"/api/tasks/{task_id}/reassign"
    chloe = {"to_staff_id": world.colleague_id, "reason": "Leave"}
    assert client.post(url, headers=HEADER, json=chloe).status_code == 422
    helen = {"to_staff_id": world.head_id, "reason": "Leave"}
    assert client.post(url, headers=HEADER, json=helen).status_code == 200


def test_a_supervisor_only_task_is_offered_to_nobody_but_the_colleague_covering(client, world, db):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        kind="record",
        relationship_id=world.rel_id,
        subject_staff_id=world.worker_id,
    )
    login(client, world.manager)
    url = f"/api/colleagues?task_id={task_id}"
    # Helen manages Grace but may not write Sam's supervision record...
    assert _names(client, url) == []
    assert client.get("/api/colleagues").json["count"] == 0
    # ...until she covers for Grace.
    with db() as session, session.begin():
        make_cover(session, world.manager_id, world.head_id, starts_on=TODAY - timedelta(days=1))
    assert _names(client, url) == ["Helen Head"]
    assert _names(client, "/api/colleagues") == ["Helen Head"]


def test_without_a_task_the_list_is_who_may_take_any_open_task_of_mine(client, world, db):
    login(client, world.manager)
    assert client.get("/api/colleagues").json == {
        "colleagues": [],
        "count": 0,
        "page_size": 100,
        "links": {"next": None},
    }
    # A closed task, and one only its holder can do, offer nobody.
    _observation_for_grace(db, world, status="completed")
    make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        kind="agreement_countersign",
        subject_staff_id=world.worker_id,
    )
    assert _names(client, "/api/colleagues") == []
    _observation_for_grace(db, world)
    assert _names(client, "/api/colleagues") == ["Helen Head"]


def test_a_task_the_caller_neither_holds_nor_manages_is_404_and_a_bad_id_is_400(client, world, db):
    graces = _observation_for_grace(db, world)
    samss = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.worker_id,
        due_on=TODAY,
        kind="practice_observation",
        subject_staff_id=world.colleague_id,
    )
    outsiders = make_task(
        db, organisation_id=world.other_org_id, assignee_id=world.outsider_id, due_on=TODAY
    )
    login(client, world.worker)
    assert client.get(f"/api/colleagues?task_id={graces}").status_code == 404
    assert client.get(f"/api/colleagues?task_id={outsiders}").status_code == 404
    assert client.get("/api/colleagues?task_id=0").status_code == 404
    for bad in ("abc", "-1", "1.5"):
        response = client.get(f"/api/colleagues?task_id={bad}")
        assert response.status_code == 400, bad
        assert response.json["error"].startswith("task_id must be the ID of a task")
    # Grace manages Sam, so she may ask about (and reassign) his task: to
    # herself or Helen, Chloe's overseers, never to Chloe.
    login(client, world.manager)
    assert _names(client, f"/api/colleagues?task_id={samss}") == ["Grace Manager", "Helen Head"]


def test_the_colleagues_of_one_task_come_in_pages_that_keep_the_task(client, world, db):
    add_every_role(db, world)
    task_id = _observation_for_grace(db, world)
    login(client, world.manager)
    url = f"/api/colleagues?task_id={task_id}"
    everyone = client.get(url).json
    # The organisation-wide roles oversee everyone; the auditor acts for nobody.
    assert [c["name"] for c in everyone["colleagues"]] == [
        "Helen Head",
        "Priya Principal",
        "Wendy Workforce",
    ]
    pages, link = [], f"{url}&page_size=2"
    while link:
        body = client.get(link).json
        pages.append(body["colleagues"])
        link = body["links"]["next"]
        assert link is None or f"task_id={task_id}" in link
    assert [c for page in pages for c in page] == everyone["colleagues"]
    assert len(pages) == 2
