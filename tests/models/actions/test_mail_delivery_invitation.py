"""An invitation's one-time link sets the password of whoever holds it, so
Oversight keeps it in its copy of the mail only until the mail is sent:
the person receives the link, the stored body then holds a note instead."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from models import AppRole, StaffRole
from models.actions.accounts import set_password_from_invitation
from models.actions.admin_logins import LINK_REMOVED, save_login
from models.actions.mail_delivery import send_pending_mail
from models.tables.mail import MailMessage
from tests.factories.people import make_organisation, make_staff, make_team, make_user
from tests.flows.test_notifications import smtp_server  # noqa: F401 (a fixture)

TOKEN_IN_LINK = re.compile(r"/admin/set-password/(\S+)")


@pytest.fixture
def invited(db):
    """Fay of the workforce team gives Wes a login: his invitation waits to be sent."""
    with db() as session, session.begin():
        org = make_organisation(session)
        team = make_team(session, org)
        wes = make_staff(session, org, team=team)
        fay = make_user(session, make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT),
                        AppRole.WORKFORCE_TEAM)  # fmt: skip
        ids = {"org": org.id, "wes": wes.id, "fay": fay.id}
    save_login(
        actor_user_id=ids["fay"],
        staff_id=ids["wes"],
        username="wes",
        roles={"supervisee"},
        active=True,
        on=date(2026, 3, 2),
    )
    return ids


def stored_invitation(db) -> MailMessage:
    with db() as session:
        return session.scalars(select(MailMessage).where(MailMessage.kind == "invitation")).one()


def test_once_the_invitation_is_sent_the_stored_copy_no_longer_holds_its_link(
    db,
    invited,
    smtp_server,  # noqa: F811
):
    settings, inbox = smtp_server
    unsent = stored_invitation(db)
    token = TOKEN_IN_LINK.search(unsent.body).group(1)

    result = send_pending_mail(invited["org"], settings=settings, session_factory=db)

    assert (result.sent, result.remaining) == (1, 0)
    [(_, _, received)] = inbox.messages
    assert TOKEN_IN_LINK.search(received.get_content()).group(1) == token
    kept = stored_invitation(db)
    assert kept.sent_at is not None
    assert token not in kept.body and "/admin/set-password/" not in kept.body
    assert LINK_REMOVED in kept.body and "Your username is wes." in kept.body
    # The link the person received still works: only its hash was ever needed.
    set_password_from_invitation(token=token, password="three random words here")


def test_until_it_is_sent_the_stored_invitation_keeps_its_link_to_send(db, invited):
    assert TOKEN_IN_LINK.search(stored_invitation(db).body)
