"""A supervisor's page of their supervisees, each with where they stand (last
session, next supervision due, agreement, overdue records and tasks), read
in one statement however many supervisees there are; the inbox links to it
for people who supervise anyone and nobody else may open it."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.factories import make_agreement, make_human_task, make_session
from tests.statements import statements_during
from tests.webapp.conftest import TODAY, login, text_of
from tests.worlds.builder import Council


def _row(html: str, staff_id: int) -> str:
    row = re.search(rf'<tr[^>]*data-staff-id="{staff_id}".*?</tr>', html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(0))).strip()


def _standing(db, world):
    with db() as session, session.begin():
        make_agreement(
            session,
            world.rel_id,
            signed_on=TODAY - timedelta(days=50),
            in_force_on=TODAY - timedelta(days=50),
        )
        make_agreement(
            session,
            world.colleague_rel_id,
            signatures={"supervisor": TODAY - timedelta(days=4)},
        )
        make_session(session, world.rel_id, held_on=TODAY - timedelta(days=40))
        make_session(session, world.rel_id, held_on=TODAY - timedelta(days=12))
        make_human_task(
            session, world.org_id, kind="supervision", relationship=world.rel_id,
            subject_staff=world.worker_id, assignee=world.manager_id,
            due_on=TODAY + timedelta(days=16), lifecycle="personal_supervision",
        )  # fmt: skip
        for days in (2, 9):
            make_human_task(
                session, world.org_id, kind="record_countersign", relationship=world.rel_id,
                subject_staff=world.colleague_id, assignee=world.colleague_id,
                due_on=TODAY - timedelta(days=days), lifecycle="recording",
            )  # fmt: skip
        make_human_task(
            session, world.org_id, kind="dbs_check", subject_staff=world.colleague_id,
            assignee=world.manager_id, due_on=TODAY - timedelta(days=1), lifecycle="checks",
        )  # fmt: skip


def test_each_supervisee_shows_last_session_next_due_agreement_and_overdue_work(client, world, db):
    _standing(db, world)
    login(client, world.manager)
    html = client.get("/supervisees").get_data(as_text=True)
    assert "You supervise 2 people." in text_of(client.get("/supervisees"))
    assert _row(html, world.worker_id) == (
        "Sam Worker Social worker 18 February 2026 18 March 2026 In force since 11 January 2026 0 0"
    )
    assert _row(html, world.colleague_id) == (
        "Chloe Colleague None yet Not yet in your inbox Waiting for their countersignature 2 3"
    )


def test_the_inbox_links_to_the_supervisees_page_only_for_a_supervisor(client, world, db):
    login(client, world.manager)
    assert 'data-testid="supervisees-link"' in client.get("/inbox").get_data(as_text=True)
    client.post("/logout")
    login(client, world.worker)
    assert 'data-testid="supervisees-link"' not in client.get("/inbox").get_data(as_text=True)
    assert client.get("/supervisees").status_code == 404


def test_the_supervisees_page_takes_as_many_statements_for_forty_as_for_two(client, world, db):
    login(client, world.manager)
    _, two = statements_during(db.kw["bind"], lambda: client.get("/supervisees"))
    with db() as session, session.begin():
        council = Council.of(session, world.org_id)
        manager = council.staff(world.manager_id)
        for n in range(38):
            person = council.person(f"Extra {n:02d}", line_manager=manager)
            rel = council.supervises(manager, person)
            make_agreement(session, rel, signed_on=TODAY - timedelta(days=30))
    page, forty = statements_during(db.kw["bind"], lambda: client.get("/supervisees"))
    assert "You supervise 40 people." in text_of(page)
    assert forty == two
