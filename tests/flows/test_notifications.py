"""Mail through a real SMTP server (aiosmtpd on a free local port): what
arrives, and that nothing arrives twice, even after the server was away."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import date

import pytest
from sqlalchemy import select

from models import MailMessage, StaffMember
from models.actions.mail import compose_daily_digests, compose_escalation_mail
from models.actions.mail_delivery import (
    MailUnavailable,
    SmtpSettings,
    send_pending_mail,
    smtp_settings,
)
from models.engine.reconcile import reconcile
from tests.worlds import START
from tests.worlds import new_starter as _new_starter

LATE = date(2026, 3, 2)  # the agreement due 16 February is overdue and escalated


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """Every message the SMTP server accepted."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpSettings(host="127.0.0.1", port=port, sender="oversight@council.example"), inbox
    finally:
        controller.stop()


@pytest.fixture
def overdue_agreement(db):
    org_id, _rel_id, manager_id, _worker_id, head_id = _new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    compose_daily_digests(org_id, START, session_factory=db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=LATE, session_factory=db)
    compose_escalation_mail(org_id, session_factory=db)
    with db() as session:
        emails = {s.id: s.email for s in session.scalars(select(StaffMember))}
    return org_id, emails[manager_id], emails[head_id]


def body(message) -> str:
    return message.get_content()


def test_the_digest_and_the_escalation_arrive_once_each_with_the_tasks_and_due_dates(
    db, smtp_server, overdue_agreement
):
    settings, inbox = smtp_server
    org_id, manager_email, head_email = overdue_agreement

    first = send_pending_mail(org_id, settings=settings, session_factory=db)
    second = send_pending_mail(org_id, settings=settings, session_factory=db)

    assert (first.sent, first.remaining, second.sent) == (2, 0, 0)
    assert len(inbox.messages) == 2
    (digest_from, digest_to, digest), (_, escalation_to, escalation) = inbox.messages
    assert digest_from == "oversight@council.example"
    assert digest_to == [manager_email]
    assert digest["To"] == manager_email
    assert digest["Subject"] == "Your supervision tasks for Monday 5 January 2026"
    assert (
        "Due Monday 16 February 2026:\r\n- Draft and sign the supervision agreement with Sam Okafor"
        in body(digest)
    )
    assert escalation_to == [head_email]
    assert escalation["Subject"] == (
        "Escalated to you: Draft and sign the supervision agreement with Sam Okafor"
    )
    assert "due Monday 16 February 2026" in body(escalation)
    with db() as session:
        ids = set(session.scalars(select(MailMessage.message_id)))
    assert {digest["Message-ID"], escalation["Message-ID"]} == ids


def test_with_the_smtp_server_away_the_run_fails_saying_where_and_sends_it_later_once(
    db, smtp_server, overdue_agreement
):
    settings, inbox = smtp_server
    org_id, *_ = overdue_agreement
    away = SmtpSettings(host="127.0.0.1", port=free_port())

    with pytest.raises(MailUnavailable, match=rf"SMTP server at 127\.0\.0\.1:{away.port}.*2 "):
        send_pending_mail(org_id, settings=away, session_factory=db)
    with db() as session:
        waiting = session.scalars(select(MailMessage)).all()
    assert [(m.sent_at, m.attempts) for m in waiting] == [(None, 1), (None, 1)]
    assert all("ConnectionRefusedError" in m.last_error for m in waiting)

    back = send_pending_mail(org_id, settings=settings, session_factory=db)
    again = send_pending_mail(org_id, settings=settings, session_factory=db)

    assert (back.sent, again.sent) == (2, 0)
    assert len(inbox.messages) == 2
    with db() as session:
        assert all(m.sent_at and m.last_error is None for m in session.scalars(select(MailMessage)))


def test_the_smtp_settings_come_from_the_environment_with_a_local_default():
    assert smtp_settings({}).address == "localhost:1025"
    configured = smtp_settings(
        {
            "OVERSIGHT_SMTP_HOST": "mail.council.example",
            "OVERSIGHT_SMTP_PORT": "587",
            "OVERSIGHT_MAIL_FROM": "supervision@council.example",
        }
    )
    assert (configured.address, configured.sender) == (
        "mail.council.example:587",
        "supervision@council.example",
    )
    with pytest.raises(ValueError, match="OVERSIGHT_SMTP_PORT must be a port number"):
        smtp_settings({"OVERSIGHT_SMTP_PORT": "smtp"})
