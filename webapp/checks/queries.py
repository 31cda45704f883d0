"""Reads for the checks pages; None for anyone the signed-in person may not
record checks for, so a guessed staff ID answers 404."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import RegistrationCheck, StaffMember
from models.actions.sessions import supervises_or_covers
from webapp.database import db_session
from webapp.users import AppUser


def supervisee_of(user: AppUser, staff_id: int, on: date) -> StaffMember | None:
    """The person, if the signed-in person supervises them on `on`, themselves
    or covering for their supervisor: who records their checks."""
    person = db_session().get(StaffMember, staff_id)
    if person is None or person.organisation_id != user.organisation_id:
        return None
    return person if supervises_or_covers(db_session(), user.staff_id, staff_id, on) else None


def checks_for(staff_id: int) -> list[RegistrationCheck]:
    return list(
        db_session().scalars(
            select(RegistrationCheck)
            .where(RegistrationCheck.staff_id == staff_id)
            .order_by(RegistrationCheck.checked_on.desc(), RegistrationCheck.id.desc())
        )
    )
