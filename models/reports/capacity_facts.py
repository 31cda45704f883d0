"""The facts the capacity what-if reads from the tables, and no more: the
staff, the supervision relationships in force on the day with their signed
agreement versions (a recorded frequency varies the cadence), and the open
cases (type and category) without their history of supervisions. The
engine's full loader (models/engine/facts_loader.py) reads every session and
case supervision of three years, which the demand on a day does not need:
at council size that is seconds against tens of seconds."""

from __future__ import annotations

from datetime import date

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from models.engine import fact_rows as rows
from models.tables.org import StaffMember
from models.tables.supervision import SupervisionRelationship
from policy.facts import Facts


def capacity_facts(session: Session, organisation_id: int, on: date) -> Facts:
    staff = rows.staff_facts(session, organisation_id)
    rel = SupervisionRelationship
    rel_rows = session.scalars(
        select(rel)
        .join(StaffMember, StaffMember.id == rel.supervisee_id)
        .where(
            StaffMember.organisation_id == organisation_id,
            rel.started_on <= on,
            or_(rel.ended_on.is_(None), rel.ended_on > on),
        )
        .order_by(rel.id)
    ).all()
    current = rows.open_allocations(session, organisation_id)
    return Facts(
        staff=staff,
        relationships=rows.relationship_facts(rel_rows),
        agreements=rows.agreement_facts(session, {r.id: r for r in rel_rows}),
        cases=rows.case_facts_for(session, list(current.values()), false()),
    )
