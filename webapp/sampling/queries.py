"""Reads for the sampling pages; None for anything missing or not the signed-in
person's to review, so a guessed ID answers 404."""

from __future__ import annotations

from sqlalchemy import select

from models import Sample, ServiceArea
from models.actions.sampling import may_review
from webapp import scope
from webapp.database import db_session
from webapp.users import AppUser


def sample_for_reviewer(user: AppUser, sample_id: int) -> Sample | None:
    row = (
        db_session()
        .execute(
            select(Sample, ServiceArea)
            .join(ServiceArea, ServiceArea.id == Sample.service_area_id)
            .where(Sample.id == sample_id, ServiceArea.organisation_id == user.organisation_id)
        )
        .one_or_none()
    )
    if row is None:
        return None
    sample, area = row
    return sample if may_review(sample, area, user.staff_id) else None


def sample_for_viewer(user: AppUser, sample_id: int) -> Sample | None:
    """Who may read a sample and its findings: its reviewers, and those who see
    the whole organisation (the principal social worker, who owns the policy
    and samples too (Lancashire 000 §2.1), the workforce team, a current
    auditor). Recording findings stays with the reviewers."""
    sample = sample_for_reviewer(user, sample_id)
    if sample is not None:
        return sample
    if not scope.sees_whole_organisation(user):
        return None
    return (
        db_session()
        .scalars(
            select(Sample)
            .join(ServiceArea, ServiceArea.id == Sample.service_area_id)
            .where(Sample.id == sample_id, ServiceArea.organisation_id == user.organisation_id)
        )
        .one_or_none()
    )
