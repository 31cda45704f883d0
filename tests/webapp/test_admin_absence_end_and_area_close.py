"""The admin pages that end or shorten an absence, with its cover, and close
a service area once it has no open teams: each checked, then saved by one
action that audits it."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry, StaffRole, Team
from models.tables.org import ServiceArea
from models.tables.outbox import OutboxEvent
from models.tables.oversight import Absence, CoverArrangement
from tests.factories.cover import make_absence, make_cover
from tests.factories.people import make_service_area, make_staff, make_team, make_user
from tests.webapp.admin_council import build_admin_council, signed_in_client
from tests.webapp.conftest import TODAY
from tests.webapp.conftest import text_of as page_text


def text_of(response) -> str:
    return html.unescape(page_text(response))


@pytest.fixture
def council(db):
    return build_admin_council(db)


@pytest.fixture
def client(db, tmp_path, council):
    return signed_in_client(db, tmp_path)


def date_fields(name: str, day: date) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def checked_and_confirmed(client, url: str, data: dict):
    check = client.post(url, data=data)
    assert check.status_code == 200 and "Check your answers" in text_of(check), text_of(check)
    return client.post(url, data={**data, "confirm": "1"})


@pytest.fixture
def covered(db, council):
    """The manager is away for three weeks from yesterday, a colleague covering."""
    with db() as session, session.begin():
        colleague = make_staff(session, council["org"], role=StaffRole.TEAM_MANAGER)
        make_user(session, colleague, AppRole.SUPERVISOR)
        dates = {"starts_on": TODAY - timedelta(days=1), "ends_on": TODAY + timedelta(days=20)}
        absence = make_absence(session, council["manager"], reason="Sick leave", **dates)
        make_cover(session, council["manager"], colleague, **dates)
        return absence.id


def test_an_absence_is_shortened_on_its_page_with_its_cover_and_audited(
    db, client, council, covered
):
    url = f"/admin/staff/{council['manager']}/absence/end"
    offered = text_of(client.get(f"/admin/staff/{council['manager']}/absence"))
    new_end = TODAY + timedelta(days=3)

    done = checked_and_confirmed(
        client, url, {"absence": str(covered), **date_fields("ends_on", new_end)}
    )

    assert "End or shorten an absence" in offered
    assert done.status_code == 302
    with db() as session:
        assert session.get(Absence, covered).ends_on == new_end
        assert session.scalars(select(CoverArrangement.ends_on)).one() == new_end
        assert session.scalars(select(OutboxEvent.event)).all() == ["oversight.absence.shortened"]
        details = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.object_type == "cover_arrangement")
        ).all()
    was = (TODAY + timedelta(days=20)).isoformat()
    assert any(f"ends_on: {was} -> {new_end.isoformat()}" in d for d in details)


def test_a_longer_absence_is_refused_on_the_last_day_field(db, client, council, covered):
    refused = client.post(
        f"/admin/staff/{council['manager']}/absence/end",
        data={
            "absence": str(covered),
            **date_fields("ends_on", TODAY + timedelta(days=30)),
            "confirm": "1",
        },
    )

    assert refused.status_code == 200
    assert "give an earlier last day" in text_of(refused)
    assert 'href="#ends_on' in refused.get_data(as_text=True)
    with db() as session:
        assert session.get(Absence, covered).ends_on == TODAY + timedelta(days=20)


def test_another_persons_absence_cannot_be_chosen_on_this_persons_page(
    db, client, council, covered
):
    with db() as session, session.begin():
        make_absence(session, council["worker"], starts_on=TODAY)
    refused = client.post(
        f"/admin/staff/{council['worker']}/absence/end",
        data={"absence": str(covered), **date_fields("ends_on", TODAY), "confirm": "1"},
    )

    assert refused.status_code == 200 and "There is a problem" in text_of(refused)
    with db() as session:
        assert session.get(Absence, covered).ends_on == TODAY + timedelta(days=20)


def test_a_service_area_closes_only_once_it_has_no_open_teams(db, client, council):
    with db() as session, session.begin():
        area = make_service_area(session, council["org"], name="Early help")
        make_team(session, council["org"], name="Early help east", area=area)
        area_id = area.id
    url = f"/admin/areas/{area_id}/close"
    closes_on = TODAY + timedelta(days=7)

    refused = client.post(url, data={**date_fields("closed_on", closes_on), "confirm": "1"})
    with db() as session, session.begin():
        session.scalars(select(Team).where(Team.service_area_id == area_id)).one().closed_on = TODAY
    closed = checked_and_confirmed(client, url, date_fields("closed_on", closes_on))
    listing = text_of(client.get("/admin/teams"))
    add_team = client.get("/admin/teams/new").get_data(as_text=True)

    assert "still has open teams on that day (Early help east)" in text_of(refused)
    assert closed.status_code == 302
    assert f"Early help (closed {closes_on.day} {closes_on:%B %Y})" in listing
    assert f'value="{area_id}"' not in add_team
    with db() as session:
        assert session.get(ServiceArea, area_id).closed_on == closes_on
        assert session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.object_type == "service_area", AuditEntry.action == "close"
            )
        ).first()


def test_a_person_with_no_absence_to_shorten_is_sent_to_their_absence_page(client, council):
    sent = client.get(f"/admin/staff/{council['worker']}/absence/end")

    assert sent.status_code == 302
    assert sent.location.endswith(f"/admin/staff/{council['worker']}/absence")
    assert "has no absence that is not over" in text_of(client.get(sent.location))
