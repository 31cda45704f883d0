"""Allocating, reallocating and closing cases by case ID and case type only,
for the workforce team's admin pages and the cases import alike. A
reallocation ends the allocation in force and starts one for the new worker,
restarting the first-supervision clock (Wokingham 003 standard 21); each
change reconciles the case, so its supervision is in the right inbox at once.
(A supervisor allocating within their own team uses models/actions/cases.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from models.actions.admin_changes import (
    CLOSED,
    NEW,
    REALLOCATION,
    Actor,
    Change,
    Changes,
    FieldChange,
    Summary,
    actor_for_login,
    check_may_change_staff,
    finish_changes,
)
from models.actions.admin_staff import FieldProblem
from models.actions.cases import CASE_LIFECYCLES, checked_case_id, open_allocation
from models.actions.errors import ActionError
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.cases import CaseAllocation, CaseType
from models.tables.org import StaffMember


def allocate_in_session(
    session: Session,
    actor: Actor,
    ref: str,
    case_type: CaseType,
    worker: StaffMember,
    allocated_on: date,
    changes: Changes,
    current: CaseAllocation | None,
) -> CaseAllocation:
    """The case allocated to this worker from `allocated_on`: unchanged when it
    already is; a reallocation when another worker holds it; else a new allocation."""
    if current is not None and current.worker_id == worker.id:
        if current.case_type != case_type:
            raise FieldProblem(
                "case_type",
                f"Case {ref} is a {current.case_type.value} case here; change its type in "
                "the case system's export only if it really changed.",
            )
        changes.unchanged += 1
        return current
    if worker.left_on is not None and worker.left_on < allocated_on:
        raise FieldProblem("worker", "The worker had left by the date allocated.")
    fields = [FieldChange("worker", None, worker.staff_number)]
    if current is not None:
        if allocated_on < current.allocated_on:
            raise FieldProblem(
                "allocated_on", "A case cannot be reallocated before it was last allocated."
            )
        fields = [FieldChange("worker", current.worker.staff_number, worker.staff_number)]
        current.ended_on = allocated_on
    allocation = CaseAllocation(
        organisation_id=actor.organisation_id,
        case_ref=ref,
        case_type=case_type,
        worker_id=worker.id,
        allocated_on=allocated_on,
        frequency_weeks=current.frequency_weeks if current else None,
        frequency_reason=current.frequency_reason if current else None,
    )
    session.add(allocation)
    fields += [
        FieldChange("case_type", None, case_type),
        FieldChange("allocated_on", None, allocated_on),
    ]
    outcome = REALLOCATION if current else NEW
    changes.add(Change(outcome, "case_allocation", ref, worker.id, fields), {ref})
    return allocation


def close_in_session(current: CaseAllocation, closed_on: date, changes: Changes) -> CaseAllocation:
    if closed_on < current.allocated_on:
        raise FieldProblem("closed_on", "A case cannot close before it was allocated.")
    current.ended_on = closed_on
    changes.add(
        Change(
            CLOSED,
            "case_allocation",
            current.case_ref,
            current.worker_id,
            [FieldChange("ended_on", None, closed_on)],
            current.id,
        ),
        {current.case_ref},
    )
    return current


# --- the admin pages' actions ---------------------------------------------------------


@dataclass(frozen=True)
class AdminCaseResult:
    case_ref: str
    allocation_id: int
    next_task_ids: tuple[int, ...]


def _worker(session: Session, actor: Actor, worker_id: int) -> StaffMember:
    worker = session.get(StaffMember, worker_id)
    if worker is None or worker.organisation_id != actor.organisation_id:
        raise FieldProblem("worker", "Select the worker.")
    check_may_change_staff(session, actor, worker)
    return worker


def _finish(session, actor, on, changes, allocation) -> AdminCaseResult:
    session.flush()
    for change in changes.items:
        change.object_id = change.object_id or allocation.id
    done = finish_changes(
        session,
        actor,
        on,
        changes,
        lifecycles=CASE_LIFECYCLES,
        summary=Summary(
            "update",
            "case_allocation",
            allocation.id,
            allocation.worker_id,
            "; ".join(map(str, changes.items)),
        ),
    )
    return AdminCaseResult(allocation.case_ref, allocation.id, done.next_task_ids)


def allocate_or_reallocate(
    *,
    actor_user_id: int,
    case_ref: str,
    case_type: str | None,
    worker_id: int,
    allocated_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> AdminCaseResult:
    """Allocate a new case (its type is needed) or reallocate an open one."""
    ref = checked_case_id(case_ref)
    if allocated_on > on:
        raise FieldProblem("allocated_on", "The date allocated must be today or in the past.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        actor = actor_for_login(session, actor_user_id)
        lock_organisation(session, actor.organisation_id)
        worker = _worker(session, actor, worker_id)
        current = open_allocation(session, actor.organisation_id, ref)
        if current is not None:
            check_may_change_staff(session, actor, current.worker)
            kind = current.case_type
        else:
            try:
                kind = CaseType(case_type or "")
            except ValueError:
                raise FieldProblem("case_type", "Select the type of case.") from None
        changes = Changes()
        allocation = allocate_in_session(
            session, actor, ref, kind, worker, allocated_on, changes, current
        )
        if not changes.items:
            raise ActionError(f"Case {ref} is already allocated to that worker.")
        return _finish(session, actor, on, changes, allocation)


def close_allocated_case(
    *,
    actor_user_id: int,
    case_ref: str,
    closed_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> AdminCaseResult:
    ref = checked_case_id(case_ref)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        actor = actor_for_login(session, actor_user_id)
        lock_organisation(session, actor.organisation_id)
        current = open_allocation(session, actor.organisation_id, ref)
        if current is None:
            raise ActionError(f"There is no open case {ref}.")
        check_may_change_staff(session, actor, current.worker)
        changes = Changes()
        close_in_session(current, closed_on, changes)
        return _finish(session, actor, on, changes, current)
