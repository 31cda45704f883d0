"""Audits of supervisors' supervision records (policy/rules/record_audit.py):
one row a supervisor a year, so every one is read (the cycle counts from the
last audit, and the discussions owed are one per audit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables.org import StaffMember
from models.tables.record_audit import SupervisionRecordAudit as AuditRow
from policy.facts import RecordAudit
from policy.keys import staff_fact_id


def record_audit_facts(session: Session, where) -> tuple[RecordAudit, ...]:
    rows = session.execute(
        select(
            AuditRow.supervisor_id, AuditRow.audited_on, AuditRow.auditor_id, AuditRow.discussed_on
        )
        .join(StaffMember, StaffMember.id == AuditRow.supervisor_id)
        .where(where)
        .order_by(AuditRow.supervisor_id, AuditRow.audited_on, AuditRow.id)
    ).all()
    return tuple(
        RecordAudit(
            supervisor=staff_fact_id(supervisor_id),
            audited_on=audited_on,
            audited_by=staff_fact_id(auditor_id),
            discussed_on=discussed_on,
        )
        for supervisor_id, audited_on, auditor_id, discussed_on in rows
    )
