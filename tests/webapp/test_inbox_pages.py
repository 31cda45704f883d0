"""The inbox in pages: soonest due first, every task once however many share
a due date, the filters kept from page to page, counts at the top that the
database computes, and cursors that reveal nothing and never break the page."""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
from datetime import date, timedelta

import pytest

from models import AppRole, HumanTask
from tests.webapp.conftest import TODAY, build_app, login, text_of
from webapp.cursor import AFTER, BEFORE, Cursor, CursorError
from webapp.inbox_list import decode_cursor

PAGE = 7
_numbers = itertools.count(1)


@pytest.fixture
def app(db):
    """Small pages, so a few dozen tasks make several."""
    return build_app(db, INBOX_PAGE_SIZE=PAGE)


def add_tasks(db, org_id: int, specs: list[dict]) -> list[int]:
    """Insert human tasks in one transaction; each spec overrides the defaults."""
    rows = []
    for spec in specs:
        n = next(_numbers)
        values = {
            "organisation_id": org_id,
            "key": f"pages:{n}",
            "kind": "agreement",
            "lifecycle": "agreement",
            "title": f"Paged task {n}",
            "subject": f"staff-{n}",
            "due_on": TODAY,
            "status": "open",
            "rule": "agreement.deadline",
            "source": "000_b775b8e7712f1ef5.txt §1.4",
            "rule_text": "Within 6 weeks of starting.",
            "created_by": "test",
            **spec,
        }
        rows.append(HumanTask(**values))
    with db() as session, session.begin():
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def ids_on(response) -> list[int]:
    """The tasks on the page, in the order shown (mine, then those offered)."""
    return [int(i) for i in re.findall(r'data-task-id="(\d+)"', response.get_data(as_text=True))]


def link(response, rel: str) -> str | None:
    match = re.search(rf'href="([^"]+)" rel="{rel}"', response.get_data(as_text=True))
    return html.unescape(match.group(1)) if match else None


def walk(client, url: str, rel: str = "next") -> list[list[int]]:
    """Follow the GOV.UK pagination links from url; the tasks on each page."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(ids_on(response))
        url = link(response, rel)
        assert len(pages) < 50, "the pages never end"
    return pages


def in_due_order(db, ids) -> list[int]:
    with db() as session:
        tasks = [session.get(HumanTask, i) for i in ids]
        return [t.id for t in sorted(tasks, key=lambda t: (t.due_on, t.id))]


@pytest.fixture
def crowded(world, db):
    """Grace's inbox: 24 tasks on three due dates (inserted out of order, so
    IDs and dates disagree), some escalated, and 5 group tasks offered to
    supervisors; plus tasks that must not appear: done, cancelled, another's."""
    dates = [TODAY + timedelta(days=d) for d in (9, -4, 2)]
    mine = add_tasks(
        db,
        world.org_id,
        [
            {
                "assignee_id": world.manager_id,
                "due_on": dates[i % 3],
                "status": "escalated" if i % 5 == 0 else "open",
            }
            for i in range(24)
        ],
    )
    offered = add_tasks(
        db,
        world.org_id,
        [
            {
                "assignee_id": None,
                "candidate_role": AppRole.SUPERVISOR,
                "subject_staff_id": world.worker_id,
                "due_on": dates[i % 3],
            }
            for i in range(5)
        ],
    )
    add_tasks(
        db,
        world.org_id,
        [
            {"assignee_id": world.manager_id, "status": "completed"},
            {"assignee_id": world.manager_id, "status": "cancelled"},
            {"assignee_id": world.worker_id},
            {"assignee_id": None, "candidate_role": AppRole.HEAD_OF_SERVICE},
        ],
    )
    return in_due_order(db, mine + offered)


def test_the_pages_hold_every_task_once_soonest_due_first_though_many_share_a_date(
    client, world, crowded
):
    login(client, world.manager)
    pages = walk(client, "/inbox")
    assert [len(p) for p in pages] == [7, 7, 7, 7, 1]
    # Each page lists mine before those offered; across pages, due order holds.
    assert sorted(itertools.chain(*pages)) == sorted(crowded)
    assert [sorted(p, key=crowded.index) for p in pages] == [
        crowded[i : i + PAGE] for i in range(0, len(crowded), PAGE)
    ]


def test_the_previous_links_go_back_through_the_same_pages(client, world, crowded):
    login(client, world.manager)
    url, last = "/inbox", None
    while url:
        last = client.get(url)
        url = link(last, "next")
    backwards = walk(client, link(last, "prev"), rel="prev")
    forwards = walk(client, "/inbox")
    assert [sorted(p) for p in backwards] == [sorted(p) for p in reversed(forwards[:-1])]
    assert link(client.get("/inbox"), "prev") is None


