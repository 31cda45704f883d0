"""What Oversight has emailed: each mail once (MailMessage), and which human
tasks it told whom about (Notification), so nothing is sent twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class MailMessage(Base):
    """One email, composed once and sent once."""

    __tablename__ = "mail_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(20))  # digest, escalation
    # "digest:staff-7:2026-12-01" or "escalation:<human task key>:staff-9": one mail each.
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The RFC 5322 Message-ID, the same on every attempt to send this mail.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """A human task a mail told someone about, and why (new, due soon, escalated)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mail_message.id"), index=True)
    human_task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    reason: Mapped[str] = mapped_column(String(20))  # new, due_soon, escalation

    __table_args__ = (UniqueConstraint("human_task_id", "recipient_id", "reason"),)
