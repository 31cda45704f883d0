"""The reads of the record-audit pages."""

from __future__ import annotations

from sqlalchemy import select

from models import StaffMember, SupervisionRecordAudit
from models.actions.permissions import may_oversee
from webapp import scope
from webapp.database import db_session
from webapp.dates import today
from webapp.users import AppUser


def supervisor_to_audit(user: AppUser, staff_id: int) -> StaffMember | None:
    """The supervisor, if the signed-in person manages them (their line manager,
    or their own supervisor) and so may audit their supervision records."""
    person = db_session().get(StaffMember, staff_id)
    if person is None or person.organisation_id != user.organisation_id:
        return None
    if user.staff_id is None or user.staff_id == staff_id:
        return None
    return person if may_oversee(db_session(), user.staff_id, staff_id, today()) else None


def audit_in_scope(user: AppUser, audit_id: int) -> SupervisionRecordAudit | None:
    """The audit, if the signed-in person may see the audited supervisor's records."""
    audit = db_session().get(SupervisionRecordAudit, audit_id)
    if audit is None or scope.may_see_staff(user, audit.supervisor_id) is None:
        return None
    return audit


def audit_of_mine(user: AppUser, audit_id: int) -> SupervisionRecordAudit | None:
    """The audit, if it is of the signed-in person's own supervision records."""
    audit = db_session().get(SupervisionRecordAudit, audit_id)
    if audit is None or user.staff_id is None or audit.supervisor_id != user.staff_id:
        return None
    return audit


def audits_of(staff_id: int) -> list[tuple[SupervisionRecordAudit, str]]:
    """A supervisor's audits, newest first, each with its auditor's name."""
    return [
        (audit, name)
        for audit, name in db_session().execute(
            select(SupervisionRecordAudit, StaffMember.name)
            .join(StaffMember, StaffMember.id == SupervisionRecordAudit.auditor_id)
            .where(SupervisionRecordAudit.supervisor_id == staff_id)
            .order_by(SupervisionRecordAudit.audited_on.desc(), SupervisionRecordAudit.id.desc())
        )
    ]
