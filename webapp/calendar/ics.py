"""iCalendar for supervision sessions: a person's private feed of their planned
sessions, and one session as an invitation (METHOD:REQUEST, the supervisor
organising, the supervisee attending). Times are Europe/London wall-clock with
a VTIMEZONE. Events carry names and the kind of session only: nothing from
the record, no case IDs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from models import SessionKind, SupervisionSession
from policy.schedule import DEFAULT_MINUTES, DEFAULT_START

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Oversight//Supervision sessions//EN"
KIND_LABELS = {
    SessionKind.INDIVIDUAL: "One-to-one supervision",
    SessionKind.ASYE_REFLECTIVE: "ASYE reflective supervision",
}


def uid_for(row: SupervisionSession, org_slug: str) -> str:
    """Stable for the session's life: a reschedule is a new session (new UID)."""
    return f"supervision-session-{row.id}@{org_slug}.oversight"


def _calendar(name: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    return cal


def _event(row: SupervisionSession, org_slug: str, stamp: datetime, invitation: bool) -> Event:
    rel = row.supervision_relationship
    start = datetime.combine(row.planned_on, row.planned_time or DEFAULT_START, tzinfo=LONDON)
    minutes = row.duration_minutes or DEFAULT_MINUTES
    label = KIND_LABELS[row.kind]
    event = Event()
    event.add("uid", uid_for(row, org_slug))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", f"{label}: {rel.supervisor.name} and {rel.supervisee.name}")
    event.add("description", f"{label} with {rel.supervisor.name} and {rel.supervisee.name}.")
    event.add("status", "CONFIRMED")
    event.add("sequence", 0)
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{rel.supervisor.email}")
    organizer.params["cn"] = vText(rel.supervisor.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{rel.supervisee.email}")
    attendee.params["cn"] = vText(rel.supervisee.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    if invitation:
        attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee)
    return event


def invitation(row: SupervisionSession, org_slug: str, now: datetime | None = None) -> bytes:
    cal = _calendar("Supervision", method="REQUEST")
    cal.add_component(_event(row, org_slug, now or datetime.now(UTC), invitation=True))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed(rows: Iterable[SupervisionSession], org_slug: str, now: datetime | None = None) -> bytes:
    cal = _calendar("Supervision sessions", method="PUBLISH")
    stamp = now or datetime.now(UTC)
    for row in rows:
        cal.add_component(_event(row, org_slug, stamp, invitation=False))
    cal.add_missing_timezones()
    return cal.to_ical()
