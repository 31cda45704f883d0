"""Staff and their supervision relationships, as engine facts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from models.configuration import dbs_recheck_years
from models.engine.among import among
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


def staff_facts(
    session: Session,
    organisation_id: int,
    ids: Iterable[int] | None = None,
    *,
    with_line_managers: bool = False,
):
    """Staff of the organisation (these ids, and with_line_managers their line
    managers too; or all of them), by id. Two statements: the staff, each with
    whether their line manager is in the organisation; their checks."""
    query = _staff_query(organisation_id, ids, with_line_managers)
    staff_rows = session.execute(query.order_by(StaffMember.id)).all()
    registration, dbs = _latest_checks(session, [s.id for s in staff_rows])
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
            line_manager=staff_fact_id(s.line_manager_id) if s.line_manager_id else None,
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


def _staff_query(organisation_id: int, ids, with_line_managers: bool):
    """The staff rows' SELECT; a line manager outside the organisation reads as none."""
    manager = aliased(StaffMember)
    query = (
        select(
            StaffMember.id,
            StaffMember.role,
            StaffMember.started_on,
            StaffMember.left_on,
            StaffMember.asye,
            StaffMember.asye_started_on,
            StaffMember.probation_ends_on,
            StaffMember.employment,
            manager.id.label("line_manager_id"),
            StaffMember.team_id,
            StaffMember.records_deleted_on,
            StaffMember.contracted_hours,
        )
        .join(
            manager,
            and_(
                manager.id == StaffMember.line_manager_id,
                manager.organisation_id == organisation_id,
            ),
            isouter=True,
        )
        .where(StaffMember.organisation_id == organisation_id)
    )
    if ids is not None:
        ids = sorted(set(ids))
        wanted = among(StaffMember.id, ids)
        if with_line_managers:
            line_managers = select(StaffMember.line_manager_id).where(among(StaffMember.id, ids))
            wanted = or_(wanted, StaffMember.id.in_(line_managers.scalar_subquery()))
        query = query.where(wanted)
    return query


def _latest_checks(session: Session, staff_ids) -> tuple[dict, dict]:
    """staff id -> (checked on, renews on) from their latest registration
    check, and staff id -> (checked on, re-check due on) from their latest DBS
    check, in one statement that returns only the latest of each (a renewal a
    year: the rows read would otherwise grow with the years of history)."""
    years = relativedelta(years=dbs_recheck_years())
    check = RegistrationCheck
    newest = (
        select(
            check.staff_id,
            check.kind,
            check.checked_on,
            check.valid_until,
            func.row_number()
            .over(
                partition_by=(check.staff_id, check.kind),
                order_by=(check.checked_on.desc(), check.id.desc()),
            )
            .label("n"),
        )
        .where(
            among(check.staff_id, staff_ids),
            check.kind.in_([CheckKind.REGISTRATION, CheckKind.DBS]),
        )
        .subquery()
    )
    rows = session.execute(
        select(newest.c.staff_id, newest.c.kind, newest.c.checked_on, newest.c.valid_until).where(
            newest.c.n == 1
        )
    ).all()
    registration, dbs = {}, {}
    for staff_id, kind, checked_on, valid_until in rows:
        if kind == CheckKind.REGISTRATION:
            registration[staff_id] = (checked_on, registration_renews_on(checked_on, valid_until))
        else:
            dbs[staff_id] = (checked_on, checked_on + years)
    return registration, dbs


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
