"""Children's cases (by case ID only) and their supervision."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import CaseAllocation, CaseFileAudit, CaseSupervision, CaseType, StaffMember
from tests.factories.base import added, id_of, row_of


def make_case(
    session: Session,
    worker: StaffMember | int,
    *,
    case_ref: str,
    case_type: CaseType | str = CaseType.CHILD_IN_NEED,
    allocated_on: date,
    **columns,
) -> CaseAllocation:
    """A case allocated to `worker`, in the worker's organisation."""
    worker = row_of(session, StaffMember, worker)
    return added(
        session,
        CaseAllocation(
            organisation_id=worker.organisation_id,
            case_ref=case_ref,
            case_type=case_type,
            worker_id=worker.id,
            allocated_on=allocated_on,
            **columns,
        ),
    )


def make_case_supervision(
    session: Session,
    case: CaseAllocation | int,
    *,
    supervisor: StaffMember | int,
    supervised_on: date,
    **columns,
) -> CaseSupervision:
    """The case discussed in supervision on `supervised_on`."""
    return added(
        session,
        CaseSupervision(
            allocation_id=id_of(case),
            supervisor_id=id_of(supervisor),
            supervised_on=supervised_on,
            **columns,
        ),
    )


def make_case_file_audit(
    session: Session,
    case: CaseAllocation | int,
    *,
    audited_by: StaffMember | int,
    audited_on: date,
    **columns,
) -> CaseFileAudit:
    return added(
        session,
        CaseFileAudit(
            allocation_id=id_of(case),
            audited_by_id=id_of(audited_by),
            audited_on=audited_on,
            **columns,
        ),
    )
