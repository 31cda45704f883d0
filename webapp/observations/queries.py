"""Reads for the observation pages, scoped to the signed-in person's
organisation. None means "not found" to the caller, whether the row is
missing or someone else's, so a guessed ID answers 404."""

from __future__ import annotations

from sqlalchemy import select

from models import Observation, StaffMember
from webapp import scope
from webapp.database import db_session
from webapp.users import AppUser


def observation_for_viewer(user: AppUser, observation_id: int) -> Observation | None:
    """The observer, the person observed, and anyone whose scope covers the
    person observed (their managers, the principal social worker, auditors)."""
    observation = (
        db_session()
        .scalars(
            select(Observation)
            .join(StaffMember, StaffMember.id == Observation.staff_id)
            .where(
                Observation.id == observation_id,
                StaffMember.organisation_id == user.organisation_id,
            )
        )
        .one_or_none()
    )
    if observation is None:
        return None
    if user.staff_id in (observation.observer_id, observation.staff_id):
        return observation
    return observation if scope.may_see_staff(user, observation.staff_id) else None
