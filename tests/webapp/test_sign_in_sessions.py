"""Signing in and out on the server: someone who has left cannot sign in and
their open session stops; signing out ends the session on the server, so a
copy of its cookie stops working; the agreement's amend and pre-filled sign
pages audit the read like every page that shows a supervision record."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from models import AuditEntry, StaffMember
from tests.webapp.conftest import TODAY, login
from tests.worlds.builder import Council


def _cookie(client) -> str:
    return client.get_cookie("oversight_session").value


def test_someone_who_has_left_cannot_sign_in_and_their_open_session_stops(client, world, db):
    assert login(client, world.worker).location == "/inbox"
    with db() as session, session.begin():
        session.get(StaffMember, world.worker_id).left_on = TODAY
    assert client.get("/inbox").location.startswith("/login")
    assert login(client, world.worker).status_code == 200  # the sign-in page again
    with db() as session, session.begin():
        session.get(StaffMember, world.worker_id).left_on = TODAY + timedelta(days=1)
    assert login(client, world.worker).location == "/inbox"  # leaving tomorrow: still here


def test_signing_out_stops_a_copied_session_cookie_working(app, world):
    browser, thief = app.test_client(), app.test_client()
    login(browser, world.manager)
    thief.set_cookie("oversight_session", _cookie(browser))
    assert thief.get("/inbox").status_code == 200  # the copy works while signed in...
    browser.post("/logout")
    assert thief.get("/inbox").location.startswith("/login")  # ...and not after
    assert browser.get("/inbox").location.startswith("/login")


def test_signing_in_again_does_not_revive_a_signed_out_session(app, world):
    first, second = app.test_client(), app.test_client()
    login(first, world.manager)
    stale = _cookie(first)
    first.post("/logout")
    login(second, world.manager)  # a new session of the same login
    replay = app.test_client()
    replay.set_cookie("oversight_session", stale)
    assert replay.get("/inbox").location.startswith("/login")
    assert second.get("/inbox").status_code == 200


def _reads(db, agreement_id) -> list[str]:
    with db() as session:
        return list(
            session.scalars(
                select(AuditEntry.detail).where(
                    AuditEntry.action == "read",
                    AuditEntry.object_type == "supervision_agreement",
                    AuditEntry.object_id == str(agreement_id),
                )
            )
        )


def test_the_amend_page_and_the_prefilled_sign_page_audit_the_read(client, world, db):
    with db() as session, session.begin():
        council = Council.of(session, world.org_id)
        in_force = council.agreement(world.rel_id, signed_on=date(2026, 1, 21)).id
        draft = council.agreement(world.colleague_rel_id).id
    login(client, world.manager)
    assert client.get(f"/relationships/{world.rel_id}/agreement/amend").status_code == 200
    assert _reads(db, in_force)
    assert client.get(f"/relationships/{world.colleague_rel_id}/agreement/sign").status_code == 200
    assert _reads(db, draft)
