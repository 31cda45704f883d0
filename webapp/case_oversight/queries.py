"""The reads of the case-oversight page: the case's open allocation as the
signed-in person may see or manage it, and its oversight entries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from models import CaseAllocation, CaseOversight, StaffMember
from models.actions.permissions import may_supervise_case
from webapp import queries, scope
from webapp.database import db_session
from webapp.dates import today
from webapp.users import AppUser


def case_to_read(user: AppUser, case_ref: str) -> CaseAllocation | None:
    """The case, if its worker is the signed-in person or in their scope."""
    allocation = queries.case_allocation(user, case_ref, open_only=True)
    if allocation is None:
        return None
    if allocation.worker_id == user.staff_id or scope.may_see_staff(user, allocation.worker_id):
        return allocation
    return None


def case_to_oversee(user: AppUser, case_ref: str) -> CaseAllocation | None:
    """The case, if the signed-in person supervises or line-manages its worker
    (or covers for the worker's supervisor today)."""
    allocation = queries.case_allocation(user, case_ref, open_only=True)
    if allocation is None or user.staff_id is None:
        return None
    ok = may_supervise_case(db_session(), user.staff_id, allocation.worker_id, today())
    return allocation if ok else None


def entries_for(allocation: CaseAllocation) -> list[tuple[CaseOversight, str]]:
    """Every oversight entry on the case (all its allocations), newest first, with who."""
    every = aliased(CaseAllocation)
    return [
        (row, name)
        for row, name in db_session().execute(
            select(CaseOversight, StaffMember.name)
            .join(every, every.id == CaseOversight.allocation_id)
            .join(StaffMember, StaffMember.id == CaseOversight.recorded_by_id)
            .where(
                every.organisation_id == allocation.organisation_id,
                every.case_ref == allocation.case_ref,
            )
            .order_by(CaseOversight.recorded_on.desc(), CaseOversight.id.desc())
        )
    ]
