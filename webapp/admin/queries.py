"""The admin pages' reads: whose facts this login may change (the workforce
team: the whole organisation; a head of service: the teams of the areas they
head), and the staff list, searched, filtered and paged in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from models import AppRole, CaseAllocation, ServiceArea, StaffMember, StaffRole, Team, UserAccount
from models.actions.accounts import invitation_token_hash
from models.base import utcnow
from models.tables.org import LoginInvitation
from models.tables.oversight import Absence
from models.tables.supervision import SupervisionRelationship
from webapp.database import db_session
from webapp.users import AppUser

PAGE_SIZE = 50


def is_admin(user: AppUser) -> bool:
    if user.read_only:
        return False
    if user.has_role(AppRole.WORKFORCE_TEAM.value):
        return True
    return user.has_role(AppRole.HEAD_OF_SERVICE.value) and user.heads_area


def headed_area_ids(user: AppUser) -> list[int]:
    return list(
        db_session().scalars(
            select(ServiceArea.id).where(ServiceArea.head_of_service_id == user.staff_id)
        )
    )


def admin_staff_ids(user: AppUser) -> Select:
    """The staff this login may change, as a SELECT of ids."""
    query = select(StaffMember.id).where(StaffMember.organisation_id == user.organisation_id)
    if user.has_role(AppRole.WORKFORCE_TEAM.value):
        return query
    return query.join(Team, Team.id == StaffMember.team_id).where(
        Team.service_area_id.in_(headed_area_ids(user))
    )


def staff_for_admin(user: AppUser, staff_id: int) -> StaffMember | None:
    if not is_admin(user):
        return None
    return (
        db_session()
        .scalars(
            select(StaffMember).where(
                StaffMember.id == staff_id, StaffMember.id.in_(admin_staff_ids(user))
            )
        )
        .one_or_none()
    )


def staff_by_number(user: AppUser, number: str) -> StaffMember | None:
    """Someone in this organisation by employee number (a supervisor or line
    manager may be anywhere in the council)."""
    return (
        db_session()
        .scalars(
            select(StaffMember).where(
                StaffMember.organisation_id == user.organisation_id,
                StaffMember.staff_number == (number or "").strip(),
            )
        )
        .one_or_none()
    )


def relationship_for_admin(user: AppUser, relationship_id: int):
    if not is_admin(user):
        return None
    return (
        db_session()
        .scalars(
            select(SupervisionRelationship).where(
                SupervisionRelationship.id == relationship_id,
                SupervisionRelationship.supervisee_id.in_(admin_staff_ids(user)),
            )
        )
        .one_or_none()
    )


def case_for_admin(user: AppUser, case_ref: str) -> CaseAllocation | None:
    if not is_admin(user):
        return None
    return (
        db_session()
        .scalars(
            select(CaseAllocation).where(
                CaseAllocation.organisation_id == user.organisation_id,
                CaseAllocation.case_ref == (case_ref or "").upper(),
                CaseAllocation.ended_on.is_(None),
                CaseAllocation.worker_id.in_(admin_staff_ids(user)),
            )
        )
        .first()
    )


def team_choices(user: AppUser) -> list[tuple[str, str]]:
    query = (
        select(Team.id, Team.name, ServiceArea.name)
        .join(ServiceArea)
        .where(ServiceArea.organisation_id == user.organisation_id, Team.closed_on.is_(None))
        .order_by(ServiceArea.name, Team.name)
    )
    if not user.has_role(AppRole.WORKFORCE_TEAM.value):
        query = query.where(ServiceArea.id.in_(headed_area_ids(user)))
    return [(str(i), f"{team} ({area})") for i, team, area in db_session().execute(query)]


@dataclass(frozen=True)
class StaffFilter:
    text: str = ""
    team_id: int | None = None
    role: str = ""
    status: str = "current"  # current, left, all
    page: int = 1


def staff_page(user: AppUser, wanted: StaffFilter, on) -> tuple[list, int]:
    """One page of the staff list and how many match, both counted by the database."""
    query = select(StaffMember).where(StaffMember.id.in_(admin_staff_ids(user)))
    if wanted.text:
        like = f"%{wanted.text.lower()}%"
        query = query.where(
            or_(
                func.lower(StaffMember.name).like(like),
                func.lower(StaffMember.staff_number).like(like),
                func.lower(StaffMember.email).like(like),
            )
        )
    if wanted.team_id:
        query = query.where(StaffMember.team_id == wanted.team_id)
    if wanted.role in {r.value for r in StaffRole}:
        query = query.where(StaffMember.role == StaffRole(wanted.role))
    if wanted.status == "current":
        query = query.where(or_(StaffMember.left_on.is_(None), StaffMember.left_on > on))
    elif wanted.status == "left":
        query = query.where(StaffMember.left_on <= on)
    total = db_session().scalar(select(func.count()).select_from(query.subquery()))
    # A person's service area is their team's (scope.py reads it the same way).
    rows = db_session().execute(
        query.add_columns(Team.name.label("team_name"), ServiceArea.name.label("area_name"))
        .outerjoin(Team, Team.id == StaffMember.team_id)
        .outerjoin(ServiceArea, ServiceArea.id == Team.service_area_id)
        .order_by(StaffMember.name, StaffMember.id)
        .limit(PAGE_SIZE)
        .offset((max(wanted.page, 1) - 1) * PAGE_SIZE)
    )
    return list(rows), total


def open_relationship_of(staff_id: int) -> SupervisionRelationship | None:
    return (
        db_session()
        .scalars(
            select(SupervisionRelationship)
            .where(
                SupervisionRelationship.supervisee_id == staff_id,
                SupervisionRelationship.ended_on.is_(None),
            )
            .order_by(SupervisionRelationship.started_on.desc())
        )
        .first()
    )


def is_workforce(user: AppUser) -> bool:
    return not user.read_only and user.has_role(AppRole.WORKFORCE_TEAM.value)


def _area_ids(user: AppUser) -> Select:
    query = select(ServiceArea.id).where(ServiceArea.organisation_id == user.organisation_id)
    if user.has_role(AppRole.WORKFORCE_TEAM.value):
        return query
    return query.where(ServiceArea.head_of_service_id == user.staff_id)


def area_for_admin(user: AppUser, area_id: int) -> ServiceArea | None:
    if not is_workforce(user):
        return None
    return (
        db_session()
        .scalars(
            select(ServiceArea).where(
                ServiceArea.id == area_id, ServiceArea.id.in_(_area_ids(user))
            )
        )
        .one_or_none()
    )


def team_for_admin(user: AppUser, team_id: int) -> Team | None:
    if not is_admin(user):
        return None
    return (
        db_session()
        .scalars(
            select(Team).where(
                Team.id == team_id,
                Team.closed_on.is_(None),
                Team.service_area_id.in_(_area_ids(user)),
            )
        )
        .one_or_none()
    )


def area_choices(user: AppUser) -> list[tuple[str, str]]:
    rows = db_session().execute(
        select(ServiceArea.id, ServiceArea.name)
        .where(ServiceArea.id.in_(_area_ids(user)), ServiceArea.closed_on.is_(None))
        .order_by(ServiceArea.name)
    )
    return [(str(i), name) for i, name in rows]


def areas_and_teams(user: AppUser, on) -> list:
    """Each area this login may change, its head and teams, with the number of
    current people in each team (counted by the database, in one query)."""
    head = aliased(StaffMember)
    people = (
        select(StaffMember.team_id, func.count().label("people"))
        .where(or_(StaffMember.left_on.is_(None), StaffMember.left_on > on))
        .group_by(StaffMember.team_id)
        .subquery()
    )
    return list(
        db_session().execute(
            select(
                ServiceArea.id.label("area_id"),
                ServiceArea.name.label("area"),
                head.name.label("head"),
                ServiceArea.closed_on.label("area_closed_on"),
                Team.id.label("team_id"),
                Team.name.label("team"),
                Team.closed_on,
                func.coalesce(people.c.people, 0).label("people"),
            )
            .outerjoin(head, head.id == ServiceArea.head_of_service_id)
            .outerjoin(Team, Team.service_area_id == ServiceArea.id)
            .outerjoin(people, people.c.team_id == Team.id)
            .where(ServiceArea.id.in_(_area_ids(user)))
            .order_by(ServiceArea.name, ServiceArea.id, Team.closed_on.is_not(None), Team.name)
        )
    )


def login_of(staff_id: int) -> UserAccount | None:
    return (
        db_session()
        .scalars(select(UserAccount).where(UserAccount.staff_id == staff_id))
        .one_or_none()
    )


def absences_of(staff_id: int, on) -> list[Absence]:
    """The person's absences not yet over, soonest first."""
    return list(
        db_session().scalars(
            select(Absence)
            .where(
                Absence.staff_id == staff_id, or_(Absence.ends_on.is_(None), Absence.ends_on >= on)
            )
            .order_by(Absence.starts_on)
        )
    )


def live_invitation(token: str):
    """The invitation this token opens, if it is unused and in date."""
    return (
        db_session()
        .scalars(
            select(LoginInvitation).where(
                LoginInvitation.token_hash == invitation_token_hash(token or ""),
                LoginInvitation.used_at.is_(None),
                LoginInvitation.expires_at > utcnow(),
            )
        )
        .one_or_none()
    )
