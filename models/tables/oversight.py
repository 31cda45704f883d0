"""Quality assurance facts: observations, annual reviews, sampling by heads of
service, registration and DBS checks, ASYE reviews, hours worked, absence and
cover."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.tables.org import StaffMember, _enum
from models.tables.supervision import SignatoryParty


class ObservationKind(StrEnum):
    PRACTICE = "practice"  # Lancashire §1.16, Wokingham "Practice Observation"
    SUPERVISION = "supervision"  # Wokingham "Supervision Observation"


class Observation(Base):
    __tablename__ = "observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ObservationKind] = mapped_column(_enum(ObservationKind, "observation_kind"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    observed_on: Mapped[date] = mapped_column(Date)
    with_family: Mapped[bool] = mapped_column(Boolean, default=False)
    # Lancashire's three parts: supervisee before, supervisee after, supervisor after.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    staff: Mapped[StaffMember] = relationship(foreign_keys=[staff_id])
    signatures: Mapped[list[ObservationSignature]] = relationship(lazy="selectin")


class ObservationSignature(Base):
    __tablename__ = "observation_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id"), index=True)
    party: Mapped[SignatoryParty] = mapped_column(_enum(SignatoryParty, "obs_party"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    signed_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("observation_id", "party"),)


class ReviewQuestionnaire(Base):
    """Lancashire's Supervision Annual Review (16 statements), forwarded to the
    supervisor's line manager (§1.4)."""

    __tablename__ = "review_questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_relationship.id"), index=True
    )
    reviewed_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    forwarded_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Sample(Base):
    """A head of service's quarterly sample of records from their service area.
    The seed is recorded so the same sample can be drawn again and checked."""

    __tablename__ = "sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_area.id"), index=True)
    sampler_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    quarter: Mapped[str] = mapped_column(String(7))  # "2026-Q4"
    seed: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    drawn_on: Mapped[date] = mapped_column(Date)
    # The moment of the draw: only records that existed then are in its
    # population, so drawing again from the seed gives the same sample.
    drawn_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    completed_on: Mapped[date | None] = mapped_column(Date)

    items: Mapped[list[SampleItem]] = relationship(
        back_populates="sample", order_by="SampleItem.position", lazy="selectin"
    )

    __table_args__ = (UniqueConstraint("service_area_id", "quarter"),)


class SampleItem(Base):
    __tablename__ = "sample_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("sample.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    object_type: Mapped[str] = mapped_column(String(40))  # supervision_session, agreement
    object_id: Mapped[int] = mapped_column(Integer)
    was_overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    finding: Mapped[str | None] = mapped_column(Text)
    meets_standard: Mapped[bool | None] = mapped_column(Boolean)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))

    sample: Mapped[Sample] = relationship(back_populates="items")

    __table_args__ = (UniqueConstraint("sample_id", "position"),)


class CheckKind(StrEnum):
    REGISTRATION = "registration"  # Social Work England, renewed yearly
    DBS = "dbs"


class RegistrationCheck(Base):
    __tablename__ = "registration_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    kind: Mapped[CheckKind] = mapped_column(_enum(CheckKind, "check_kind"))
    checked_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(60), default="")
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))


class AsyeReview(Base):
    """A review of a newly qualified social worker's ASYE year at 3, 6 or 12
    months (Skills for Care ASYE framework; policy/rules/asye.py), recorded
    by their supervisor. One per stage."""

    __tablename__ = "asye_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)  # the month: 3, 6 or 12
    reviewed_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("staff_id", "stage"),)


class HoursWorked(Base):
    """Bristol §3.5: casual staff are supervised monthly or after each 74 hours."""

    __tablename__ = "hours_worked"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    worked_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Numeric(5, 2))

    __table_args__ = (UniqueConstraint("staff_id", "worked_on"),)


class Absence(Base):
    __tablename__ = "absence"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CoverArrangement(Base):
    """Who supervises in an absent supervisor's place, and when. Open human
    tasks move to the cover supervisor and back on return."""

    __tablename__ = "cover_arrangement"

    id: Mapped[int] = mapped_column(primary_key=True)
    absent_supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    cover_supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    arranged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @classmethod
    def in_force_on(cls, on: date):
        """The WHERE clause for arrangements in force on a day: its first and
        last days count; no end date means until further notice."""
        return and_(cls.starts_on <= on, or_(cls.ends_on.is_(None), cls.ends_on >= on))


class CalendarToken(Base):
    """A revocable secret for a person's private calendar feed; only its hash is kept."""

    __tablename__ = "calendar_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
