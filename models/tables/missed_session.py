"""A supervision session that did not take place, raised by the supervisee
with their supervisor, escalated to the supervisor's line manager if not put
right, and the line manager's response (Wokingham standards 14-15;
policy/rules/missed_sessions.py). One row per missed session: the
relationship and the missed session's due date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class MissedSession(Base):
    __tablename__ = "missed_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_relationship.id"), index=True
    )
    due_on: Mapped[date] = mapped_column(Date)  # the missed session's due date
    raised_on: Mapped[date] = mapped_column(Date)
    raised_note: Mapped[str] = mapped_column(Text, default="")
    escalated_on: Mapped[date | None] = mapped_column(Date)
    escalated_note: Mapped[str] = mapped_column(Text, default="")
    responded_on: Mapped[date | None] = mapped_column(Date)
    response_note: Mapped[str] = mapped_column(Text, default="")
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("relationship_id", "due_on"),)
