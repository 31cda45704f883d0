"""A fuzz test of every form and API endpoint: for each route that takes a
POST, as a person the access matrix lets post to it (so the form is really
read, not refused at the door), hypothesis posts generated input: the field
names the page's form has, with null characters, digits int() cannot read,
integers beyond any column, odd Unicode, dates in the wrong shape or one
value for a day/month/year field, and real or random IDs in the URL.

Nothing answers 5xx, and a refused submission (an error status, the form
shown again, or a redirect with an error flashed) leaves every table as it
was: row counts and a hash of each table's rows. Reads are audited and
sign-in bookkeeping moves, so those rows are left out of the fingerprint.
The examples per route are few so the whole walk stays near a minute."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models.base import Base
from tests.webapp.access_matrix_council import build_council
from tests.webapp.conftest import login
from tests.webapp.test_access_matrix import (
    QUERY,
    ROLES,
    TASK_KINDS,
    _all_routes,
    _args,
    allowed_roles,
)

WRITING = {"POST", "PUT", "PATCH", "DELETE"}
# Signing out ends the client's session; signing in is fuzzed before login below.
SKIPPED = {"auth.logout", "auth.login"}
# Bookkeeping a refused request may still write: read audits, sign-in sessions
# and throttling counters.
VOLATILE = {"sign_in_session", "attempt_counter"}

NASTY = st.one_of(
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "²",
            "٣",
            "\U0001d7d7",  # a mathematical bold nine
            "1" * 400,
            str(2**31),
            str(-(2**63)),
            "-1",
            "0",
            "1e309",
            "NaN",
            "Infinity",
            "2026-02-30",
            "2026-13-01",
            "31/12/2026",
            "0001-01-01",
            "9999-12-31",
            "LCS-100001",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\u202eevil",
            "\ufeff7",
            "Ω" * 300,
        ]
    ),
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
URL_INT = st.one_of(st.integers(0, 3), st.integers(2**31 - 2, 2**31 + 2), st.integers(0, 2**63))


def _field_names(html: str) -> list[str]:
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    # A GOV.UK date's three boxes: also post the bare name, as one value.
    names |= {n.rsplit("-", 1)[0] for n in names if n.endswith(("-day", "-month", "-year"))}
    return sorted(names - {"csrf_token"})


def fingerprint(engine) -> dict[str, tuple[int, str]]:
    prints = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in VOLATILE:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            if table.name == "audit_entry":
                query = query.where(table.c.action != "read")
            rows = connection.execute(query).all()
            prints[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return prints


def _refused(app, client, response) -> bool:
    """An error status, the form shown again with its error summary, or a
    redirect with an error flashed (a success is flashed as "success")."""
    if response.status_code >= 400:
        return True
    if response.status_code == 200:
        return "govuk-error-summary" in response.get_data(as_text=True)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is None:
        return False
    flashes = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    return any(category != "success" for category, _ in flashes.get("_flashes", []))


@pytest.fixture(scope="module")
def fuzzed(migrated_database):
    from models.db import get_engine, get_sessionmaker
    from tests.conftest import _empty_all_tables
    from tests.webapp.conftest import build_app

    _empty_all_tables()
    factory = get_sessionmaker()
    council = build_council(factory, task_kinds={"agreement", *TASK_KINDS.values()})
    app = build_app(factory)
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        assert login(clients[role], council.usernames[role]).status_code == 302
    yield app, council, clients, get_engine()
    _empty_all_tables()


def _writing_routes():
    routes, _ = _all_routes()
    for url_rule in sorted(routes, key=lambda r: r.endpoint):
        for method in sorted((url_rule.methods or set()) & WRITING):
            if url_rule.endpoint not in SKIPPED:
                yield pytest.param(url_rule.endpoint, method, id=f"{method} {url_rule.rule}")


def _writer(endpoint: str, method: str) -> str:
    """A role that may post here (the access matrix), else the supervisor."""
    from tests.webapp.test_access_matrix import ALLOWED

    if endpoint not in ALLOWED:
        return "supervisor"
    allowed = allowed_roles(endpoint, method)
    return next((role for role in ROLES if role in allowed), "supervisor")


@pytest.mark.parametrize(("endpoint", "method"), list(_writing_routes()))
def test_no_generated_input_gets_a_server_error_or_changes_anything_when_refused(
    fuzzed, endpoint, method
):
    app, council, clients, engine = fuzzed
    role = _writer(endpoint, method)
    client = clients[role]
    url_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    names = sorted(url_rule.arguments)
    real = _real_args(council, role, endpoint, names)
    with app.test_request_context():
        from flask import url_for

        page = url_for(endpoint, **real, **QUERY.get(endpoint, {}))
    form_page = client.get(page) if "GET" in url_rule.methods else None
    fields = _field_names(form_page.get_data(as_text=True)) if form_page else []
    fields = fields or ["reason", "to_staff", "to_staff_id", "task_id", "answer", "on"]

    # Mostly the real record, so the form behind the access rule is what is fuzzed.
    ints = {n: URL_INT for n in names if isinstance(real[n], int)}
    texts = {n: NASTY for n in names if n not in ints}
    chosen = {n: st.one_of(*[st.just(real[n])] * 3, s) for n, s in {**ints, **texts}.items()}

    @given(
        args=st.fixed_dictionaries(chosen),
        data=st.dictionaries(st.sampled_from(fields), NASTY, max_size=len(fields)),
    )
    @settings(
        max_examples=4,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def post(args, data):
        with app.test_request_context():
            from flask import url_for

            url = url_for(endpoint, **args, **QUERY.get(endpoint, {}))
        before = fingerprint(engine)
        response = _send(client, method, url, data)
        assert response.status_code < 500, f"{method} {url} {data!r}: {response.status_code}"
        if _refused(app, client, response):
            assert fingerprint(engine) == before, f"{method} {url} {data!r} was refused but changed"

    post()


def _real_args(council, role, endpoint, names) -> dict:
    """The access matrix's record in this role's scope for each argument; a
    text argument the matrix does not know (a link's token) gets a made-up one."""
    known = [n for n in names if n != "token"]
    real = next(_args(council, role, endpoint, known, visible=True))
    return {**real, **({"token": "not-a-token"} if "token" in names else {})}


def _send(client, method, url, data):
    if url.startswith("/api/"):
        headers = {"X-Requested-With": "XMLHttpRequest", "Content-Type": "application/json"}
        body = {k: _json_value(v) for k, v in data.items()}
        return client.open(url, method=method, headers=headers, data=json.dumps(body))
    return client.open(url, method=method, data=data)


def _json_value(text: str):
    """The API takes JSON: a whole number where the text is one, else the text."""
    return int(text) if re.fullmatch(r"-?[0-9]{1,30}", text) else text


@given(username=NASTY, password=NASTY)
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_signing_in_with_generated_input_never_fails_and_never_signs_in(fuzzed, username, password):
    app, _, _, _ = fuzzed
    response = app.test_client().post("/login", data={"username": username, "password": password})
    assert response.status_code in (200, 400, 429), response.status_code


# Every query-string value a page reads (request.args across webapp/).
QUERY_NAMES = [
    "due",
    "page",
    "cursor",
    "figure",
    "held_on",
    "kind",
    "mark",
    "next",
    "on",
    "outcome",
    "page_size",
    "q",
    "role",
    "status",
    "task",
    "team",
    "token",
    "version",
    "month",
    "group_id",
]


def _reading_routes():
    routes, _ = _all_routes()
    for url_rule in sorted(routes, key=lambda r: r.endpoint):
        if "GET" in (url_rule.methods or set()) and url_rule.endpoint not in SKIPPED:
            yield pytest.param(url_rule.endpoint, id=f"GET {url_rule.rule}")


@pytest.mark.parametrize("endpoint", list(_reading_routes()))
def test_no_generated_query_string_gets_a_server_error(fuzzed, endpoint):
    """Every page's filters and links, as the workforce team (who sees the
    whole council), with every query value any page reads set at once."""
    app, council, clients, _ = fuzzed
    role = "workforce_team"
    url_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    real = _real_args(council, role, endpoint, sorted(url_rule.arguments))

    @given(query=st.fixed_dictionaries(dict.fromkeys(QUERY_NAMES, NASTY)))
    @example(query=dict.fromkeys(QUERY_NAMES, "a\x00b"))
    @example(query=dict.fromkeys(QUERY_NAMES, "²"))
    @example(query=dict.fromkeys(QUERY_NAMES, str(2**63)))
    @example(query=dict.fromkeys(QUERY_NAMES, "0001-01-01"))
    @settings(
        max_examples=3,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def get(query):
        with app.test_request_context():
            from flask import url_for

            url = url_for(endpoint, **{**query, **real})
        response = clients[role].get(url, headers={"X-Requested-With": "XMLHttpRequest"})
        assert response.status_code < 500, f"GET {url[:300]}: {response.status_code}"

    get()


@pytest.mark.parametrize(
    "url",
    [
        "/inbox?kind=a%00b",
        "/people?q=a%00b",
        "/cases?q=a%00b",
        "/admin/staff?q=a%00b",
        "/calendar/feed.ics?token=a%00b",
    ],
)
def test_a_null_character_in_a_query_string_is_refused_naming_it(fuzzed, url):
    """PostgreSQL stores no null character in any text, so a search or a
    calendar token carrying one would fail in the database: refused first."""
    _, _, clients, _ = fuzzed
    response = clients["workforce_team"].get(url)
    assert response.status_code == 400
    name = url.split("?")[1].split("=")[0]
    assert f"“{name}” contains a null character" in response.get_data(as_text=True)
