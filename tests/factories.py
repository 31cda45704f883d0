"""Small factory functions for facts. Each takes a session, adds one row with
sensible defaults, flushes, and returns it; the caller owns the transaction."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from models import (
    AppRole,
    Organisation,
    ServiceArea,
    StaffMember,
    StaffRole,
    SupervisionRelationship,
    Team,
    UserAccount,
    UserRole,
)
from models.passwords import hash_password

_numbers = itertools.count(1)


def make_organisation(session: Session, *, profile: str = "lancashire", name: str = "Testshire"):
    org = Organisation(
        name=f"{name} County Council", slug=f"{name.lower()}-{next(_numbers)}", profile=profile
    )
    session.add(org)
    session.flush()
    return org


def make_team(session: Session, org: Organisation, *, name: str = "Assessment Team 1"):
    area = ServiceArea(organisation_id=org.id, name="Children's Social Care")
    session.add(area)
    session.flush()
    team = Team(service_area_id=area.id, name=name)
    session.add(team)
    session.flush()
    return team


def make_staff(
    session: Session,
    org: Organisation,
    *,
    name: str | None = None,
    role: StaffRole = StaffRole.SOCIAL_WORKER,
    started_on: date = date(2026, 1, 5),
    line_manager: StaffMember | None = None,
    team: Team | None = None,
    asye: bool = False,
    **extra,
) -> StaffMember:
    n = next(_numbers)
    staff = StaffMember(
        organisation_id=org.id,
        team_id=team.id if team else None,
        staff_number=f"E{n:05d}",
        name=name or f"Person {n}",
        email=f"person{n}@example.test",
        role=role,
        started_on=started_on,
        asye=asye,
        line_manager_id=line_manager.id if line_manager else None,
        **extra,
    )
    session.add(staff)
    session.flush()
    return staff


def make_relationship(
    session: Session,
    supervisor: StaffMember,
    supervisee: StaffMember,
    *,
    started_on: date = date(2026, 1, 5),
    reason: str = "new_starter",
) -> SupervisionRelationship:
    rel = SupervisionRelationship(
        supervisor_id=supervisor.id,
        supervisee_id=supervisee.id,
        started_on=started_on,
        reason=reason,
    )
    session.add(rel)
    session.flush()
    return rel


def make_user(
    session: Session,
    staff: StaffMember,
    *roles: AppRole,
    username: str | None = None,
    password: str = "correct horse battery staple",
) -> UserAccount:
    user = UserAccount(
        staff_id=staff.id,
        username=username or staff.email,
        password_hash=hash_password(password),
    )
    user.roles = [UserRole(role=r) for r in roles]
    session.add(user)
    session.flush()
    return user
