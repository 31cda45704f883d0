"""Supervision facts: who supervises whom, their agreement, their sessions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.org import StaffMember, _enum


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


class SupervisionSession(Base):
    __tablename__ = "supervision_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_relationship.id"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    recorded_on: Mapped[date | None] = mapped_column(Date)
    # Bristol §3.4: the reason a session was late is recorded in the next record.
    late_reason: Mapped[str | None] = mapped_column(Text)
    notes_ref: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    supervision_relationship: Mapped[SupervisionRelationship] = relationship()
