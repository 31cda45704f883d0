"""Supervision facts: who supervises whom, their agreement, their sessions."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.tables.org import StaffMember, _enum


class RelationshipReason(StrEnum):
    """Why a supervision relationship began: each starts the agreement clock
    (Lancashire §1.4: 'starting their job, or change of post, or change of supervisor')."""

    NEW_STARTER = "new_starter"
    CHANGE_OF_POST = "change_of_post"
    CHANGE_OF_SUPERVISOR = "change_of_supervisor"


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_COUNTERSIGNATURE = "awaiting_countersignature"
    IN_FORCE = "in_force"
    SUPERSEDED = "superseded"


class SignatoryParty(StrEnum):
    SUPERVISOR = "supervisor"
    SUPERVISEE = "supervisee"


class SupervisionRelationship(Base):
    __tablename__ = "supervision_relationship"

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    supervisee_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[RelationshipReason] = mapped_column(_enum(RelationshipReason, "rel_reason"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    supervisor: Mapped[StaffMember] = relationship(foreign_keys=[supervisor_id])
    supervisee: Mapped[StaffMember] = relationship(foreign_keys=[supervisee_id])
    agreements: Mapped[list[SupervisionAgreement]] = relationship(
        back_populates="supervision_relationship", order_by="SupervisionAgreement.version"
    )

    @property
    def fact_id(self) -> str:
        return f"rel-{self.id}"


class SupervisionAgreement(Base):
    """One version of the written agreement. Amending creates a new version that
    both parties sign again; a signed version is never edited."""

    __tablename__ = "supervision_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_relationship.id"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[AgreementStatus] = mapped_column(
        _enum(AgreementStatus, "agreement_status"), default=AgreementStatus.DRAFT
    )
    # Agreed session frequency in weeks; may tighten the profile's cadence.
    frequency_weeks: Mapped[int | None] = mapped_column(Integer)
    # The form's remaining fields, keyed by the profile's agreement form definition.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Why the agreed frequency differs from the profile's cadence for this person
    # (Wokingham standard 19: "clearly recorded (with reasoning) as an amendment";
    # Lancashire §1.1: "discussed, agreed, and recorded"). None when it does not.
    variation_reason: Mapped[str | None] = mapped_column(Text)
    # Why the supervisor amended the version in force, making this one (None for
    # a first agreement or an annual review's re-signing).
    amendment_reason: Mapped[str | None] = mapped_column(Text)
    in_force_on: Mapped[date | None] = mapped_column(Date)
    review_due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    supervision_relationship: Mapped[SupervisionRelationship] = relationship(
        back_populates="agreements"
    )
    signatures: Mapped[list[AgreementSignature]] = relationship(
        back_populates="agreement", lazy="selectin"
    )

    __table_args__ = (UniqueConstraint("relationship_id", "version"),)

    def signature_by(self, party: SignatoryParty) -> AgreementSignature | None:
        return next((s for s in self.signatures if s.party == party), None)


class AgreementSignature(Base):
    __tablename__ = "agreement_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("supervision_agreement.id"), index=True)
    party: Mapped[SignatoryParty] = mapped_column(_enum(SignatoryParty, "signatory_party"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    signed_on: Mapped[date] = mapped_column(Date)
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agreement: Mapped[SupervisionAgreement] = relationship(back_populates="signatures")
    staff: Mapped[StaffMember] = relationship()

    # One signature per party per version: a double submission signs once.
    __table_args__ = (UniqueConstraint("agreement_id", "party"),)


class SessionKind(StrEnum):
    INDIVIDUAL = "individual"
    # Wokingham: "workers in their ASYE year have monthly reflective supervisions".
    ASYE_REFLECTIVE = "asye_reflective"


class SessionStatus(StrEnum):
    PLANNED = "planned"  # on the 12-month schedule (Nottingham §2.4)
    HELD = "held"
    CANCELLED = "cancelled"


class RecordStatus(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    AWAITING_COUNTERSIGNATURE = "awaiting_countersignature"
    SIGNED = "signed"  # both parties (Nottingham §1.10, §2.6)


class SupervisionSession(Base):
    __tablename__ = "supervision_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_relationship.id"), index=True
    )
    kind: Mapped[SessionKind] = mapped_column(
        _enum(SessionKind, "session_kind"), default=SessionKind.INDIVIDUAL
    )
    status: Mapped[SessionStatus] = mapped_column(
        _enum(SessionStatus, "session_status"), default=SessionStatus.HELD
    )
    planned_on: Mapped[date | None] = mapped_column(Date)
    # The planned start, Europe/London wall-clock time (calendar feed and invitations).
    planned_time: Mapped[time | None] = mapped_column(Time)
    held_on: Mapped[date | None] = mapped_column(Date)
    # Planned length while planned; the actual length once held.
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    # A cancelled session's replacement points back at it (Nottingham §2.4: the
    # supervisor reschedules cancelled sessions), so both are on record. Indexed,
    # as every key into a table rows are deleted from (tests/models/test_foreign_keys.py).
    rescheduled_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_session.id"), index=True
    )
    # When the record was written up (the profile's recording deadline runs from held_on).
    recorded_on: Mapped[date | None] = mapped_column(Date)
    # When the record was shared with (copied to) the supervisee, apart from its
    # writing (Lancashire §1.8, Bristol Appendix 1, North West; recording.shared).
    shared_on: Mapped[date | None] = mapped_column(Date)
    # Bristol §3.4: the reason a session was late is recorded in the next record.
    late_reason: Mapped[str | None] = mapped_column(Text)
    development_discussed: Mapped[bool] = mapped_column(Boolean, default=False)
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    record_status: Mapped[RecordStatus] = mapped_column(
        _enum(RecordStatus, "record_status"), default=RecordStatus.NOT_STARTED
    )
    # The record's current version. An amendment archives the signed version in
    # session_record_version and starts the next, which both parties sign again.
    record_version: Mapped[int] = mapped_column(Integer, default=1)
    notes_ref: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    supervision_relationship: Mapped[SupervisionRelationship] = relationship(
        foreign_keys=[relationship_id]
    )
    signatures: Mapped[list[SessionSignature]] = relationship(lazy="selectin")
    versions: Mapped[list[SessionRecordVersion]] = relationship(
        order_by="SessionRecordVersion.version", lazy="selectin"
    )
    actions: Mapped[list[SessionAction]] = relationship(
        foreign_keys="SessionAction.session_id", order_by="SessionAction.id", lazy="selectin"
    )

    # One-to-one sessions held, by relationship and by day (the dashboard's
    # figures, models/reports/session_timeliness.py, records.py, quality.py):
    # the rows are wide (the record), the indexes are not.
    __table_args__ = (
        Index(
            "ix_supervision_session_relationship_held",
            "relationship_id",
            "held_on",
            postgresql_where=text("kind = 'individual' AND status = 'held'"),
            sqlite_where=text("kind = 'individual' AND status = 'held'"),
        ),
        Index(
            "ix_supervision_session_held",
            "held_on",
            "relationship_id",
            postgresql_where=text("kind = 'individual' AND status = 'held'"),
            sqlite_where=text("kind = 'individual' AND status = 'held'"),
        ),
    )

    def signature_by(
        self, party: SignatoryParty, version: int | None = None
    ) -> SessionSignature | None:
        """The party's signature on a record version (default: the current one)."""
        version = self.record_version if version is None else version
        return next((s for s in self.signatures if s.party == party and s.version == version), None)


