"""The inbox's JSON API: the same access rules as the pages, a custom header
and same-origin check instead of the form token, an OpenAPI document that
describes every route, and schemathesis run against it as a signed-in user."""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as st_checks
from sqlalchemy import select

from models import AppRole, HumanTask
from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, login, make_task

HEADER = {"X-Requested-With": "XMLHttpRequest"}


@pytest.fixture
def escalated(world, db):
    """The agreement tasks, and Helen's escalation, from the engine."""
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    with db() as session:
        return {
            t.kind: t.id
            for t in session.scalars(
                select(HumanTask).where(HumanTask.assignee_id.in_([world.head_id]))
            )
        }


def test_a_signed_out_caller_gets_401_in_json_not_a_redirect(client, world):
    response = client.get("/api/tasks")
    assert response.status_code == 401
    assert response.json == {"error": "Sign in first: the API uses the web app's session."}


def test_listing_my_tasks_gives_the_inbox_soonest_due_first_with_why_each_exists(client, world, db):
    later = make_task(
        db, organisation_id=world.org_id, assignee_id=world.worker_id, due_on=TODAY + timedelta(9)
    )
    sooner = make_task(
        db, organisation_id=world.org_id, assignee_id=world.worker_id, due_on=TODAY - timedelta(1)
    )
    make_task(db, organisation_id=world.org_id, assignee_id=world.colleague_id, due_on=TODAY)
    login(client, world.worker)
    body = client.get("/api/tasks").json
    assert [t["id"] for t in body["tasks"]] == [sooner, later]
    first = body["tasks"][0]
    assert first["overdue"] is True
    assert first["source"] == "000_b775b8e7712f1ef5.txt §1.4"
    assert first["rule_text"].startswith("Every member of staff")
    assert client.get("/api/tasks?due=overdue").json["count"] == 1


def test_another_persons_task_is_404_by_api_as_on_the_page(client, world, db):
    task_id = make_task(
        db, organisation_id=world.org_id, assignee_id=world.colleague_id, due_on=TODAY
    )
    login(client, world.worker)
    assert client.get(f"/api/tasks/{task_id}").status_code == 404
    for action in ("claim", "release", "complete", "reassign"):
        response = client.post(f"/api/tasks/{task_id}/{action}", headers=HEADER, json={})
        assert response.status_code == 404, action
        assert response.is_json


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Requested-With": "something else"},
        {**HEADER, "Origin": "https://evil.example"},
        {**HEADER, "Sec-Fetch-Site": "cross-site"},
    ],
    ids=["no header", "wrong header", "another origin", "cross-site fetch"],
)
def test_a_state_change_without_the_header_or_from_another_site_is_refused(
    client, world, escalated, db, headers
):
    login(client, world.head)
    response = client.post(f"/api/tasks/{escalated['escalation']}/complete", headers=headers)
    assert response.status_code == 403
    with db() as session:
        assert session.get(HumanTask, escalated["escalation"]).status != "completed"


def test_completing_an_escalation_acknowledges_it_and_a_task_with_a_form_is_409(
    client, world, escalated, db
):
    login(client, world.head)
    response = client.post(f"/api/tasks/{escalated['escalation']}/complete", headers=HEADER)
    assert response.status_code == 200
    assert response.json["status"] == "completed"
    client.post("/logout")

    login(client, world.manager)
    with db() as session:
        agreement = session.scalars(
            select(HumanTask.id).where(
                HumanTask.assignee_id == world.manager_id, HumanTask.kind == "agreement"
            )
        ).first()
    response = client.post(f"/api/tasks/{agreement}/complete", headers=HEADER)
    assert response.status_code == 409
    assert "/agreement/sign" in response.json["error"]


def test_claim_and_release_through_the_api(client, world, db):
    task_id = make_task(
        db, organisation_id=world.org_id, assignee_id=None, due_on=TODAY, kind="sampling"
    )
    with db() as session, session.begin():
        session.get(HumanTask, task_id).candidate_role = AppRole.HEAD_OF_SERVICE
    login(client, world.head)
    claimed = client.post(f"/api/tasks/{task_id}/claim", headers=HEADER).json
    assert claimed["assignee"] == {"id": world.head_id, "name": "Helen Head"}
    assert claimed["claimed_at"]
    released = client.post(f"/api/tasks/{task_id}/release", headers=HEADER).json
    assert released["assignee"] is None


def test_reassigning_through_the_api_needs_a_colleague_and_a_reason(client, world, db):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        kind="practice_observation",
        subject_staff_id=world.worker_id,
    )
    login(client, world.manager)
    url = f"/api/tasks/{task_id}/reassign"
    assert client.post(url, headers=HEADER, json={"to_staff_id": world.head_id}).status_code == 422
    outsider = client.post(
        url, headers=HEADER, json={"to_staff_id": world.outsider_id, "reason": "x"}
    )
    assert outsider.status_code == 422
    ok = client.post(url, headers=HEADER, json={"to_staff_id": world.head_id, "reason": "Leave"})
    assert ok.status_code == 200
    assert ok.json["reassignment"] == "delegated"
    assert ok.json["reassigned_reason"] == "Leave"
    # It is no longer mine to reassign.
    assert (
        client.post(url, headers=HEADER, json={"to_staff_id": 1, "reason": "x"}).status_code == 404
    )


