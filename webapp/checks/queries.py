"""Reads for the checks pages; None for anyone the signed-in person does not
supervise now, so a guessed staff ID answers 404."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import RegistrationCheck, StaffMember, SupervisionRelationship
from webapp.database import db_session
from webapp.users import AppUser


def supervisee_of(user: AppUser, staff_id: int, on: date) -> StaffMember | None:
    return (
        db_session()
        .scalars(
            select(StaffMember)
            .join(SupervisionRelationship, SupervisionRelationship.supervisee_id == StaffMember.id)
            .where(
                StaffMember.id == staff_id,
                StaffMember.organisation_id == user.organisation_id,
                SupervisionRelationship.supervisor_id == user.staff_id,
                SupervisionRelationship.started_on <= on,
                (SupervisionRelationship.ended_on.is_(None))
                | (SupervisionRelationship.ended_on > on),
            )
            .limit(1)
        )
        .one_or_none()
    )


def checks_for(staff_id: int) -> list[RegistrationCheck]:
    return list(
        db_session().scalars(
            select(RegistrationCheck)
            .where(RegistrationCheck.staff_id == staff_id)
            .order_by(RegistrationCheck.checked_on.desc(), RegistrationCheck.id.desc())
        )
    )
