"""Cases, their allocations, decisions and file audits, as engine facts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.engine.among import among
from models.tables.cases import CaseAllocation, CaseFileAudit, CaseSupervision
from policy.facts import (
    Audit,
    Case,
    Decision,
)
from policy.keys import staff_fact_id


def case_facts_for(session: Session, allocations, supervision_where) -> tuple[Case, ...]:
    """These allocations as cases, with their supervisions matching `supervision_where`."""
    supervised: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    if allocations:
        for allocation_id, supervised_on, recorded_on in session.execute(
            select(
                CaseSupervision.allocation_id,
                CaseSupervision.supervised_on,
                CaseSupervision.recorded_on,
            ).where(
                among(CaseSupervision.allocation_id, [a.id for a in allocations]),
                supervision_where,
            )
        ):
            supervised[allocation_id].append((supervised_on, recorded_on))
    return tuple(
        Case(
            id=a.case_ref,
            type=a.case_type.value,
            worker=staff_fact_id(a.worker_id),
            allocated_on=a.allocated_on,
            frequency_weeks=a.frequency_weeks,
            category=a.category,
            supervised_on=tuple(sorted(day for day, _ in supervised[a.id])),
            recorded_on=tuple(sorted(rec for _, rec in supervised[a.id] if rec is not None)),
        )
        for a in sorted(allocations, key=lambda a: a.case_ref)
    )


def open_allocations(session: Session, organisation_id: int, where=True):
    """The current allocation of each open case (a later open one of the same case wins)."""
    current: dict[str, CaseAllocation] = {}
    columns = (
        CaseAllocation.id,
        CaseAllocation.case_ref,
        CaseAllocation.case_type,
        CaseAllocation.worker_id,
        CaseAllocation.allocated_on,
        CaseAllocation.frequency_weeks,
        CaseAllocation.category,
    )
    for a in session.execute(
        select(*columns)
        .where(CaseAllocation.organisation_id == organisation_id, where)
        .where(CaseAllocation.ended_on.is_(None))
        .order_by(CaseAllocation.case_ref, CaseAllocation.allocated_on, CaseAllocation.id)
    ):
        current[a.case_ref] = a
    return current


def allocation_refs(session: Session, organisation_id: int, case_refs) -> dict[int, str]:
    """Every allocation of these cases (past ones too) -> its case ID."""
    return dict(
        session.execute(
            select(CaseAllocation.id, CaseAllocation.case_ref).where(
                CaseAllocation.organisation_id == organisation_id,
                among(CaseAllocation.case_ref, case_refs),
            )
        ).all()
    )


def decision_facts(session: Session, case_refs: dict[int, str], where=True):
    rows = session.execute(
        select(
            CaseSupervision.allocation_id,
            CaseSupervision.supervised_on,
            CaseSupervision.recorded_on,
            CaseSupervision.made_in,
        )
        .where(
            among(CaseSupervision.allocation_id, case_refs),
            CaseSupervision.important_decision.is_(True),
            where,
        )
        .order_by(CaseSupervision.supervised_on, CaseSupervision.id)
    ).all()
    return tuple(
        Decision(
            case=case_refs[allocation_id], made_on=made_on, recorded_on=recorded_on, made_in=made_in
        )
        for allocation_id, made_on, recorded_on, made_in in rows
    )


def audit_facts(session: Session, case_refs: dict[int, str], staff_ids: set[int], where=True):
    rows = session.execute(
        select(CaseFileAudit.allocation_id, CaseFileAudit.audited_on, CaseFileAudit.audited_by_id)
        .where(among(CaseFileAudit.allocation_id, case_refs), where)
        .order_by(CaseFileAudit.audited_on, CaseFileAudit.id)
    ).all()
    return tuple(
        Audit(
            case=case_refs[allocation_id],
            audited_on=audited_on,
            audited_by=staff_fact_id(by) if by in staff_ids else None,
        )
        for allocation_id, audited_on, by in rows
    )
