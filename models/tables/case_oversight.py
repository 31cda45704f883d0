"""Management oversight recorded on a child's record between case
supervisions (Wokingham standards 25-27, policy/rules/case_oversight.py):
who recorded it, when it went on the record, and what it said."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class CaseOversight(Base):
    __tablename__ = "case_oversight"

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("case_allocation.id"), index=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
