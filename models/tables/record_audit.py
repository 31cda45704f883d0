"""Audits of a supervisor's supervision records by their line manager
(Wokingham Quality Assurance "Supervision Audits"; Nottingham Appendix 6,
Supervision File Audit Check List): the checklist's answers, keyed by the
council's question ids (policy/profiles/<council>/record_audit.yaml), the
findings, how many answers fell short (so sampling and the dashboard count
them in SQL), and when the audit was discussed with the supervisor."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class SupervisionRecordAudit(Base):
    __tablename__ = "supervision_record_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The supervisor whose supervision records were audited (the audit goes on their file).
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    audited_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Questions answered with a shortfall answer (the council's form marks which).
    shortfalls: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[str] = mapped_column(Text, default="")
    discussed_on: Mapped[date | None] = mapped_column(Date)
    discussion_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    # One audit of a supervisor a day: a form sent twice records one audit.
    __table_args__ = (UniqueConstraint("supervisor_id", "audited_on"),)
