"""What a form says when something typed is wrong: GOV.UK date-input
messages ("must be a real date", "must include a month and year"), each
problem listed once in the error summary, and dates in messages written as
people read them, never as ISO strings."""

from __future__ import annotations

import re

import pytest

from tests.webapp.conftest import login, text_of
from tests.webapp.test_sessions import _owner, _with
from webapp.fields import date_subject


def _summary_items(response) -> list[str]:
    body = response.get_data(as_text=True)
    listed = body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    return [
        re.sub(r"\s+", " ", item).strip()
        for item in re.findall(r"<a [^>]*>(.*?)</a>", listed, re.S)
    ]


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (["31", "2", "2026"], "Date the session was held must be a real date"),
        (["23", "13", "2026"], "Date the session was held must be a real date"),
        (["23", "", ""], "Date the session was held must include a month and year"),
        (["", "2", "2026"], "Date the session was held must include a day"),
    ],
)
def test_a_date_that_cannot_be_says_it_must_be_a_real_date(client, world, held_on, message):
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new", data=_owner(world, _with(held_on=held_on))
    )
    assert response.status_code == 200
    assert _summary_items(response).count(message) == 1
    assert 'value="2"' in response.get_data(as_text=True) or held_on[1] != "2"


def test_a_problem_put_on_its_field_is_listed_once_in_the_summary(client, world):
    """The late reason is put on its field and handed to the summary too."""
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new", data=_owner(world, _with(late_reason=""))
    )
    items = _summary_items(response)
    assert len(items) == len(set(items)) == 1
    assert "enter why the session was late (it was due by 2 February 2026)" in items[0]


@pytest.mark.parametrize(
    ("invalid_message", "label", "subject"),
    [
        ("Enter the date of the check, for example 27 3 2026", "Date", "Date of the check"),
        ("Enter the first day away as a real date, for example 27 3 2026", "x", "First day away"),
        (
            "Date of birth must be a real date, for example 27 3 2026",
            "Date of birth",
            "Date of birth",
        ),
    ],
)
def test_a_date_fields_messages_name_what_the_date_is(invalid_message, label, subject):
    assert date_subject(invalid_message, label) == subject


def test_a_refusal_names_the_date_as_people_read_it_not_an_iso_string(client, world, db):
    """The session's date in the action's own refusal (before the relationship began)."""
    login(client, world.manager)
    response = client.post(
        f"/relationships/{world.rel_id}/sessions/new",
        data=_owner(world, _with(held_on=["1", "1", "2020"], late_reason="Late")),
    )
    text = text_of(response)
    assert "1 January 2020 is before" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
