"""Management oversight recorded on children's records between case
supervisions (policy/rules/case_oversight.py), by case ID."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables.case_oversight import CaseOversight as OversightRow
from policy.facts import CaseOversight
from policy.keys import staff_fact_id


def case_oversight_facts(
    session: Session, case_refs: dict[int, str], where=True
) -> tuple[CaseOversight, ...]:
    """`case_refs`: every allocation of the cases wanted -> its case ID."""
    rows = session.execute(
        select(OversightRow.allocation_id, OversightRow.recorded_on, OversightRow.recorded_by_id)
        .where(OversightRow.allocation_id.in_(list(case_refs)), where)
        .order_by(OversightRow.recorded_on, OversightRow.id)
    ).all()
    return tuple(
        CaseOversight(case=case_refs[allocation_id], recorded_on=day, by=staff_fact_id(by))
        for allocation_id, day, by in rows
    )
