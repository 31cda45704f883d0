"""Reads for the checks pages."""

from __future__ import annotations

from sqlalchemy import select

from models import RegistrationCheck
from webapp.database import db_session


def checks_for(staff_id: int) -> list[RegistrationCheck]:
    return list(
        db_session().scalars(
            select(RegistrationCheck)
            .where(RegistrationCheck.staff_id == staff_id)
            .order_by(RegistrationCheck.checked_on.desc(), RegistrationCheck.id.desc())
        )
    )
