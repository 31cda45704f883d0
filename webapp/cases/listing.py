"""The cases of the people someone oversees, at a council's size: every case
allocated to someone in their scope (webapp.scope) but themselves and those
they only cover for (listed apart), searched by case ID or worker and
filtered by team, the worker's role, case type, open or closed, and overdue
supervision, a page at a time. The last supervision and whether it is
overdue come from the database in the same statement as the page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from models import (
    OPEN_STATUSES,
    CaseAllocation,
    CaseSupervision,
    CaseType,
    HumanTask,
    StaffMember,
    StaffRole,
    Team,
)
from webapp import lists, scope
from webapp.database import db_session
from webapp.users import AppUser

STATUSES = {"open": "Open", "closed": "Closed"}


def workers(user: AppUser, covered: Iterable[int]) -> Select:
    """The people whose cases the list holds: the person's scope, less
    themselves and anyone they see only as cover."""
    return scope.visible_staff_ids(user).where(
        StaffMember.id != user.staff_id, StaffMember.id.not_in(list(covered))
    )


def team_options(user: AppUser, covered: Iterable[int]) -> list[tuple[int, str]]:
    return list(
        db_session().execute(
            select(Team.id, Team.name)
            .where(
                Team.id.in_(
                    select(StaffMember.team_id).where(StaffMember.id.in_(workers(user, covered)))
                )
            )
            .order_by(Team.name, Team.id)
        )
    )


def read_filters(user: AppUser, args: Mapping, covered, case_types: Mapping) -> lists.Reading:
    reading = lists.Reading()
    reading.search(args)
    reading.whole(args, "team", {t for t, _ in team_options(user, covered)}, "Team")
    reading.choice(args, "role", lists.ROLE_LABELS, "Worker's role")
    reading.choice(args, "type", {t.value for t in case_types}, "Case type")
    reading.choice(args, "status", STATUSES, "Status")
    reading.values["status"] = reading.values["status"] or "open"
    reading.choice(args, "overdue", {"yes"}, "Overdue supervision")
    reading.page(args)
    return reading


def _overdue(organisation_id: int, on: date):
    """Whether the case's supervision is overdue: an open case-supervision
    task about it due before `on` (ix_human_task_organisation_subject)."""
    return exists().where(
        HumanTask.organisation_id == organisation_id,
        HumanTask.subject == CaseAllocation.case_ref,
        HumanTask.kind == "case_supervision",
        HumanTask.status.in_(OPEN_STATUSES),
        HumanTask.due_on < on,
    )


def _filtered(user: AppUser, wanted: dict, covered, on: date) -> Select:
    worker = StaffMember
    query = (
        select(CaseAllocation)
        .join(worker, worker.id == CaseAllocation.worker_id)
        .where(
            CaseAllocation.organisation_id == user.organisation_id,
            CaseAllocation.worker_id.in_(workers(user, covered)),
        )
    )
    if wanted["status"] == "open":
        query = query.where(CaseAllocation.ended_on.is_(None))
    else:
        # A closed case: its allocation ended and none of the case is open.
        later = aliased(CaseAllocation)
        reopened = exists().where(
            later.organisation_id == CaseAllocation.organisation_id,
            later.case_ref == CaseAllocation.case_ref,
            or_(later.ended_on.is_(None), later.ended_on > CaseAllocation.ended_on),
        )
        query = query.where(CaseAllocation.ended_on.is_not(None), ~reopened)
    if wanted["q"]:
        like = f"%{wanted['q'].lower()}%"
        query = query.where(
            or_(func.lower(CaseAllocation.case_ref).like(like), func.lower(worker.name).like(like))
        )
    if wanted["team"]:
        query = query.where(worker.team_id == wanted["team"])
    if wanted["role"]:
        query = query.where(worker.role == StaffRole(wanted["role"]))
    if wanted["type"]:
        query = query.where(CaseAllocation.case_type == CaseType(wanted["type"]))
    if wanted["overdue"]:
        query = query.where(
            and_(CaseAllocation.ended_on.is_(None), _overdue(user.organisation_id, on))
        )
    return query


def cases_page(user: AppUser, wanted: dict, covered, on: date) -> tuple[list, int]:
    """One page of (allocation with its worker, team name, last supervised,
    overdue) in case ID order, and how many cases match."""
    query = _filtered(user, wanted, covered, on)
    session = db_session()
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    last = (
        select(func.max(CaseSupervision.supervised_on))
        .where(CaseSupervision.allocation_id == CaseAllocation.id)
        .scalar_subquery()
    )
    rows = session.execute(
        query.options(contains_eager(CaseAllocation.worker))
        .add_columns(Team.name, last, _overdue(user.organisation_id, on))
        .outerjoin(Team, Team.id == StaffMember.team_id)
        .order_by(CaseAllocation.case_ref, CaseAllocation.id)
        .limit(lists.PAGE_SIZE)
        .offset(lists.offset_of(wanted["page"]))
    ).all()
    return rows, total


def oversees_anyone(user: AppUser, covered) -> bool:
    return bool(db_session().scalar(select(exists(workers(user, covered)))))
