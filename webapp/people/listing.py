"""The people list: everyone the signed-in person may see (webapp.scope),
searched and filtered by team, role, status and overdue work, a page at a
time, with each person's overdue tasks counted by the database."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import Select, func, or_, select

from models import OPEN_STATUSES, HumanTask, StaffMember, StaffRole, Team
from webapp import lists, scope
from webapp.database import db_session
from webapp.users import AppUser

STATUSES = {"current": "Working here now", "left": "Left", "all": "Everyone"}


def team_options(user: AppUser) -> list[tuple[int, str]]:
    """The teams of the people this person may see, by name."""
    visible = scope.visible_staff_ids(user)
    return [
        (team_id, name)
        for team_id, name in db_session().execute(
            select(Team.id, Team.name)
            .where(Team.id.in_(select(StaffMember.team_id).where(StaffMember.id.in_(visible))))
            .order_by(Team.name, Team.id)
        )
    ]


def read_filters(user: AppUser, args: Mapping) -> lists.Reading:
    reading = lists.Reading()
    reading.search(args)
    reading.whole(args, "team", {t for t, _ in team_options(user)}, "Team")
    reading.choice(args, "role", lists.ROLE_LABELS, "Role")
    reading.choice(args, "status", STATUSES, "Status")
    reading.values["status"] = reading.values["status"] or "current"
    reading.choice(args, "overdue", {"yes"}, "Overdue work")
    reading.page(args)
    return reading


def overdue_counts(organisation_id: int, on: date, staff_ids: Select):
    """A subquery: per person among staff_ids, their open human tasks due before
    `on` (served by ix_human_task_subject_staff_open)."""
    return (
        select(HumanTask.subject_staff_id.label("staff_id"), func.count().label("overdue"))
        .where(
            HumanTask.organisation_id == organisation_id,
            HumanTask.status.in_(OPEN_STATUSES),
            HumanTask.due_on < on,
            HumanTask.subject_staff_id.in_(staff_ids),
        )
        .group_by(HumanTask.subject_staff_id)
        .subquery()
    )


def people_page(user: AppUser, wanted: dict, on: date) -> tuple[list, int]:
    """One page of (person, team name, overdue count), by name, and how many
    people match: both from the database."""
    visible = scope.visible_staff_ids(user)
    overdue = overdue_counts(user.organisation_id, on, visible)
    n_overdue = func.coalesce(overdue.c.overdue, 0)
    query = (
        select(StaffMember, Team.name.label("team_name"), n_overdue.label("overdue"))
        .outerjoin(Team, Team.id == StaffMember.team_id)
        .outerjoin(overdue, overdue.c.staff_id == StaffMember.id)
        .where(StaffMember.id.in_(visible))
    )
    if wanted["q"]:
        like = f"%{wanted['q'].lower()}%"
        query = query.where(
            or_(
                func.lower(StaffMember.name).like(like),
                func.lower(StaffMember.job_title).like(like),
            )
        )
    if wanted["team"]:
        query = query.where(StaffMember.team_id == wanted["team"])
    if wanted["role"]:
        query = query.where(StaffMember.role == StaffRole(wanted["role"]))
    if wanted["status"] == "current":
        query = query.where(or_(StaffMember.left_on.is_(None), StaffMember.left_on > on))
    elif wanted["status"] == "left":
        query = query.where(StaffMember.left_on <= on)
    if wanted["overdue"]:
        query = query.where(n_overdue > 0)
    session = db_session()
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(
        query.order_by(StaffMember.name, StaffMember.id)
        .limit(lists.PAGE_SIZE)
        .offset(lists.offset_of(wanted["page"]))
    ).all()
    return rows, total