class SessionSignature(Base):
    __tablename__ = "session_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("supervision_session.id"), index=True)
    # The record version signed (SupervisionSession.record_version at the time).
    version: Mapped[int] = mapped_column(Integer, default=1)
    party: Mapped[SignatoryParty] = mapped_column(_enum(SignatoryParty, "session_party"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    signed_on: Mapped[date] = mapped_column(Date)
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    # One signature per party per version: a double submission signs once.
    __table_args__ = (UniqueConstraint("session_id", "version", "party"),)


class SessionRecordVersion(Base):
    """A signed version of a supervision record, kept as it was signed when an
    amendment replaced it. Rows are written once and never updated."""

    __tablename__ = "session_record_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("supervision_session.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date | None] = mapped_column(Date)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    late_reason: Mapped[str | None] = mapped_column(Text)
    development_discussed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The record's sections, and its actions and case IDs as they were signed.
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    amended_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("session_id", "version"),)


class SessionAction(Base):
    """An action agreed in supervision: owner and date, reviewed at the next
    session ("Review of previous supervision", Lancashire record §1)."""

    __tablename__ = "session_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("supervision_session.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    # What the owner wrote when they marked it done from their inbox
    # (models/actions/session_actions.py); the next session reviews it.
    done_note: Mapped[str | None] = mapped_column(Text)
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_in_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_session.id"), index=True
    )


class GroupSupervisionAttendance(Base):
    """Bristol §6.1: group or peer reflective supervision every four weeks;
    attendance is captured in the personal record (§6.5)."""

    __tablename__ = "group_supervision_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    attended_on: Mapped[date] = mapped_column(Date)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    model: Mapped[str] = mapped_column(String(120), default="")

    __table_args__ = (UniqueConstraint("staff_id", "attended_on"),)
