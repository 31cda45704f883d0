"""Sending the mail models/actions/mail.py composed, through SMTP.

Configuration: OVERSIGHT_SMTP_HOST and OVERSIGHT_SMTP_PORT (default
localhost:1025, the development mail catcher the launcher starts),
OVERSIGHT_MAIL_FROM (default oversight@localhost), and, for a server that
needs them, OVERSIGHT_SMTP_USERNAME / OVERSIGHT_SMTP_PASSWORD (sent after
STARTTLS). There is no quiet fallback: if the server cannot be reached the
send fails saying so, the mail stays unsent with the error recorded, and the
next run (or Prefect's retry, tasks/notifications.py) sends it.

Each message is sent in a transaction that holds its row (SKIP LOCKED on
PostgreSQL, so two senders at once send it once) and marks it sent before
committing. A crash between the server accepting it and the commit would
send it again with the same Message-ID, which mail clients treat as one.

A mail that carries a secret (an invitation's one-time link) keeps it only
until it is sent: marking it sent replaces the secret in the stored body with
a note, in the same transaction (KEPT_AFTER_SENDING)."""

from __future__ import annotations

import contextlib
import email.policy
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from models.actions.admin_logins import INVITATION, without_invitation_link
from models.base import utcnow
from models.db import get_sessionmaker
from models.tables.mail import MailMessage

DEFAULT_HOST = "localhost"
DEFAULT_PORT = 1025
DEFAULT_FROM = "oversight@localhost"
# What the stored copy of a mail of this kind keeps once it is sent.
KEPT_AFTER_SENDING = {INVITATION: without_invitation_link}


class MailUnavailable(RuntimeError):
    """The SMTP server could not be reached or dropped the connection."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    sender: str = DEFAULT_FROM
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def smtp_settings(environ=os.environ) -> SmtpSettings:
    raw_port = environ.get("OVERSIGHT_SMTP_PORT", "").strip() or str(DEFAULT_PORT)
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise ValueError(f"OVERSIGHT_SMTP_PORT must be a port number, not {raw_port!r}")
    return SmtpSettings(
        host=environ.get("OVERSIGHT_SMTP_HOST", "").strip() or DEFAULT_HOST,
        port=int(raw_port),
        sender=environ.get("OVERSIGHT_MAIL_FROM", "").strip() or DEFAULT_FROM,
        username=environ.get("OVERSIGHT_SMTP_USERNAME") or None,
        password=environ.get("OVERSIGHT_SMTP_PASSWORD") or None,
    )


@dataclass(frozen=True)
class SendResult:
    sent: int
    failed: int  # refused by the server for this message (a bad address, say)
    remaining: int  # unsent mail left for this organisation


# Headers up to RFC 5322's 998 characters are not folded: a long subject arrives
# on one line rather than folded before its first word.
_POLICY = email.policy.SMTP.clone(max_line_length=998)


def _email(mail: MailMessage, sender: str) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = mail.message_id
    message.set_content(mail.body)
    return message


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.username:
        smtp.starttls()
        smtp.login(settings.username, settings.password or "")
    return smtp


def _unsent(organisation_id: int):
    return select(MailMessage).where(
        MailMessage.organisation_id == organisation_id, MailMessage.sent_at.is_(None)
    )


def send_pending_mail(
    organisation_id: int,
    *,
    settings: SmtpSettings | None = None,
    batch_size: int = 200,
    session_factory: sessionmaker | None = None,
) -> SendResult:
    """Send this organisation's unsent mail, oldest first. Raises
    MailUnavailable, naming the server and what is left, if it cannot be
    reached or drops the connection; what was sent before stays sent."""
    settings = settings or smtp_settings()
    factory = session_factory or get_sessionmaker()
    with factory() as session:
        ids = list(
            session.scalars(
                _unsent(organisation_id)
                .with_only_columns(MailMessage.id)
                .order_by(MailMessage.id)
                .limit(batch_size)
            )
        )
    sent = failed = 0
    if ids:
        try:
            smtp = _connect(settings)
        except (OSError, smtplib.SMTPException) as error:
            _record_failure(factory, ids, f"{type(error).__name__}: {error}")
            raise MailUnavailable(
                f"Could not reach the SMTP server at {settings.address} "
                f"({type(error).__name__}: {error}); {len(ids)} message(s) for organisation "
                f"{organisation_id} wait for the next run"
            ) from error
        try:
            for mail_id in ids:
                outcome = _send_one(factory, smtp, mail_id, settings)
                sent += outcome == "sent"
                failed += outcome == "refused"
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
    with factory() as session:
        remaining = session.scalar(
            select(func.count()).select_from(_unsent(organisation_id).subquery())
        )
    return SendResult(sent, failed, remaining or 0)


def _send_one(factory, smtp: smtplib.SMTP, mail_id: int, settings: SmtpSettings) -> str:
    problem: MailUnavailable | None = None
    with factory() as session, session.begin():
        mail = session.scalars(
            select(MailMessage)
            .where(MailMessage.id == mail_id, MailMessage.sent_at.is_(None))
            .with_for_update(skip_locked=True)
        ).one_or_none()
        if mail is None:
            return "elsewhere"  # sent meanwhile, or another sender holds it
        mail.attempts = (mail.attempts or 0) + 1
        try:
            smtp.send_message(_email(mail, settings.sender))
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
            # This message is refused (a bad address, say); the rest can still go.
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            return "refused"
        except (OSError, smtplib.SMTPException) as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            problem = MailUnavailable(
                f"The SMTP server at {settings.address} failed while sending mail {mail.id} "
                f"to {mail.to_address} ({type(error).__name__}: {error}); it and the rest "
                "wait for the next run"
            )
            problem.__cause__ = error
        else:
            mail.sent_at = utcnow()
            mail.last_error = None
            if mail.kind in KEPT_AFTER_SENDING:
                mail.body = KEPT_AFTER_SENDING[mail.kind](mail.body)
    if problem is not None:
        raise problem  # after the commit, so the attempt and the error are recorded
    return "sent"


def _record_failure(factory, ids: list[int], error: str) -> None:
    with factory() as session, session.begin():
        for mail in session.scalars(select(MailMessage).where(MailMessage.id.in_(ids))):
            mail.attempts = (mail.attempts or 0) + 1
            mail.last_error = error[:2000]
