"""Lancashire's Group Supervision Agreement (Appendix A): one agreement for a
group, naming the supervisor / team manager, the team coordinator and several
supervisees, each of whom signs. Versioned like the one-to-one agreement: a
version being signed or in force is never edited; amending issues a new one
that everyone signs again."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.tables.org import StaffMember, Team, _enum


class GroupParty(StrEnum):
    SUPERVISOR = "supervisor"  # "Supervisor / Team Manager"
    COORDINATOR = "coordinator"  # "Team Coordinator"
    SUPERVISEE = "supervisee"


class GroupAgreementStatus(StrEnum):
    AWAITING_SIGNATURES = "awaiting_signatures"
    IN_FORCE = "in_force"
    # Replaced by a newer version: after it came into force, or before
    # everyone had signed it (a change of members, an amendment).
    SUPERSEDED = "superseded"


class SupervisionGroup(Base):
    """A group that meets for group supervision; its agreement is versioned."""

    __tablename__ = "supervision_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The form's "Supervisor / Team Manager": the person who draws up each version.
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))  # "Team/Unit"
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_on: Mapped[date | None] = mapped_column(Date)
    ended_reason: Mapped[str | None] = mapped_column(Text)

    supervisor: Mapped[StaffMember] = relationship(foreign_keys=[supervisor_id])
    team: Mapped[Team | None] = relationship()
    versions: Mapped[list[GroupSupervisionAgreement]] = relationship(
        back_populates="group", order_by="GroupSupervisionAgreement.version"
    )

    @property
    def fact_id(self) -> str:
        return f"grp-{self.id}"


class GroupSupervisionAgreement(Base):
    __tablename__ = "group_supervision_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("supervision_group.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[GroupAgreementStatus] = mapped_column(
        _enum(GroupAgreementStatus, "group_agreement_status"),
        default=GroupAgreementStatus.AWAITING_SIGNATURES,
    )
    venue: Mapped[str] = mapped_column(String(200), default="")  # "Standard Venue"
    frequency_weeks: Mapped[int] = mapped_column(Integer)  # "Frequency of supervision"
    # The form's other answers (length, preparation, recording, confidentiality,
    # disagreements, additional reporting, other), keyed by field name.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    amendment_reason: Mapped[str | None] = mapped_column(Text)
    # "Supervision agreement date": the supervisor signed and issued it.
    issued_on: Mapped[date] = mapped_column(Date)
    in_force_on: Mapped[date | None] = mapped_column(Date)
    review_due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    group: Mapped[SupervisionGroup] = relationship(back_populates="versions")
    signatories: Mapped[list[GroupAgreementSignatory]] = relationship(
        back_populates="agreement", lazy="selectin", order_by="GroupAgreementSignatory.id"
    )

    __table_args__ = (UniqueConstraint("group_id", "version"),)

    def signatory(self, staff_id: int) -> GroupAgreementSignatory | None:
        return next((s for s in self.signatories if s.staff_id == staff_id), None)

    @property
    def outstanding(self) -> list[GroupAgreementSignatory]:
        return [s for s in self.signatories if s.signed_on is None]


class GroupAgreementSignatory(Base):
    """A party named on a version; `signed_on` is set once, when they sign."""

    __tablename__ = "group_agreement_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("group_supervision_agreement.id"), index=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    party: Mapped[GroupParty] = mapped_column(_enum(GroupParty, "group_party"))
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)

    agreement: Mapped[GroupSupervisionAgreement] = relationship(back_populates="signatories")
    staff: Mapped[StaffMember] = relationship()

    # Each person is named once per version, so signing twice cannot sign twice.
    __table_args__ = (UniqueConstraint("agreement_id", "staff_id"),)
