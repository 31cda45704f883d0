"""Recording a review of a newly qualified social worker's ASYE year (at 3, 6
and 12 months: the Skills for Care ASYE framework, policy/rules/asye.py).
Like models/actions/agreements.py: one transaction; lock the organisation; record the
fact; complete the human task by its key; reconcile that person's ASYE
obligations; an outbox row; an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.sessions import supervises_or_covers
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.tables.audit import AuditEntry
from models.tables.human_task import HumanTask
from models.tables.org import StaffMember
from models.tables.outbox import OutboxEvent
from models.tables.oversight import AsyeReview
from policy.keys import staff_fact_id

__all__ = ["ASYE_REVIEW_STAGES", "AsyeReviewResult", "asye_review_key", "record_asye_review"]

# The month each review falls in (Skills for Care ASYE framework): 3, the
# interim review at 6, the final assessment at 12.
ASYE_REVIEW_STAGES = (3, 6, 12)
OUTCOME_LIMIT = 4000


def asye_review_key(staff_id: int, stage: int) -> str:
    """The engine's key for the review's obligation (policy/rules/asye.py)."""
    return f"asye-review:{staff_fact_id(staff_id)}:{stage}"


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
        person = session.get(StaffMember, staff_id)
        if person is None:
            raise ActionError("That member of staff does not exist.")
        lock_organisation(session, person.organisation_id)
        if not supervises_or_covers(session, recorder_staff_id, staff_id, on):
            raise NotPermitted(
                "Only this person's supervisor, or a colleague covering for them, can record "
                "their ASYE reviews."
            )
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
            select(AsyeReview.id).where(AsyeReview.staff_id == staff_id, AsyeReview.stage == stage)
        )
        if existing is not None:
            raise AlreadySigned(f"The {stage}-month review is already recorded.")
        review = AsyeReview(
            staff_id=staff_id,
            stage=stage,
            reviewed_on=reviewed_on,
            outcome=outcome,
            recorded_by_id=recorder_staff_id,
        )
        session.add(review)
        session.flush()
        task = session.scalars(
            select(HumanTask).where(HumanTask.key == asye_review_key(staff_id, stage))
        ).one_or_none()
        if task is not None and task.is_open:
            task.complete(recorder_staff_id)
        else:
            task = None
        reconcile_in_session(
            session,
            organisation_id=person.organisation_id,
            lifecycles={"asye"},
            as_of=on,
            subjects={staff_fact_id(staff_id)},
            actor=f"staff-{recorder_staff_id}",
        )
        session.add(
            OutboxEvent(
                event="oversight.asye-review.recorded",
                resource_id=f"oversight.staff.{staff_id}",
                payload={
                    "asye_review_id": review.id,
                    "organisation_id": person.organisation_id,
                    "stage": stage,
                    "on": on.isoformat(),
                },
            )
        )
        session.add(
            AuditEntry(
                actor_user_id=actor_user_id,
                actor=f"staff-{recorder_staff_id}",
                action="create",
                object_type="asye_review",
                object_id=str(review.id),
                subject_staff_id=staff_id,
                detail=f"Recorded the {stage}-month ASYE review of {reviewed_on.isoformat()}",
            )
        )
        session.flush()
        return AsyeReviewResult(review.id, task.id if task else None)
