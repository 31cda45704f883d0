"""Children's cases, by case ID only. A child is never named anywhere in
Oversight (Wokingham standard 9: "The client's MOSAIC ID should be used in
place of any personal details")."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from models.base import Base, utcnow
from models.tables.org import StaffMember, _enum
from policy.facts import CASE_CATEGORIES, CASE_ID_FORMAT, DECISION_SETTINGS

# Case-system IDs are numbers, optionally with a short system prefix
# ("LCS-123456", "EHM123456", "1234567"). Anything with a space or a lower-case
# word in it is refused, so a child's name cannot be typed where an ID belongs.
# The case system's case ID, one format for the tables, the forms, the imports
# and the facts file (policy/facts.py).
CASE_ID_PATTERN = CASE_ID_FORMAT


class CaseIdError(ValueError):
    pass


def check_case_id(value: str) -> str:
    value = (value or "").strip().upper()
    if not CASE_ID_PATTERN.fullmatch(value):
        raise CaseIdError(
            "Enter the case ID from the case system, for example LCS-123456 or 1234567. "
            "Do not enter a child's name."
        )
    return value


class CaseType(StrEnum):
    CHILD_PROTECTION = "child_protection"
    CHILD_IN_NEED = "child_in_need"
    CHILD_IN_CARE = "child_in_care"
    EARLY_HELP = "early_help"
    CARE_LEAVER = "care_leaver"
    SUPERVISING_SOCIAL_WORKER = "supervising_social_worker"
    CHILDREN_WITH_DISABILITIES = "children_with_disabilities"


class CaseAllocation(Base):
    """A case allocated to a worker. Reallocation ends this row and starts a
    new one, which restarts the first-supervision clock (Wokingham standard 21)."""

    __tablename__ = "case_allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    case_ref: Mapped[str] = mapped_column(String(40), index=True)
    case_type: Mapped[CaseType] = mapped_column(_enum(CaseType, "case_type"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    allocated_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # A recorded per-case frequency (Lancashire §1.9) and why.
    frequency_weeks: Mapped[int | None] = mapped_column(Integer)
    frequency_reason: Mapped[str | None] = mapped_column(Text)
    # What the case needs beyond its type (policy.facts.CASE_CATEGORIES;
    # Nottingham §1.6: a settled child in care, a child in need stepping down).
    category: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    worker: Mapped[StaffMember] = relationship()

    # The cases page lists an organisation's cases in case ID order, a page at a time.
    __table_args__ = (
        Index("ix_case_allocation_organisation_case_ref", "organisation_id", "case_ref", "id"),
    )

    @validates("case_ref")
    def _validate_case_ref(self, _key, value):
        return check_case_id(value)

    @validates("category")
    def _validate_category(self, _key, value):
        if value is not None and value not in CASE_CATEGORIES:
            raise ValueError(f"case category {value!r}: expected one of {list(CASE_CATEGORIES)}")
        return value


class CaseSupervision(Base):
    """One case discussed in supervision: the case direction and its recording."""

    __tablename__ = "case_supervision"

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("case_allocation.id"), index=True)
    # Indexed: a session's record lists the cases discussed in it, and deleting
    # a leaver's sessions checks nothing here still points at them.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_session.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    supervised_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    # True when an important decision (RAG rating, safeguarding, legal) was made.
    important_decision: Mapped[bool] = mapped_column(default=False)
    # Where it was decided (policy.facts.DECISION_SETTINGS): in formal supervision,
    # or in a discussion outside it (Bristol §5.7, owed as a case direction in 24 hours).
    made_in: Mapped[str] = mapped_column(
        String(30), default="supervision", server_default="supervision"
    )
    # When the direction was entered on the child's record in the case system.
    recorded_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    allocation: Mapped[CaseAllocation] = relationship()

    # When a case was last supervised, from the index alone (the dashboard's
    # case supervision figure, models/reports/timeliness.py).
    __table_args__ = (
        Index("ix_case_supervision_allocation_day", "allocation_id", "supervised_on"),
    )

    @validates("made_in")
    def _validate_made_in(self, _key, value):
        if value not in DECISION_SETTINGS:
            raise ValueError(f"made_in {value!r}: expected one of {list(DECISION_SETTINGS)}")
        return value


class CaseFileAudit(Base):
    """Nottingham §1.5: two case files audited per team per month, on a rota."""

    __tablename__ = "case_file_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("case_allocation.id"), index=True)
    audited_on: Mapped[date] = mapped_column(Date)
    audited_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    outcome: Mapped[str] = mapped_column(Text, default="")