def test_the_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    described = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    routes = {
        (r.rule.replace("<int:task_id>", "{task_id}"), method)
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("api.")
        for method in r.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == described


# --- pages ---------------------------------------------------------------------


def _walk(client, url: str, rel: str = "next") -> list[dict]:
    bodies = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json
        bodies.append(response.json)
        url = response.json["links"][rel]
        assert len(bodies) < 50, "the pages never end"
    return bodies


@pytest.fixture
def twelve(world, db):
    """Twelve of Sam's tasks, three to a due date, alternately escalations."""
    return [
        make_task(
            db,
            organisation_id=world.org_id,
            assignee_id=world.worker_id,
            due_on=TODAY + timedelta(days=3 - i // 3),
            kind="escalation" if i % 2 else "agreement",
        )
        for i in range(12)
    ]


def test_the_task_list_comes_in_pages_whose_links_keep_the_filters(client, world, db, twelve):
    login(client, world.worker)
    bodies = _walk(client, "/api/tasks?kind=escalation&page_size=2")
    with db() as session:
        escalations = sorted(
            (session.get(HumanTask, i) for i in twelve[1::2]), key=lambda t: (t.due_on, t.id)
        )
    assert [[t["id"] for t in b["tasks"]] for b in bodies] == [
        [t.id for t in escalations[i : i + 2]] for i in range(0, 6, 2)
    ]
    assert {(b["count"], b["page_size"]) for b in bodies} == {(6, 2)}
    assert "kind=escalation" in bodies[0]["links"]["next"]
    assert bodies[0]["links"]["previous"] is None and bodies[-1]["links"]["next"] is None
    back = _walk(client, bodies[-1]["links"]["previous"], rel="previous")
    assert [b["tasks"] for b in back] == [b["tasks"] for b in reversed(bodies[:-1])]


def test_the_api_counts_the_whole_inbox_whatever_the_page(client, world, db, twelve):
    login(client, world.worker)
    body = client.get("/api/tasks?page_size=1&due=overdue").json
    # Due 3, 2, 1 and 0 days from today, three each: none overdue.
    assert body["counts"] == {
        "total": 12,
        "overdue": 0,
        "due_this_week": 12,
        "later": 0,
        "offered": 0,
    }
    assert (body["count"], body["tasks"]) == (0, [])


def test_another_persons_cursor_lists_only_my_own_tasks_by_api(client, world, db, twelve):
    mine = make_task(db, organisation_id=world.org_id, assignee_id=world.colleague_id, due_on=TODAY)
    login(client, world.worker)
    theirs = client.get("/api/tasks?page_size=5").json["links"]["next"]
    client.post("/logout")
    login(client, world.colleague)
    for url in (theirs, theirs.replace("page_size=5", "page_size=100")):
        assert [t["id"] for t in client.get(url).json["tasks"]] in ([], [mine])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("cursor=not-a-cursor", "The cursor is not one this API gave out"),
        ("cursor=WyJhZnRlciIsNSwxXQ", "The cursor is not one this API gave out"),
        ("page_size=0", "page_size must be a whole number from 1 to 100"),
        ("page_size=101", "page_size must be a whole number from 1 to 100"),
        ("page_size=ten", "page_size must be a whole number from 1 to 100"),
    ],
)
@pytest.mark.parametrize("path", ["/api/tasks", "/api/colleagues"])
def test_a_malformed_cursor_or_page_size_is_a_400_that_says_what_to_change(
    client, world, path, query, message
):
    login(client, world.worker)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.json["error"].startswith(message)


def test_the_openapi_document_describes_the_paging_of_each_list(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path in ("/api/tasks", "/api/colleagues"):
        operation = paths[path]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"cursor", "page_size"} <= names, path
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert {"count", "page_size", "links"} <= set(schema["required"]), path
        assert "400" in operation["responses"], path


# --- schemathesis ---------------------------------------------------------------


@pytest.fixture(scope="module")
def signed_in_api(migrated_database):
    """A council with tasks (built once: hypothesis runs many examples), the app
    over it, and a session cookie for Helen Head, who has an inbox, an
    escalation, a group task to claim and people to reassign to."""
    from models.db import get_sessionmaker
    from tests.conftest import _empty_all_tables
    from tests.webapp.conftest import build_app, build_world

    _empty_all_tables()
    factory = get_sessionmaker()
    the_world = build_world(factory)
    reconcile(
        organisation_id=the_world.org_id,
        lifecycles={"agreement"},
        as_of=TODAY,
        session_factory=factory,
    )
    group = make_task(
        factory, organisation_id=the_world.org_id, assignee_id=None, due_on=TODAY, kind="sampling"
    )
    with factory() as session, session.begin():
        session.get(HumanTask, group).candidate_role = AppRole.HEAD_OF_SERVICE
    app = build_app(factory)
    client = app.test_client()
    assert login(client, "head").status_code == 302
    cookie = client.get_cookie("oversight_session").value
    yield app, cookie
    _empty_all_tables()


def _operations():
    from webapp.api.openapi import openapi_document

    for path, methods in openapi_document()["paths"].items():
        for method in methods:
            yield pytest.param(path, method, id=f"{method.upper()} {path}")


@pytest.mark.parametrize(("path", "method"), list(_operations()))
def test_the_api_conforms_to_its_openapi_document_and_never_fails(signed_in_api, path, method):
    """Schemathesis generates requests from the document (valid ones, and IDs
    that exist and do not) and checks every answer: never a 5xx, a status and
    content type the document lists, and a body that matches its schema."""
    app, cookie = signed_in_api
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = api[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def call(case):
        case.call_and_validate(
            headers=HEADER,
            cookies={"oversight_session": cookie},
            checks=[
                st_checks.not_a_server_error,
                st_checks.status_code_conformance,
                st_checks.content_type_conformance,
                st_checks.response_schema_conformance,
            ],
        )

    call()
