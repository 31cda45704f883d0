"""Calendars: a private feed at a revocable token URL and one planned session
as an invitation. Both parse with the icalendar package, carry Europe/London
times, and name only the people and the kind of session."""

from __future__ import annotations

import re
from datetime import datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from models import CalendarToken, SessionStatus, SupervisionSession
from models.actions.schedule import plan_year
from tests.webapp.conftest import TODAY, login, text_of

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def planned(world, db):
    plan_year(world.rel_id, TODAY, session_factory=db)
    with db() as session, session.begin():
        first = session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.status == SessionStatus.PLANNED)
            .order_by(SupervisionSession.planned_on)
        ).first()
        first.record = {"sections": {"personal": "Private: bereavement leave"}}
        return first.id, first.planned_on


def _new_link(client) -> str:
    html = client.post("/calendar/token").get_data(as_text=True)
    match = re.search(r'value="(http[^"]+/calendar/feed\.ics\?token=[^"]+)"', html)
    assert match, "the new link is not shown"
    parts = urlsplit(match.group(1))
    return f"{parts.path}?{parts.query}"


def test_the_feed_lists_planned_sessions_for_supervisor_and_supervisee(client, world, db, planned):
    login(client, world.worker)
    link = _new_link(client)
    client.post("/logout")
    response = client.get(link)  # a calendar app: no session cookie
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.data)
    events = list(cal.walk("VEVENT"))
    assert len(events) >= 12
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    session_id, planned_on = planned
    first = events[0]
    start = first.decoded("DTSTART")
    assert start == datetime.combine(planned_on, time(10, 0), tzinfo=LONDON)
    assert str(start.tzinfo) == "Europe/London"
    assert first["DTSTART"].params["TZID"] == "Europe/London"
    assert str(first["SUMMARY"]) == "One-to-one supervision: Grace Manager and Sam Worker"
    body = response.get_data(as_text=True)
    assert "bereavement" not in body and "LCS" not in body
    assert str(first["UID"]).startswith(f"supervision-session-{session_id}@")

    # The supervisor's own link lists the same sessions.
    login(client, world.manager)
    manager_link = _new_link(client)
    client.post("/logout")
    manager_cal = icalendar.Calendar.from_ical(client.get(manager_link).data)
    assert {str(e["UID"]) for e in manager_cal.walk("VEVENT")} >= {str(e["UID"]) for e in events}


def test_only_the_tokens_hash_is_stored(client, world, db):
    login(client, world.worker)
    link = _new_link(client)
    token = link.split("token=")[1]
    with db() as session:
        stored = session.scalars(select(CalendarToken.token_hash)).one()
    assert token not in stored and len(stored) == 64


def test_a_revoked_or_wrong_token_gets_404(client, world, db, planned):
    login(client, world.worker)
    link = _new_link(client)
    assert client.post("/calendar/token/revoke").status_code == 302
    client.post("/logout")
    assert client.get(link).status_code == 404
    assert client.get("/calendar/feed.ics?token=not-a-real-token").status_code == 404


def test_a_new_link_stops_the_old_one_working(client, world, db):
    login(client, world.worker)
    old = _new_link(client)
    new = _new_link(client)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_many_wrong_tokens_from_one_address_are_refused(client, world, db):
    statuses = [client.get(f"/calendar/feed.ics?token=guess{i}").status_code for i in range(25)]
    assert statuses[:20] == [404] * 20
    assert set(statuses[20:]) == {429}


def test_the_feed_without_a_token_sends_a_visitor_to_sign_in(client, world, db):
    response = client.get("/calendar/feed.ics")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_planned_session_downloads_as_an_invitation(client, world, db, planned):
    session_id, planned_on = planned
    login(client, world.worker)
    response = client.get(f"/sessions/{session_id}/invitation.ics")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    cal = icalendar.Calendar.from_ical(response.data)
    assert str(cal["METHOD"]) == "REQUEST"
    assert cal.walk("VTIMEZONE")
    (event,) = cal.walk("VEVENT")
    assert str(event["ORGANIZER"]).lower() == "mailto:" + _email(db, world.manager_id)
    assert str(event["ATTENDEE"]).lower() == "mailto:" + _email(db, world.worker_id)
    assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    assert event.decoded("DTSTART").date() == planned_on
    assert (event.decoded("DTEND") - event.decoded("DTSTART")).total_seconds() == 120 * 60
    again = icalendar.Calendar.from_ical(client.get(f"/sessions/{session_id}/invitation.ics").data)
    assert str(again.walk("VEVENT")[0]["UID"]) == str(event["UID"])  # stable
    assert "bereavement" not in response.get_data(as_text=True)


def _email(db, staff_id) -> str:
    from models import StaffMember

    with db() as session:
        return session.get(StaffMember, staff_id).email.lower()


@pytest.mark.parametrize("who", ["colleague", "outsider", "head"])
def test_only_the_parties_can_download_the_invitation(client, world, db, planned, who):
    session_id, _ = planned
    login(client, getattr(world, who))
    assert client.get(f"/sessions/{session_id}/invitation.ics").status_code == 404


def test_the_calendar_page_shows_the_link_once(client, world, db):
    login(client, world.worker)
    _new_link(client)
    page = text_of(client.get("/calendar"))
    assert "You have a calendar link, made on" in page
    assert "feed.ics?token=" not in client.get("/calendar").get_data(as_text=True)
