"""The organisation and its people: service areas, teams, staff, logins."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda members: [m.value for m in members],
    )


class StaffRole(StrEnum):
    """The policy engine's role vocabulary (Lancashire §1.10 employee groups)."""

    SENIOR_MANAGER = "senior_manager"
    MANAGER = "manager"
    TEAM_MANAGER = "team_manager"
    SOCIAL_WORKER = "social_worker"
    IRO = "iro"
    SUPPORT_WORKER = "support_worker"
    NON_DIRECT_STAFF = "non_direct_staff"
    RESIDENTIAL = "residential"
    BUSINESS_SUPPORT = "business_support"
    STUDENT = "student"


class Employment(StrEnum):
    PERMANENT = "permanent"
    PART_TIME = "part_time"
    AGENCY = "agency"
    TEMPORARY = "temporary"
    CASUAL = "casual"


class AppRole(StrEnum):
    """What a login may do in the web app; a person may hold several."""

    SUPERVISEE = "supervisee"
    SUPERVISOR = "supervisor"
    LINE_MANAGER = "line_manager"
    HEAD_OF_SERVICE = "head_of_service"
    PRINCIPAL_SOCIAL_WORKER = "principal_social_worker"
    WORKFORCE_TEAM = "workforce_team"
    AUDITOR = "auditor"


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    # The policy profile (policy/profiles/<name>.yaml) this council runs under.
    profile: Mapped[str] = mapped_column(String(60))

    service_areas: Mapped[list[ServiceArea]] = relationship(back_populates="organisation")


class ServiceArea(Base):
    __tablename__ = "service_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    head_of_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", use_alter=True, name="fk_service_area_head_of_service")
    )
    # A closed service area keeps its history but takes no new teams.
    closed_on: Mapped[date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship(back_populates="service_areas")
    teams: Mapped[list[Team]] = relationship(back_populates="service_area")
    head_of_service: Mapped[StaffMember | None] = relationship(foreign_keys=[head_of_service_id])


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_area.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # A closed team keeps its history (its tasks, audits) but takes nobody new.
    closed_on: Mapped[date | None] = mapped_column(Date)

    service_area: Mapped[ServiceArea] = relationship(back_populates="teams")
    members: Mapped[list[StaffMember]] = relationship(
        back_populates="team", foreign_keys="StaffMember.team_id"
    )


class StaffMember(Base):
    __tablename__ = "staff_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    # The council's own employee number; unique within the organisation.
    staff_number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole, "staff_role"))
    employment: Mapped[Employment] = mapped_column(
        _enum(Employment, "employment"), default=Employment.PERMANENT
    )
    started_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    asye: Mapped[bool] = mapped_column(Boolean, default=False)
    # The ASYE year runs from here when it did not start with the job (a
    # social worker who qualified while in post); None: from started_on.
    asye_started_on: Mapped[date | None] = mapped_column(Date)
    # The end of probation from the HR record; None: the profile's default
    # length after started_on (policy/rules/personal_supervision.py).
    probation_ends_on: Mapped[date | None] = mapped_column(Date)
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), index=True)
    # When their supervision records were deleted after leaving (Nottingham §3.5).
    records_deleted_on: Mapped[date | None] = mapped_column(Date)
    # Contracted hours a week; None: full time (models/reports/capacity.py).
    contracted_hours: Mapped[float | None] = mapped_column(Float)

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    line_manager: Mapped[StaffMember | None] = relationship(remote_side=[id])

    __table_args__ = (
        UniqueConstraint("organisation_id", "staff_number"),
        # The admin staff list is ordered by name and paged within an organisation.
        Index("ix_staff_member_organisation_name", "organisation_id", "name", "id"),
    )

    @property
    def fact_id(self) -> str:
        """How the policy engine names this person."""
        return f"staff-{self.id}"


class UserAccount(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), unique=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # An auditor's access ends on this date (an inspection's visit is
    # time-boxed); None means no expiry.
    access_expires_on: Mapped[date | None] = mapped_column(Date)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    staff: Mapped[StaffMember] = relationship()
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_names(self) -> set[str]:
        return {r.role.value for r in self.roles}


class UserRole(Base):
    __tablename__ = "user_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[AppRole] = mapped_column(_enum(AppRole, "app_role"))

    user: Mapped[UserAccount] = relationship(back_populates="roles")

    __table_args__ = (UniqueConstraint("user_id", "role"),)


class LoginInvitation(Base):
    """A one-time link to set a login's password: only the token's SHA-256
    hash is kept, it expires, and it is spent when used (or when a newer
    invitation for the same login is sent)."""

    __tablename__ = "login_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    invited_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
