"""Inbox titles, in the words a supervisor would use. Built from names at
reconcile time; the engine itself only knows IDs. Children appear by case ID
only: a case-supervision title names the case, never a child."""

from __future__ import annotations

import re
from datetime import date

from models.tables.group_agreement import SupervisionGroup
from models.tables.org import StaffMember
from models.tables.supervision import SupervisionRelationship
from policy.keys import parse_fact_id
from policy.obligations import Obligation

_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _day_in_key(key: str | None) -> date | None:
    """The last date in an obligation key (a held_on or a due date), if any."""
    found = _DAY.findall(key or "")
    return date.fromisoformat(found[-1]) if found else None


def _asye_stage(key: str) -> str:
    """ "asye-review:staff-7:6" -> "6-month"."""
    return f"{key.rsplit(':', 1)[-1]}-month"


def title_for(
    obligation: Obligation,
    staff: dict[int, StaffMember],
    rel: SupervisionRelationship | None,
    group: SupervisionGroup | None = None,
) -> str:
    def name(staff_id: int | None) -> str:
        person = staff.get(staff_id) if staff_id else None
        return person.name if person else "someone"

    subject_person = name(parse_fact_id(obligation.subject, "staff"))
    supervisee = name(rel.supervisee_id) if rel else subject_person
    supervisor = name(rel.supervisor_id) if rel else "their supervisor"
    on = _long(_day_in_key(obligation.key))
    group_name = group.name if group else "your group"
    titles = {
        "agreement": f"Draft and sign the supervision agreement with {supervisee}",
        "agreement_countersign": "Countersign your supervision agreement",
        "agreement_review": f"Review the supervision agreement with {supervisee}",
        "review_questionnaire": "Complete your annual supervision review",
        "review_questionnaire_forward": (
            f"Forward the annual supervision review with {supervisee} to your line manager"
        ),
        "supervision": f"Hold supervision with {supervisee}",
        "asye_reflective_supervision": f"Hold ASYE reflective supervision with {supervisee}",
        "group_supervision": f"Record {supervisee}'s group reflective supervision",
        "group_agreement_sign": f"Sign the group supervision agreement for {group_name}",
        "group_agreement_review": f"Review the group supervision agreement for {group_name}",
        "development": f"Discuss professional development with {supervisee}",
        "record": f"Write up and share the supervision record for {supervisee} ({on})",
        "record_countersign": f"Read and countersign your supervision record of {on}",
        "late_reason": f"Record why supervision with {supervisee} was late ({on})",
        "case_supervision": f"Supervise case {obligation.subject}",
        "case_record": f"Enter the case direction for {obligation.subject} on the child's record",
        "decision_record": (
            f"Enter the decision on case {obligation.subject} on the child's record"
        ),
        "practice_observation": f"Observe {subject_person}'s practice",
        "practice_observation_with_family": (
            f"Observe {subject_person}'s practice with a child or family"
        ),
        "supervision_observation": f"Observe a supervision led by {subject_person}",
        "sampling": "Sample supervision records in your service area",
        "case_file_audit": "Audit two case files in your team this month",
        "registration_check": f"Check {subject_person}'s Social Work England registration",
        "dbs_check": f"Re-check {subject_person}'s DBS certificate",
        "asye_review": f"Hold {subject_person}'s {_asye_stage(obligation.key)} ASYE review",
        "asye_observation": f"Observe {subject_person}'s practice (ASYE year)",
        "retention": f"Delete {subject_person}'s supervision records (five years since leaving)",
        "supervisor_absence_cover": f"Arrange cover for {subject_person}'s supervisees",
        "supervisor_load": f"Reduce {subject_person}'s number of supervisees",
    }
    if obligation.kind == "escalation":
        escalated = (obligation.escalates or "").split(":", 1)[0]
        if escalated == "group-agreement-sign":
            signatory = name(parse_fact_id(obligation.escalates.rsplit(":", 1)[-1], "staff"))
            return f"Overdue group supervision agreement: {signatory} has not signed ({group_name})"
        if escalated == "group-agreement-review":
            return f"Overdue review of the group supervision agreement for {group_name}"
        if escalated in ("agreement", "agreement-countersign"):
            return f"Overdue supervision agreement: {supervisor} and {supervisee}"
        what = {
            "session": "supervision",
            "asye-reflective": "ASYE reflective supervision",
            "case": f"case supervision of {obligation.subject}",
        }.get(escalated, escalated.replace("-", " "))
        return f"Overdue {what}: {supervisor} and {supervisee}" if rel else f"Overdue {what}"
    return titles.get(
        obligation.kind, f"{obligation.kind.replace('_', ' ').capitalize()}: {supervisee}"
    )
