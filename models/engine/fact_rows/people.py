"""Staff and their supervision relationships, as engine facts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.configuration import dbs_recheck_years
from models.tables.org import StaffMember
from models.tables.oversight import (
    CheckKind,
    RegistrationCheck,
)
from policy.facts import (
    Relationship,
    Staff,
)
from policy.keys import relationship_fact_id, staff_fact_id, team_fact_id

# Social Work England's yearly renewal window closes on 30 November.
SWE_RENEWAL_CLOSES = (11, 30)


def registration_renews_on(checked_on: date, valid_until: date | None = None) -> date:
    """The renewal a registration check looks ahead to: the date the check
    recorded, or else the close of the Social Work England renewal window (30
    November) on or after the check."""
    if valid_until is not None:
        return valid_until
    closes = date(checked_on.year, *SWE_RENEWAL_CLOSES)
    return closes if closes >= checked_on else date(checked_on.year + 1, *SWE_RENEWAL_CLOSES)


def staff_facts(session: Session, organisation_id: int, ids: Iterable[int] | None = None):
    """Staff of the organisation (these ids, or all of them), by id."""
    query = select(
        StaffMember.id,
        StaffMember.role,
        StaffMember.started_on,
        StaffMember.left_on,
        StaffMember.asye,
        StaffMember.asye_started_on,
        StaffMember.probation_ends_on,
        StaffMember.employment,
        StaffMember.line_manager_id,
        StaffMember.team_id,
        StaffMember.records_deleted_on,
        StaffMember.contracted_hours,
    ).where(StaffMember.organisation_id == organisation_id)
    if ids is not None:
        query = query.where(StaffMember.id.in_(sorted(set(ids))))
    staff_rows = session.execute(query.order_by(StaffMember.id)).all()
    found = [s.id for s in staff_rows]
    managers = {s.line_manager_id for s in staff_rows} - {None}
    in_org = set(
        session.scalars(
            select(StaffMember.id).where(
                StaffMember.id.in_(managers), StaffMember.organisation_id == organisation_id
            )
        )
    )
    registration = _latest_registration_checks(session, found)
    dbs = _latest_dbs_checks(session, found)
    return tuple(
        Staff(
            id=staff_fact_id(s.id),
            role=s.role.value,
            started_on=s.started_on,
            left_on=s.left_on,
            asye=s.asye,
            asye_started_on=s.asye_started_on,
            probation_ends_on=s.probation_ends_on,
            employment=s.employment.value,
            line_manager=staff_fact_id(s.line_manager_id) if s.line_manager_id in in_org else None,
            team=team_fact_id(s.team_id) if s.team_id else None,
            registration_checked_on=registration[s.id][0] if s.id in registration else None,
            registration_renews_on=registration[s.id][1] if s.id in registration else None,
            dbs_checked_on=dbs[s.id][0] if s.id in dbs else None,
            dbs_recheck_due_on=dbs[s.id][1] if s.id in dbs else None,
            records_deleted_on=s.records_deleted_on,
            contracted_hours=s.contracted_hours,
        )
        for s in staff_rows
    )


def _latest_registration_checks(session: Session, staff_ids) -> dict[int, tuple[date, date]]:
    """staff id -> (checked on, renews on) from their latest registration check."""
    rows = session.execute(
        select(
            RegistrationCheck.staff_id, RegistrationCheck.checked_on, RegistrationCheck.valid_until
        )
        .where(
            RegistrationCheck.staff_id.in_(staff_ids),
            RegistrationCheck.kind == CheckKind.REGISTRATION,
        )
        .order_by(RegistrationCheck.staff_id, RegistrationCheck.checked_on, RegistrationCheck.id)
    ).all()
    latest = {}
    for staff_id, checked_on, valid_until in rows:  # ordered: the last one wins
        latest[staff_id] = (checked_on, registration_renews_on(checked_on, valid_until))
    return latest


def _latest_dbs_checks(session: Session, staff_ids) -> dict[int, tuple[date, date]]:
    """staff id -> (checked on, re-check due on) from their latest DBS check."""
    years = relativedelta(years=dbs_recheck_years())
    rows = session.execute(
        select(RegistrationCheck.staff_id, func.max(RegistrationCheck.checked_on))
        .where(RegistrationCheck.staff_id.in_(staff_ids), RegistrationCheck.kind == CheckKind.DBS)
        .group_by(RegistrationCheck.staff_id)
    ).all()
    return {staff_id: (checked_on, checked_on + years) for staff_id, checked_on in rows}


def relationship_facts(rel_rows) -> tuple[Relationship, ...]:
    return tuple(
        Relationship(
            id=relationship_fact_id(r.id),
            supervisor=staff_fact_id(r.supervisor_id),
            supervisee=staff_fact_id(r.supervisee_id),
            started_on=r.started_on,
            ended_on=r.ended_on,
            reason=r.reason.value,
        )
        for r in sorted(rel_rows, key=lambda r: r.id)
    )
