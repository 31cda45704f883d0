"""Reads for the review pages, scoped to the signed-in person's organisation;
None for anything missing or not theirs to see, so guessed IDs answer 404."""

from __future__ import annotations

from sqlalchemy import select

from models import ReviewQuestionnaire, StaffMember, SupervisionRelationship
from models.actions.reviews import AWAITING_SUPERVISOR, review_state
from webapp import scope
from webapp.database import db_session
from webapp.users import AppUser


def questionnaire_for_viewer(user: AppUser, questionnaire_id: int) -> ReviewQuestionnaire | None:
    """The two parties, the line manager it was forwarded to, and anyone whose
    scope covers the supervisee."""
    row = (
        db_session()
        .scalars(
            select(ReviewQuestionnaire)
            .join(
                SupervisionRelationship,
                SupervisionRelationship.id == ReviewQuestionnaire.relationship_id,
            )
            .join(StaffMember, StaffMember.id == SupervisionRelationship.supervisee_id)
            .where(
                ReviewQuestionnaire.id == questionnaire_id,
                StaffMember.organisation_id == user.organisation_id,
            )
        )
        .one_or_none()
    )
    if row is None:
        return None
    rel = db_session().get(SupervisionRelationship, row.relationship_id)
    if user.staff_id in (rel.supervisor_id, rel.supervisee_id, row.forwarded_to_id):
        return row
    return row if scope.may_see_staff(user, rel.supervisee_id) else None


def questionnaires_for(relationship_id: int) -> list[ReviewQuestionnaire]:
    return list(
        db_session().scalars(
            select(ReviewQuestionnaire)
            .where(ReviewQuestionnaire.relationship_id == relationship_id)
            .order_by(ReviewQuestionnaire.reviewed_on.desc(), ReviewQuestionnaire.id.desc())
        )
    )


def awaiting_supervisor(relationship_id: int) -> ReviewQuestionnaire | None:
    return next(
        (q for q in questionnaires_for(relationship_id) if review_state(q) == AWAITING_SUPERVISOR),
        None,
    )
