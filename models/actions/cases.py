"""Children's cases, by case ID only: allocating, reallocating and closing a
case and how often it is supervised; and the end every case action shares
(`finish_case`: reconciled and announced about the case, audited against the
allocated worker). Case directions are models/actions/case_supervision.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.permissions import may_oversee
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.events import Event
from models.tables.cases import (
    CaseAllocation,
    CaseIdError,
    CaseSupervision,
    CaseType,
    check_case_id,
)
from models.tables.human_task import HumanTask
from models.tables.org import Organisation, StaffMember
from policy import kinds, load_profile
from policy import schedule as planning
from policy.keys import staff_fact_id

# The kinds of human task a case's supervision answers, and the lifecycles that owe them.
CASE_KINDS = ("case_supervision", "case_record", "decision_record")
CASE_LIFECYCLES = frozenset(lc for name in CASE_KINDS for lc in kinds.kind(name).lifecycles)


@dataclass(frozen=True)
class CaseResult:
    allocation_id: int | None
    case_supervision_id: int | None
    completed_task_ids: tuple[int, ...]
    next_task_ids: tuple[int, ...]


def allocate_case(
    *,
    case_ref: str,
    case_type: str,
    worker_id: int,
    allocated_on: date,
    by_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    ref = checked_case_id(case_ref)
    try:
        kind = CaseType(case_type)
    except ValueError:
        raise ActionError("Select the type of case.") from None
    if allocated_on > on:
        raise ActionError("The date allocated must be today or in the past.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = locked_org_of(session, by_staff_id)
        _check_worker(
            session, organisation_id, worker_id, "Select the worker the case is allocated to."
        )
        if not may_oversee(session, by_staff_id, worker_id, on):
            raise NotPermitted("You can only allocate cases to people you supervise.")
        if open_allocation(session, organisation_id, ref) is not None:
            raise AlreadySigned(f"Case {ref} is already allocated. Reallocate it instead.")
        allocation = CaseAllocation(
            organisation_id=organisation_id,
            case_ref=ref,
            case_type=kind,
            worker_id=worker_id,
            allocated_on=allocated_on,
        )
        session.add(allocation)
        return _finish_allocation(
            session,
            allocation,
            by_staff_id,
            actor_user_id,
            events.CASE_ALLOCATED,
            f"Allocated {ref} ({kind.value}) to {staff_fact_id(worker_id)}",
            on,
        )


def reallocate_case(
    *,
    case_ref: str,
    new_worker_id: int,
    on: date,
    by_staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """End the current allocation and start a new one for the new worker, which
    restarts the first-supervision clock (Wokingham 003 standard 21: "All cases
    must be supervised within a month of being allocated; this includes
    allocation to a new worker"). A recorded per-case frequency carries over."""
    ref = checked_case_id(case_ref)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = locked_org_of(session, by_staff_id)
        current = open_case(session, organisation_id, ref)
        _check_worker(
            session, organisation_id, new_worker_id, "Select the worker to reallocate the case to."
        )
        if new_worker_id == current.worker_id:
            raise ActionError("The case is already allocated to that worker.")
        if not (
            may_oversee(session, by_staff_id, current.worker_id, on)
            and may_oversee(session, by_staff_id, new_worker_id, on)
        ):
            raise NotPermitted("You can only reallocate cases between people you supervise.")
        if on < current.allocated_on:
            raise ActionError("A case cannot be reallocated before it was allocated.")
        current.ended_on = on
        allocation = CaseAllocation(
            organisation_id=organisation_id,
            case_ref=ref,
            case_type=current.case_type,
            worker_id=new_worker_id,
            allocated_on=on,
            frequency_weeks=current.frequency_weeks,
            frequency_reason=current.frequency_reason,
        )
        session.add(allocation)
        return _finish_allocation(
            session,
            allocation,
            by_staff_id,
            actor_user_id,
            events.CASE_REALLOCATED,
            f"Reallocated {ref} from {staff_fact_id(current.worker_id)} "
            f"to {staff_fact_id(new_worker_id)}",
            on,
        )


def close_case(
    *,
    case_ref: str,
    on: date,
    by_staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    ref = checked_case_id(case_ref)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = locked_org_of(session, by_staff_id)
        current = open_allocation(session, organisation_id, ref)
        if current is None:
            raise AlreadySigned(f"Case {ref} is already closed.")
        if not may_oversee(session, by_staff_id, current.worker_id, on):
            raise NotPermitted("Only the allocated worker's supervisor can close this case.")
        current.ended_on = max(on, current.allocated_on)
        return _finish_allocation(
            session, current, by_staff_id, actor_user_id, events.CASE_CLOSED, f"Closed {ref}", on
        )


def set_case_frequency(
    *,
    case_ref: str,
    weeks: int | None,
    reason: str,
    on: date,
    by_staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """Record how often this case will be supervised, and why (Lancashire §1.9:
    "they should record the frequency in the most recent management oversight").
    The profile's limit is enforced with its own words; None clears it."""
    ref = checked_case_id(case_ref)
    reason = (reason or "").strip()
    if weeks is not None and not reason:
        raise ActionError("Enter why this case needs a different frequency.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = locked_org_of(session, by_staff_id)
        current = open_case(session, organisation_id, ref)
        if not may_oversee(session, by_staff_id, current.worker_id, on):
            raise NotPermitted("Only the allocated worker's supervisor can set this.")
        if weeks is not None:
            profile = load_profile(session.get(Organisation, organisation_id).profile)
            problem = planning.case_frequency_problem(
                profile, current.case_type.value, weeks, current.category
            )
            if problem:
                raise ActionError(problem)
        current.frequency_weeks = weeks
        current.frequency_reason = reason if weeks is not None else None
        return _finish_allocation(
            session,
            current,
            by_staff_id,
            actor_user_id,
            events.CASE_FREQUENCY_RECORDED,
            f"Frequency for {ref}: {weeks or 'policy default'} weeks. {reason}".strip(),
            on,
        )


# --- shared ---------------------------------------------------------------------------


def checked_case_id(value: str) -> str:
    """The case ID in its one written form, or the plain-English reason it is not one."""
    try:
        return check_case_id(value)
    except CaseIdError as error:
        raise ActionError(str(error)) from None


def locked_org_of(session: Session, staff_id: int) -> int:
    """The person's organisation, under its lock."""
    person = session.get(StaffMember, staff_id)
    if person is None:
        raise ActionError("Unknown person.")
    lock_organisation(session, person.organisation_id)
    return person.organisation_id


def open_allocation(session: Session, organisation_id: int, ref: str) -> CaseAllocation | None:
    return session.scalars(
        select(CaseAllocation)
        .where(
            CaseAllocation.organisation_id == organisation_id,
            CaseAllocation.case_ref == ref,
            CaseAllocation.ended_on.is_(None),
        )
        .order_by(CaseAllocation.allocated_on.desc(), CaseAllocation.id.desc())
    ).first()


def open_case(session: Session, organisation_id: int, ref: str) -> CaseAllocation:
    allocation = open_allocation(session, organisation_id, ref)
    if allocation is None:
        raise ActionError(f"There is no open case {ref}.")
    return allocation


def _check_worker(session: Session, organisation_id: int, worker_id: int, problem: str) -> None:
    worker = session.get(StaffMember, worker_id)
    if worker is None or worker.organisation_id != organisation_id:
        raise ActionError(problem)


def _finish_allocation(
    session: Session,
    allocation: CaseAllocation,
    staff_id: int,
    actor_user_id: int | None,
    event: Event,
    detail: str,
    on: date,
) -> CaseResult:
    session.flush()
    return finish_case(
        session,
        allocation,
        None,
        completed=(),
        staff_id=staff_id,
        actor_user_id=actor_user_id,
        event=event,
        detail=detail,
        on=on,
    )


def finish_case(
    session: Session,
    allocation: CaseAllocation,
    direction: CaseSupervision | None,
    *,
    completed: Iterable[HumanTask],
    staff_id: int,
    actor_user_id: int | None,
    event: Event,
    detail: str,
    on: date,
) -> CaseResult:
    """The end of a case action: reconciled and announced about the case,
    audited against the allocated worker."""
    session.flush()
    record = direction or allocation
    done = finish_action(
        session,
        Finish(
            organisation_id=allocation.organisation_id,
            actor_staff_id=staff_id,
            actor_user_id=actor_user_id,
            on=on,
            completed=completed,
            subjects={allocation.case_ref},
            lifecycles=CASE_LIFECYCLES,
            event=event,
            subject_id=allocation.case_ref,
            payload={
                "case_ref": allocation.case_ref,
                "allocation_id": allocation.id,
                "case_supervision_id": direction.id if direction else None,
            },
            audit=Audit(
                "create",
                "case_supervision" if direction else "case_allocation",
                record.id,
                allocation.worker_id,
                detail,
            ),
        ),
    )
    return CaseResult(
        allocation_id=allocation.id,
        case_supervision_id=direction.id if direction else None,
        completed_task_ids=done.completed_task_ids,
        next_task_ids=done.next_task_ids,
    )
