"""The People page at a council's size: search, filters (team, role,
status, overdue work), pages of 50 counted by the database, bad filter
values answered with an error summary, and the same number of statements
for a page of a hundred people as for a page of three."""

from __future__ import annotations

import re
from datetime import timedelta

from models import StaffRole
from tests.factories import make_human_task
from tests.statements import statements_during
from tests.webapp.conftest import TODAY, login, text_of
from tests.worlds.builder import Council


def _names(response) -> list[str]:
    html = response.get_data(as_text=True)
    table = re.search(r'data-testid="people".*?</table>', html, flags=re.S)
    return re.findall(r'href="/people/\d+">([^<]+)</a>', table.group(0)) if table else []


def _add_people(db, world, count: int) -> dict:
    """`count` social workers line-managed by Grace, alternately in the
    Assessment and Fostering teams; every fifth has an overdue task, every
    seventh has left, and every tenth is an IRO."""
    made = {"overdue": set(), "left": set(), "iro": set(), "fostering": set()}
    with db() as session, session.begin():
        council = Council.of(session, world.org_id)
        manager = council.staff(world.manager_id)
        fostering = council.team("Fostering Team")
        for n in range(1, count + 1):
            name = f"Worker {n:03d}"
            role = StaffRole.IRO if n % 10 == 0 else StaffRole.SOCIAL_WORKER
            left = {"left_on": TODAY - timedelta(days=3)} if n % 7 == 0 else {}
            team = fostering if n % 2 else manager.team
            person = council.person(name, role, line_manager=manager, team=team, **left)
            if n % 5 == 0:
                make_human_task(
                    session, world.org_id, kind="dbs_check", lifecycle="checks",
                    due_on=TODAY - timedelta(days=2), assignee=manager, subject_staff=person,
                )  # fmt: skip
                made["overdue"].add(name)
            if left:
                made["left"].add(name)
            if role == StaffRole.IRO:
                made["iro"].add(name)
            if team is fostering:
                made["fostering"].add(name)
        made["fostering_id"] = fostering.id
    return made


def test_the_people_list_shows_fifty_a_page_and_counts_everyone_who_matches(client, world, db):
    _add_people(db, world, 120)
    login(client, world.manager)
    first = client.get("/people")
    # Grace, Sam, Chloe and the 120 less the 17 who have left.
    assert "Showing 1 to 50 of 106 people, by name." in text_of(first)
    assert len(_names(first)) == 50
    last = client.get("/people?page=3")
    assert "Showing 101 to 106 of 106 people" in text_of(last)
    assert len(_names(last)) == 6
    every = set(_names(first)) | set(_names(client.get("/people?page=2"))) | set(_names(last))
    assert len(every) == 106
    assert 'aria-label="Pages of people"' in first.get_data(as_text=True)


def test_search_and_each_filter_narrow_the_list_and_the_page_links_keep_them(client, world, db):
    made = _add_people(db, world, 120)
    login(client, world.manager)
    assert _names(client.get("/people?q=worker+01")) == [f"Worker {n:03d}" for n in range(10, 20)
        if n % 7]  # fmt: skip
    overdue = _names(client.get("/people?overdue=yes&status=all"))
    assert set(overdue) == made["overdue"]
    iro = _names(client.get("/people?role=iro&status=all"))
    assert set(iro) == made["iro"]
    left = _names(client.get("/people?status=left"))
    assert set(left) == made["left"]
    fostering = client.get(f"/people?team={made['fostering_id']}&status=all")
    assert "Showing 1 to 50 of 60 people who match" in text_of(fostering)
    assert (
        f"team={made['fostering_id']}"
        in fostering.get_data(as_text=True).split("Pages of people")[1]
    )


def test_a_filter_value_the_list_cannot_use_is_named_in_an_error_summary(client, world, db):
    made = _add_people(db, world, 3)
    login(client, world.manager)
    response = client.get("/people?team=abc&role=wizard&page=0")
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert "Team: choose one of the options in the list" in text
    assert "Role: choose one of the options in the list" in text
    assert "Page: the page number must be a whole number from 1" in text
    assert response.get_data(as_text=True).count('href="#team"') == 1
    # A team outside the person's scope is no option for them.
    login(client, world.worker)
    text = text_of(client.get(f"/people?team={made['fostering_id']}"))
    assert "Team: choose one of the options in the list" in text


def test_filters_stay_within_the_persons_scope(client, world, db):
    _add_people(db, world, 10)
    login(client, world.worker)
    assert _names(client.get("/people?status=all")) == ["Sam Worker"]
    assert _names(client.get("/people?q=worker&status=all")) == ["Sam Worker"]


def test_a_page_of_a_hundred_people_takes_as_many_statements_as_a_page_of_three(client, world, db):
    login(client, world.manager)
    _add_people(db, world, 3)
    _, small = statements_during(db.kw["bind"], lambda: client.get("/people?status=all"))
    _add_people(db, world, 100)
    page, large = statements_during(db.kw["bind"], lambda: client.get("/people?status=all"))
    assert len(_names(page)) == 50
    assert large == small
