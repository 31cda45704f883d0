"""Audits of a supervisor's supervision records (models/tables/record_audit.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import StaffMember, SupervisionRecordAudit
from tests.factories.base import added, id_of, row_of


def make_record_audit(
    session: Session,
    supervisor: StaffMember | int,
    auditor: StaffMember | int,
    *,
    audited_on: date,
    answers: dict[str, str] | None = None,
    shortfalls: int = 0,
    findings: str = "Records complete and signed.",
    discussed_on: date | None = None,
) -> SupervisionRecordAudit:
    supervisor = row_of(session, StaffMember, supervisor)
    return added(
        session,
        SupervisionRecordAudit(
            organisation_id=supervisor.organisation_id,
            supervisor_id=supervisor.id,
            auditor_id=id_of(auditor),
            audited_on=audited_on,
            answers=answers or {},
            shortfalls=shortfalls,
            findings=findings,
            discussed_on=discussed_on,
            discussion_note="",
        ),
    )
