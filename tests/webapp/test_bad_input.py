"""No input reaches a 500: a null character in any text field (the sign-in
username too, before anyone signs in), digits such as "²" that pass
str.isdigit() but are not a number, whole numbers too large for any column,
deeply nested JSON, and a date sent as one value or at the calendar's edges.
Each gets a specific error naming the field, and no table changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.base import Base
from tests.webapp.conftest import login, text_of
from tests.webapp.test_sessions import _owner, _session_ids, _with

BAD_VALUES = {
    "a null character": "Sam\x00Worker",
    "superscript digits": "²³",
    "a number too large for any column": "9" * 5000,
    "a number just past the column's range": "2147483648",
}
FIELDS = (
    "username",
    "password",
    "reason",
    "case_ref",
    "decision",
    "duration_minutes",
    "weeks",
    "worker",
    "to_staff",
    "cover_staff",
    "cases-0-case_ref",
    "actions-0-owner",
    "held_on",
)
UNCHANGED = ("audit_entry", "attempt_counter", "sign_in_session")  # bookkeeping of reads


def _fingerprint(db) -> dict[str, int]:
    """Every table's row count (the bookkeeping of sign-in and reads aside)."""
    with db() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name not in UNCHANGED
        }


def _url(app, url_rule, world) -> str:
    values = {
        "relationship_id": world.rel_id,
        "staff_id": world.worker_id,
        "case_ref": "LCS-204511",
        "part": "before",
    }
    args = {name: values.get(name, 1) for name in url_rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(url_rule.endpoint, **args)


def _form_routes(app):
    return [
        r
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and not r.endpoint.endswith("static")
    ]


@pytest.mark.parametrize("what", sorted(BAD_VALUES))
def test_every_form_route_refuses_an_unusable_value_naming_the_field_and_changes_nothing(
    app, client, world, db, what
):
    value = BAD_VALUES[what]
    login(client, world.manager)
    before = _fingerprint(db)
    for url_rule in _form_routes(app):
        url = _url(app, url_rule, world)
        data = {name: value for name in FIELDS if name != "password"}
        if url.startswith("/api/"):
            response = client.post(url, json=data, headers={"X-Requested-With": "XMLHttpRequest"})
            assert response.status_code == 422, url
            assert "error" in response.json
        else:
            response = client.post(url, data=data)
            assert response.status_code == 400, url
            assert "There is a problem" in text_of(response)
            assert "“duration minutes”" in text_of(response)
    assert _fingerprint(db) == before


def test_a_null_character_in_the_sign_in_username_is_refused_before_anything_is_counted(
    client, world, db
):
    before = _fingerprint(db)
    response = client.post("/login", data={"username": "work\x00er", "password": "x"})
    assert response.status_code == 400
    assert "“username” contains a null character" in text_of(response)
    assert _fingerprint(db) == before


def test_digits_kept_as_text_are_not_mistaken_for_a_number(client, world):
    """A password, or a DBS certificate number, may be a long run of digits."""
    response = client.post("/login", data={"username": "worker", "password": "9" * 30})
    assert response.status_code == 200  # just a wrong password
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new", data=_with(reference="001234567890")
    )
    assert response.status_code != 400


def test_json_nested_beyond_the_parsers_depth_is_refused(client, world):
    login(client, world.manager)
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/api/tasks/1/reassign",
        data=body,
        content_type="application/json",
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code in (404, 422)


def test_a_huge_number_in_a_query_string_is_refused_not_sent_to_the_database(client, world):
    login(client, world.manager)
    response = client.get("/cases/LCS-204511/supervise?task=99999999999")
    assert response.status_code == 400
    assert "The number in “task” is too large" in text_of(response)


@pytest.mark.parametrize(
    "held_on",
    [
        "2026-02-23",  # the date sent as one value, not day, month, year
        ["1", "1", "1"],  # year 1
        ["31", "12", "9999"],  # the last day the calendar has
        ["x", "2", "2026"],
    ],
)
def test_a_date_that_is_one_value_or_at_the_calendars_edges_gets_the_fields_message(
    client, world, db, held_on
):
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new",
        data=_owner(world, _with(held_on=held_on)),
    )
    assert response.status_code == 200
    assert "Date the session was held must be a real date" in text_of(response)
    assert _session_ids(db) == []


def test_superscript_minutes_are_refused_naming_the_field(client, world, db):
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new",
        data=_owner(world, _with(duration_minutes="1²0")),
    )
    assert response.status_code == 400
    assert "Enter “duration minutes” using the digits 0 to 9" in text_of(response)
    assert _session_ids(db) == []


def test_the_minutes_field_reads_only_the_digits_0_to_9_within_its_range():
    from webapp.fields import whole_number

    assert whole_number(" 110 ", 5, 600) == 110
    assert [whole_number(v, 5, 600) for v in ("1²0", "٣٠", "4", "601", "9" * 5000, "")] == [
        None
    ] * 6


def test_an_action_owner_not_offered_on_the_form_is_refused(client, world, db):
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new",
        data={**_with(), "actions-0-owner": str(world.outsider_id)},
    )
    assert response.status_code == 200
    assert "Choose who owns the action from the list" in text_of(response)
    assert _session_ids(db) == []
