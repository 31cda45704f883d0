"""Inbox titles, in the words a supervisor would use. Built from names at
reconcile time; the engine itself only knows IDs."""

from __future__ import annotations

from models.facts_loader import parse_fact_id
from models.org import StaffMember
from models.supervision import SupervisionRelationship
from policy.obligations import Obligation


def title_for(
    obligation: Obligation,
    staff: dict[int, StaffMember],
    rel: SupervisionRelationship | None,
) -> str:
    def name(staff_id: int | None) -> str:
        person = staff.get(staff_id) if staff_id else None
        return person.name if person else "someone"

    supervisee = (
        name(rel.supervisee_id) if rel else name(parse_fact_id(obligation.subject, "staff"))
    )
    supervisor = name(rel.supervisor_id) if rel else "their supervisor"
    match obligation.kind:
        case "agreement":
            return f"Draft and sign the supervision agreement with {supervisee}"
        case "agreement_countersign":
            return "Countersign your supervision agreement"
        case "agreement_review":
            return f"Review the supervision agreement with {supervisee}"
        case "escalation" if obligation.escalates and obligation.escalates.startswith(
            ("agreement:", "agreement-countersign:")
        ):
            return f"Overdue supervision agreement: {supervisor} and {supervisee}"
        case "escalation":
            return f"Overdue: {obligation.escalates or obligation.rule} for {supervisee}"
        case _:
            return f"{obligation.kind.replace('_', ' ').capitalize()}: {supervisee}"