def test_the_pages_keep_the_filters(client, world, crowded, db):
    login(client, world.manager)
    pages = walk(client, "/inbox?status=open&due=four_weeks")
    shown = list(itertools.chain(*pages))
    with db() as session:
        expected = [
            i
            for i in crowded
            if (t := session.get(HumanTask, i)).status == "open"
            and t.assignee_id is not None
            and t.due_on >= TODAY
        ]
    assert shown == expected
    assert len(pages) == 2
    response = client.get("/inbox?status=open&due=four_weeks")
    assert "status=open" in link(response, "next") and "due=four_weeks" in link(response, "next")
    assert f"Showing {len(expected)} of {len(crowded)} tasks" in text_of(response)


def test_the_counts_at_the_top_agree_with_counting_the_tasks_by_hand(client, world, db):
    offsets = [-30, -1, 0, 0, 3, 6, 7, 8, 40, 400]
    add_tasks(
        db,
        world.org_id,
        [{"assignee_id": world.manager_id, "due_on": TODAY + timedelta(days=d)} for d in offsets]
        + [
            {"assignee_id": None, "candidate_role": AppRole.SUPERVISOR, "due_on": TODAY},
            {"assignee_id": world.manager_id, "due_on": TODAY, "status": "completed"},
            {"assignee_id": world.colleague_id, "due_on": TODAY - timedelta(days=3)},
        ],
    )
    due = [TODAY + timedelta(days=d) for d in offsets] + [TODAY]  # the group task too
    expected = {
        "overdue": sum(d < TODAY for d in due),
        "due_this_week": sum(TODAY <= d <= TODAY + timedelta(days=6) for d in due),
        "later": sum(d > TODAY + timedelta(days=6) for d in due),
        "total": len(due),
    }
    login(client, world.manager)
    response = client.get("/inbox")
    shown = dict(
        re.findall(r'data-count="(\w+)">(\d+)<', response.get_data(as_text=True)),
    )
    assert (
        {k: int(v) for k, v in shown.items()}
        == expected
        == {
            "overdue": 2,
            "due_this_week": 5,  # today twice, the group task, 3 and 6 days on
            "later": 4,
            "total": 11,
        }
    )
    assert "You have 10 tasks to do, soonest due first, and 1 offered to your group" in (
        text_of(response)
    )


def test_a_cursor_from_someone_elses_inbox_shows_only_my_own_tasks(client, world, db):
    theirs = add_tasks(
        db,
        world.org_id,
        [{"assignee_id": world.worker_id, "due_on": TODAY + timedelta(days=i)} for i in range(9)],
    )
    mine = add_tasks(
        db,
        world.org_id,
        [
            {"assignee_id": world.colleague_id, "due_on": TODAY + timedelta(days=i)}
            for i in range(9)
        ],
    )
    login(client, world.worker)
    their_next = link(client.get("/inbox"), "next")
    assert their_next
    client.post("/logout")
    login(client, world.colleague)
    # Their own link, and cursors aimed at each of their tasks, in both directions.
    with db() as session:
        aimed = [
            Cursor(direction, (session.get(HumanTask, i).due_on, i)).encode()
            for i in theirs
            for direction in (AFTER, BEFORE)
        ]
    for url in [their_next, *(f"/inbox?cursor={token}" for token in aimed)]:
        shown = ids_on(client.get(url))
        assert set(shown) <= set(mine), url


def _token(items) -> str:
    return base64.urlsafe_b64encode(json.dumps(items).encode()).decode().rstrip("=")


MALFORMED = {
    "not base64": "%%%not-a-cursor%%%",
    "base64 of nonsense": base64.urlsafe_b64encode(b"\xff\xfe nonsense").decode(),
    "JSON but not a list": _token({"after": 1}),
    "no such day": _token(["after", "2026-02-30", 5]),
    "a number for a date": _token(["after", 20260302, 5]),
    "a negative ID": _token(["after", "2026-03-02", -5]),
    "an ID too big for the column": _token(["after", "2026-03-02", 2**40]),
    "true for an ID": _token(["after", "2026-03-02", True]),
    "a direction we never make": _token(["sideways", "2026-03-02", 5]),
    "a key too short": _token(["after", "2026-03-02"]),
    "far too long": "A" * 5000,
}


@pytest.mark.parametrize("token", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_cursor_shows_the_first_page_and_never_an_error(client, world, crowded, token):
    with pytest.raises(CursorError):
        decode_cursor(token)
    login(client, world.manager)
    response = client.get("/inbox", query_string={"cursor": token})
    assert response.status_code == 200
    assert ids_on(response) == ids_on(client.get("/inbox"))


def test_a_cursor_reads_back_as_the_position_it_was_made_from():
    cursor = Cursor(BEFORE, (date(2026, 3, 2), 42))
    token = cursor.encode()
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert decode_cursor(token) == cursor


def test_a_page_stays_a_few_tens_of_kb_however_many_tasks_there_are(world, db):
    add_tasks(
        db,
        world.org_id,
        [
            {"assignee_id": world.manager_id, "due_on": TODAY + timedelta(days=i % 90)}
            for i in range(400)
        ],
    )
    client = build_app(db).test_client()  # the real page size
    login(client, world.manager)
    response = client.get("/inbox")
    assert len(ids_on(response)) == 25
    assert len(response.get_data()) < 50_000
    assert "You have 400 tasks to do" in text_of(response)
