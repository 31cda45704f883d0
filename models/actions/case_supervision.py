"""Case supervision: the case direction (decision, rationale, next steps) for
one case ID, given in a personal supervision session or on its own, and that
it was entered on the child's record in the case system.

The directions live here, not in the personal record (Bristol §5.2: "removed
from the supervisee's record of supervision and recorded directly on the
individual child/carer's record"). Each action ends as every case action
does (models/actions/cases.finish_case)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.answers import answered, earliest_open, task_by_key
from models.actions.cases import (
    CaseResult,
    checked_case_id,
    finish_case,
    locked_org_of,
    open_allocation,
    open_case,
)
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.permissions import may_supervise_case
from models.db import get_sessionmaker
from models.tables.cases import CaseAllocation, CaseSupervision
from models.tables.supervision import SupervisionSession
from policy import keys
from policy.dates import long_date


@dataclass(frozen=True)
class CaseDiscussion:
    case_ref: str
    decision: str = ""
    rationale: str = ""
    next_steps: str = ""
    important_decision: bool = False  # RAG rating, safeguarding or legal (Lancashire §1.8)
    # Where it was decided (policy.facts.DECISION_SETTINGS): Bristol §5.7 owes
    # decisions made outside formal supervision as case directions in 24 hours.
    made_in: str = "supervision"


def record_case_supervision(
    *,
    case_ref: str,
    supervisor_staff_id: int,
    supervised_on: date,
    discussion: CaseDiscussion,
    on: date,
    task_key: str | None = None,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """A case discussed outside a personal supervision session: the case
    direction (decision, rationale, next steps) for one case ID."""
    ref = checked_case_id(case_ref)
    if supervised_on > on:
        raise ActionError("The date of the discussion must be today or in the past.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = locked_org_of(session, supervisor_staff_id)
        allocation = open_case(session, organisation_id, ref)
        check_case_in_scope(session, supervisor_staff_id, allocation, on)
        direction = _direction(allocation, supervisor_staff_id, supervised_on, discussion)
        if _recorded_already(session, direction):
            raise AlreadySigned(
                f"This case direction for {ref} is already recorded; it has been recorded once."
            )
        session.add(direction)
        session.flush()
        task = task_by_key(session, organisation_id, task_key, kinds={"case_supervision"})
        if task is None or task.subject != ref:
            # A task named by the form completes only this case's supervision.
            task = earliest_open(session, organisation_id, ref, "case_supervision")
        return finish_case(
            session,
            allocation,
            direction,
            completed=answered(task),
            staff_id=supervisor_staff_id,
            actor_user_id=actor_user_id,
            event=events.CASE_SUPERVISED,
            detail=f"Case direction for {ref} on {long_date(supervised_on)}",
            on=on,
        )


def check_case_in_scope(
    session: Session, recorder_staff_id: int, allocation: CaseAllocation, on: date
) -> None:
    """A case direction is written only on a case whose allocated worker the
    recorder supervises, covers for or manages on `on`: a case ID typed into
    a form reaches no other team's case. The message does not say whose case
    it is."""
    if not may_supervise_case(session, recorder_staff_id, allocation.worker_id, on):
        raise NotPermitted(
            f"There is no open case {allocation.case_ref} allocated to anyone you supervise, "
            "cover for or manage. Check the case ID."
        )


def _direction(
    allocation: CaseAllocation, supervisor_id: int, supervised_on: date, discussion: CaseDiscussion
) -> CaseSupervision:
    return CaseSupervision(
        allocation_id=allocation.id,
        supervisor_id=supervisor_id,
        supervised_on=supervised_on,
        decision=discussion.decision.strip(),
        rationale=discussion.rationale.strip(),
        next_steps=discussion.next_steps.strip(),
        important_decision=discussion.important_decision,
        made_in=discussion.made_in,
    )


def _recorded_already(session: Session, direction: CaseSupervision) -> bool:
    """The same direction outside a session, on the same day: a form sent twice."""
    duplicate = session.scalar(
        select(CaseSupervision.id).where(
            CaseSupervision.allocation_id == direction.allocation_id,
            CaseSupervision.supervised_on == direction.supervised_on,
            CaseSupervision.session_id.is_(None),
            CaseSupervision.decision == direction.decision,
        )
    )
    return duplicate is not None


def record_cases_discussed(
    session: Session,
    organisation_id: int,
    row: SupervisionSession,
    cases: Iterable[CaseDiscussion],
    recorder_staff_id: int,
) -> list[str]:
    """The cases discussed in a personal supervision session, one
    CaseSupervision row each (replacing a draft's); their case IDs."""
    session.flush()
    entered: dict[str, date | None] = {}
    if row.id is not None:
        for old in session.scalars(
            select(CaseSupervision).where(CaseSupervision.session_id == row.id)
        ):
            entered[old.allocation.case_ref] = old.recorded_on
            session.delete(old)
        session.flush()
    refs: list[str] = []
    for discussion in cases:
        ref = checked_case_id(discussion.case_ref)
        if ref in refs:
            raise ActionError(f"Case {ref} is entered twice: discuss each case once.")
        allocation = open_allocation(session, organisation_id, ref)
        if allocation is None:
            raise ActionError(
                f"There is no open case {ref}. Check the case ID, or allocate the case first."
            )
        check_case_in_scope(session, recorder_staff_id, allocation, row.held_on)
        refs.append(ref)
        direction = _direction(allocation, recorder_staff_id, row.held_on, discussion)
        direction.session_id = row.id
        direction.recorded_on = entered.get(ref)
        session.add(direction)
    return refs


def mark_direction_recorded(
    *,
    case_supervision_id: int,
    by_staff_id: int,
    recorded_on: date,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """The case direction was entered on the child's record in the case system on
    `recorded_on`: meets the case_record and decision_record obligations."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = locked_org_of(session, by_staff_id)
        direction = session.get(CaseSupervision, case_supervision_id)
        if direction is None or direction.allocation.organisation_id != organisation_id:
            raise ActionError("That case direction does not exist.")
        allocation = direction.allocation
        if not may_supervise_case(session, by_staff_id, allocation.worker_id, on) and (
            by_staff_id != direction.supervisor_id
        ):
            raise NotPermitted("Only the supervisor can record this.")
        _check_entered_on(direction, recorded_on, on)
        direction.recorded_on = recorded_on
        families = ["case_record"] + (["decision_record"] if direction.important_decision else [])
        completed = [
            task_by_key(
                session,
                allocation.organisation_id,
                keys.build(family, case=allocation.case_ref, day=direction.supervised_on),
            )
            for family in families
        ]
        return finish_case(
            session,
            allocation,
            direction,
            completed=[t for t in completed if t is not None],
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event=events.CASE_DIRECTION_RECORDED,
            detail=f"Entered on the child's record on {long_date(recorded_on)}",
            on=on,
        )


def _check_entered_on(direction: CaseSupervision, recorded_on: date, on: date) -> None:
    if recorded_on > on:
        raise ActionError("The date entered on the child's record must be today or earlier.")
    if recorded_on < direction.supervised_on:
        raise ActionError(
            "The date entered on the child's record cannot be before the discussion "
            f"({long_date(direction.supervised_on)})."
        )
    if direction.recorded_on is not None:
        raise AlreadySigned(
            f"This direction was already entered on the child's record on "
            f"{long_date(direction.recorded_on)}."
        )
