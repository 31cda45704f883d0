"""Read the policy engine's facts from the tables, naming things the way the
engine does ("staff-7", "rel-42", "team-3", the council's case IDs), so the
command line and the database-backed reconcile give the same answer for the
same facts.

Set-based: one query per kind of fact, whatever the size of the organisation.
How each fact is read from the tables:

- Staff.team is "team-{team_id}". Registration: the latest registration check
  gives `registration_checked_on`; `registration_renews_on` is the check's
  recorded `valid_until` if any, else the 30 November on or after the check,
  the day Social Work England's yearly renewal window (1 September to
  30 November) closes. The engine repeats the renewal every year from that day.
  Nobody with no registration check on file owes one (see load_facts).
- DBS: the latest DBS check gives `dbs_checked_on`; `dbs_recheck_due_on` is
  that day plus OVERSIGHT_DBS_RECHECK_YEARS (models/configuration.py, default
  3), the interval in force now, so changing the setting moves everyone's
  next re-check at once. With no DBS check on file both are None and the
  engine owes one from the start date (policy/rules/workforce.py).
- ASYE reviews are the recorded reviews (staff, stage, reviewed_on).
- Cases are the allocations that have not ended: id = case_ref, worker = the
  allocated worker, supervised_on / recorded_on = that allocation's case
  supervisions. A reallocation starts a new allocation, so the new worker's
  supervision clock restarts. Decisions are the case supervisions marked as
  important decisions, on any allocation of a case that is still open.
- Observations count once observed and signed by both. Absences carry the start of the earliest
  cover arrangement for that supervisor that overlaps the absence. Samplings
  are completed samples (by = the sampler). Audits are case-file audits of
  open cases. Group supervision attendance is a Session of kind "group".
- Group agreements are "grp-{group_id}"; each version carries its group's
  supervisor and end date, and its signatories their signatures.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.engine import fact_rows as rows
from models.tables.org import StaffMember
from models.tables.supervision import GroupSupervisionAttendance, SupervisionRelationship
from policy.facts import Facts
from policy.keys import (
    parse_fact_id,
)


def load_facts(session: Session, organisation_id: int) -> Facts:
    """Everything the engine needs about one organisation, its whole history,
    in a stable order: what the full-history engine and the facts export
    read. The reconcile reads units instead (models/engine/unit_facts.py)."""
    staff = rows.staff_facts(session, organisation_id)
    staff_ids = {parse_fact_id(s.id, "staff") for s in staff}
    in_org = StaffMember.organisation_id == organisation_id
    rel_rows = session.scalars(
        select(SupervisionRelationship)
        .join(StaffMember, StaffMember.id == SupervisionRelationship.supervisee_id)
        .where(in_org, SupervisionRelationship.supervisor_id.in_(staff_ids))
        .order_by(SupervisionRelationship.id)
    ).all()
    rel_by_id = {r.id: r for r in rel_rows}
    current = rows.open_allocations(session, organisation_id)
    case_refs = rows.allocation_refs(session, organisation_id, current)
    return Facts(
        staff=staff,
        relationships=rows.relationship_facts(rel_rows),
        agreements=rows.agreement_facts(session, rel_by_id),
        sessions=rows.session_facts(
            session,
            rel_by_id,
            staff_ids,
            individual_where=True,
            attendance_where=GroupSupervisionAttendance.staff_id.in_(staff_ids),
        ),
        cases=rows.case_facts_for(session, list(current.values()), True),
        hours_worked=rows.hours_facts(session, in_org),
        absences=rows.absence_facts(session, in_org),
        observations=rows.observation_facts(session, in_org, staff_ids),
        samplings=rows.sampling_facts(session, organisation_id, staff_ids),
        audits=rows.audit_facts(session, case_refs, staff_ids),
        decisions=rows.decision_facts(session, case_refs),
        review_questionnaires=rows.questionnaire_facts(session, rel_by_id),
        asye_reviews=rows.asye_review_facts(session, in_org),
        record_audits=rows.record_audit_facts(session, in_org),
        actions=rows.action_facts(session, in_org),
        missed_sessions=rows.missed_session_facts(session, in_org),
        case_oversights=rows.case_oversight_facts(session, case_refs),
        **rows.group_agreement_facts(session, organisation_id),
    )
