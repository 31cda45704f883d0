"""Recording a review of a newly qualified social worker's ASYE year (at 3, 6
and 12 months: the Skills for Care ASYE framework, policy/rules/asye.py), by
their supervisor or the colleague covering for them. One transaction, ended
by unit_of_work.finish_action: the review's human task completed, the
person's ASYE obligations reconciled, announced and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.answers import answered, task_by_key
from models.actions.errors import ActionError, AlreadySigned
from models.actions.permissions import supervised_person
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.tables.org import StaffMember
from models.tables.oversight import AsyeReview
from policy import keys, kinds
from policy.dates import long_date
from policy.keys import staff_fact_id

__all__ = ["ASYE_REVIEW_STAGES", "AsyeReviewResult", "record_asye_review"]

# The month each review falls in (Skills for Care ASYE framework): 3, the
# interim review at 6, the final assessment at 12.
ASYE_REVIEW_STAGES = (3, 6, 12)
OUTCOME_LIMIT = 4000


@dataclass(frozen=True)
class AsyeReviewResult:
    review_id: int
    completed_task_id: int | None


def record_asye_review(
    *,
    staff_id: int,
    recorder_staff_id: int,
    stage: int,
    reviewed_on: date,
    outcome: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> AsyeReviewResult:
    """The supervisor (or the colleague covering for them) records that the
    review at `stage` months took place, and what it concluded."""
    outcome = (outcome or "").strip()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        person = supervised_person(session, staff_id, recorder_staff_id, on, "their ASYE reviews")
        _check_review(session, person, stage, reviewed_on, outcome, on)
        review = AsyeReview(
            staff_id=staff_id,
            stage=stage,
            reviewed_on=reviewed_on,
            outcome=outcome,
            recorded_by_id=recorder_staff_id,
        )
        session.add(review)
        session.flush()
        key = keys.build("asye_review", staff=staff_fact_id(staff_id), stage=stage)
        done = finish_action(
            session,
            Finish(
                organisation_id=person.organisation_id,
                actor_staff_id=recorder_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                completed=answered(task_by_key(session, person.organisation_id, key)),
                subjects={staff_fact_id(staff_id)},
                lifecycles=kinds.kind("asye_review").lifecycles,
                event=events.ASYE_REVIEW_RECORDED,
                subject_id=staff_id,
                payload={"asye_review_id": review.id, "stage": stage},
                audit=Audit(
                    "create",
                    "asye_review",
                    review.id,
                    staff_id,
                    f"Recorded the {stage}-month ASYE review of {long_date(reviewed_on)}",
                ),
            ),
        )
        completed = done.completed_task_ids
        return AsyeReviewResult(review.id, completed[0] if completed else None)


def _check_review(
    session: Session, person: StaffMember, stage: int, reviewed_on: date, outcome: str, on: date
) -> None:
    if not person.asye:
        raise ActionError(f"{person.name} is not a newly qualified social worker in ASYE.")
    if stage not in ASYE_REVIEW_STAGES:
        raise ActionError("Choose the 3-month, 6-month or 12-month review.")
    if reviewed_on > on:
        raise ActionError("The date of the review must be today or in the past.")
    if reviewed_on < person.started_on:
        raise ActionError("The date of the review must be after they started.")
    if reviewed_on < on - relativedelta(years=1):
        raise ActionError("The date of the review must be within the last year.")
    if not outcome:
        raise ActionError("Enter what the review concluded.")
    if len(outcome) > OUTCOME_LIMIT:
        raise ActionError(f"The outcome must be {OUTCOME_LIMIT} characters or fewer.")
    existing = session.scalar(
        select(AsyeReview.id).where(AsyeReview.staff_id == person.id, AsyeReview.stage == stage)
    )
    if existing is not None:
        raise AlreadySigned(f"The {stage}-month review is already recorded.")
