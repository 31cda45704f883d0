"""A person's page (agreement, cadence, the timeline of sessions held and due
as a chart and a table, observations, open tasks, where they stand against
policy) and "who has opened my records"."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from models import AuditEntry, Observation, ObservationKind, SupervisionSession
from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor
from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, login, text_of


def _signed(world, db):
    sign_agreement_as_supervisor(
        relationship_id=world.rel_id,
        signer_staff_id=world.manager_id,
        content={},
        frequency_weeks=4,
        on=TODAY - timedelta(days=40),
        session_factory=db,
    )
    countersign_agreement(
        relationship_id=world.rel_id,
        signer_staff_id=world.worker_id,
        on=TODAY - timedelta(days=40),
        session_factory=db,
    )


def _history(world, db):
    with db() as session, session.begin():
        for days in (60, 30):
            session.add(
                SupervisionSession(
                    relationship_id=world.rel_id,
                    held_on=TODAY - timedelta(days=days),
                    recorded_on=TODAY - timedelta(days=days),
                    status="held",
                )
            )
        session.add(
            Observation(
                kind=ObservationKind.PRACTICE,
                staff_id=world.worker_id,
                observer_id=world.manager_id,
                observed_on=TODAY - timedelta(days=20),
                with_family=True,
            )
        )


def test_the_person_page_shows_agreement_cadence_timeline_observations_and_tasks(client, world, db):
    _signed(world, db)
    _history(world, db)
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    login(client, world.manager)
    response = client.get(f"/people/{world.worker_id}")
    assert response.status_code == 200
    text = text_of(response)
    html = response.get_data(as_text=True)
    assert "Sam Worker" in text
    assert "In force since 21 January 2026" in text
    assert (
        "Next supervision" in text
        and "Policy: Lancashire County Council: Supervision Practice Standards, §" in text
    )
    # The chart and its text alternative carry the same sessions.
    svg = re.search(r"<svg.*?</svg>", html, flags=re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="oversight-timeline__held"') == 2
    table = re.search(r'data-testid="timeline-table".*?</table>', html, flags=re.S).group(0)
    assert "31 January 2026" in table and "1 January 2026" in table
    assert "Held" in table
    assert "practice observation by Grace Manager, with a family" in text
    standing = re.search(r'data-testid="standing".*?</table>', html, flags=re.S).group(0)
    assert 'data-lifecycle="agreement"' in standing
    assert 'data-lifecycle="personal_supervision"' in standing


def test_the_standing_table_counts_what_the_policy_engine_says(client, world, db):
    """No agreement yet, weeks after starting: the agreement is overdue."""
    login(client, world.worker)
    html = client.get(f"/people/{world.worker_id}").get_data(as_text=True)
    row = re.search(r'data-lifecycle="agreement".*?</tr>', html, flags=re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    assert cells[0].strip() == "0"  # met
    assert "govuk-tag--red" in cells[2]  # overdue
    assert "Your supervision" in text_of(client.get(f"/people/{world.worker_id}"))


def test_people_lists_only_those_in_my_scope(client, world):
    login(client, world.manager)
    text = text_of(client.get("/people"))
    assert "Sam Worker" in text and "Chloe Colleague" in text
    assert "Helen Head" not in text and "Oscar Outsider" not in text
    login(client, world.worker)
    text = text_of(client.get("/people"))
    assert "Sam Worker" in text and "Chloe Colleague" not in text


def test_opening_someones_page_or_agreement_is_listed_on_their_who_opened_page(client, world, db):
    _signed(world, db)
    login(client, world.manager)
    client.get(f"/people/{world.worker_id}")
    client.get(f"/relationships/{world.rel_id}/agreement")
    client.post("/logout")
    login(client, world.head)
    client.get(f"/relationships/{world.rel_id}/agreement")
    client.post("/logout")

    login(client, world.worker)
    client.get(f"/people/{world.worker_id}")  # my own reads are not listed
    response = client.get(f"/people/{world.worker_id}/opened")
    html = response.get_data(as_text=True)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S)
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", r)).strip() for r in rows[1:]]
    assert len(cells) == 3
    assert cells[0].endswith("Helen Head Supervision agreement")
    assert "Grace Manager, Team manager Supervision agreement" in cells[1]
    assert "Grace Manager, Team manager Supervision overview page" in cells[2]
    assert re.match(r"\d{1,2} \w+ 20\d\d at \d{1,2}:\d\d(am|pm)", cells[0])
    with db() as session:
        reads = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "read", AuditEntry.subject_staff_id == world.worker_id
            )
        ).all()
    assert len(reads) == 4


def test_nobody_has_opened_a_new_starters_records(client, world):
    login(client, world.worker)
    response = client.get(f"/people/{world.worker_id}/opened")
    assert "Nobody else has opened your records." in text_of(response)


def test_a_supervisor_cannot_read_the_who_opened_list_of_their_supervisee(client, world):
    login(client, world.manager)
    assert client.get(f"/people/{world.worker_id}/opened").status_code == 404
    assert client.get(f"/people/{world.manager_id}/opened").status_code == 200
