"""Organisations, their service areas and teams, staff, and user accounts."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import (
    AppRole,
    Organisation,
    ServiceArea,
    StaffMember,
    StaffRole,
    Team,
    UserAccount,
    UserRole,
)
from models.passwords import hash_password
from tests.factories import next_number
from tests.factories.base import added, id_of, row_of

PASSWORD = "correct horse battery staple"


def make_organisation(
    session: Session, *, profile: str = "lancashire", name: str = "Testshire"
) -> Organisation:
    return added(
        session,
        Organisation(
            name=f"{name} County Council", slug=f"{name.lower()}-{next_number()}", profile=profile
        ),
    )


def make_service_area(
    session: Session,
    org: Organisation | int,
    *,
    name: str = "Children's Social Care",
    head: StaffMember | int | None = None,
) -> ServiceArea:
    return added(
        session,
        ServiceArea(organisation_id=id_of(org), name=name, head_of_service_id=id_of(head)),
    )


def make_team(
    session: Session,
    org: Organisation | int,
    *,
    name: str = "Assessment Team 1",
    area: ServiceArea | int | None = None,
) -> Team:
    """A team, in a service area of its own unless one is given."""
    area = area or make_service_area(session, org)
    return added(session, Team(service_area_id=id_of(area), name=name))


def make_staff(
    session: Session,
    org: Organisation | int,
    *,
    name: str | None = None,
    role: StaffRole = StaffRole.SOCIAL_WORKER,
    started_on: date = date(2026, 1, 5),
    line_manager: StaffMember | int | None = None,
    team: Team | int | None = None,
    asye: bool = False,
    **columns,
) -> StaffMember:
    n = next_number()
    staff = StaffMember(
        organisation_id=id_of(org),
        team_id=id_of(team),
        staff_number=f"E{n:05d}",
        name=name or f"Person {n}",
        email=f"person{n}@example.test",
        role=role,
        started_on=started_on,
        asye=asye,
        line_manager_id=id_of(line_manager),
        **columns,
    )
    return added(session, staff)


def make_user(
    session: Session,
    staff: StaffMember | int,
    *roles: AppRole,
    username: str | None = None,
    password: str = PASSWORD,
    **columns,
) -> UserAccount:
    staff = row_of(session, StaffMember, staff)
    user = UserAccount(
        staff_id=staff.id,
        username=username or staff.email,
        password_hash=hash_password(password),
        **columns,
    )
    user.roles = [UserRole(role=r) for r in roles]
    return added(session, user)
