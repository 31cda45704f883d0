"""Reads for the team page: the people a manager manages, their open human
tasks and counts, and the cover arranged for them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from models import OPEN_STATUSES, CoverArrangement, HumanTask, StaffMember
from models.actions.eligibility import takers_of_tasks
from webapp import scope
from webapp.database import db_session
from webapp.users import AppUser


def managed_people(user: AppUser) -> list[StaffMember]:
    return list(
        db_session().scalars(
            select(StaffMember)
            .where(StaffMember.id.in_(scope.managed_staff_ids(user)))
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


def open_counts(people: list[StaffMember], on: date) -> dict[int, tuple[int, int]]:
    """Staff id -> (open human tasks, of which overdue)."""
    return {
        staff_id: (open_count, overdue)
        for staff_id, open_count, overdue in db_session().execute(
            select(
                HumanTask.assignee_id,
                func.count(HumanTask.id),
                func.count(HumanTask.id).filter(HumanTask.due_on < on),
            )
            .where(
                HumanTask.assignee_id.in_([p.id for p in people]),
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .group_by(HumanTask.assignee_id)
        )
    }


def open_tasks_of(user: AppUser, people: list[StaffMember]) -> list[HumanTask]:
    return list(
        db_session().scalars(
            select(HumanTask)
            .where(
                HumanTask.organisation_id == user.organisation_id,
                HumanTask.assignee_id.in_([p.id for p in people]),
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .order_by(HumanTask.due_on, HumanTask.id)
        )
    )


def covers_for(people: list[StaffMember], on: date) -> list[CoverArrangement]:
    """Cover arranged for these people that has not ended, earliest first."""
    return list(
        db_session().scalars(
            select(CoverArrangement)
            .where(
                CoverArrangement.absent_supervisor_id.in_([p.id for p in people]),
                (CoverArrangement.ends_on.is_(None)) | (CoverArrangement.ends_on >= on),
            )
            .order_by(CoverArrangement.starts_on)
        )
    )


def takers_of(
    user: AppUser, task_ids, on: date
) -> tuple[dict[int, set[int]], dict[int, StaffMember]]:
    """Who may take each of these tasks (models.actions.eligibility, the rule
    reassign_tasks checks), other than its holder, in one query: task id ->
    staff ids, and the people by id."""
    pairs = takers_of_tasks(task_ids, user.organisation_id, on).subquery()
    takers: dict[int, set[int]] = {}
    people: dict[int, StaffMember] = {}
    rows = db_session().execute(
        select(pairs.c.task_id, StaffMember)
        .join(StaffMember, StaffMember.id == pairs.c.staff_id)
        .join(HumanTask, HumanTask.id == pairs.c.task_id)
        .where(or_(HumanTask.assignee_id.is_(None), HumanTask.assignee_id != StaffMember.id))
    )
    for task_id, person in rows:
        takers.setdefault(task_id, set()).add(person.id)
        people[person.id] = person
    return takers, people


def offered(takers: dict[int, set[int]], people: dict[int, StaffMember], task_ids, every: bool):
    """The people who may take every one (`every`) or any one of these tasks, by name."""
    sets = [takers.get(t, set()) for t in task_ids]
    ids = (set.intersection(*sets) if every else set.union(*sets)) if sets else set()
    return sorted((people[i] for i in ids), key=lambda p: (p.name, p.id))


def names_of(user: AppUser, staff_ids) -> dict[int, str]:
    """Staff id -> name, for these people in this person's organisation."""
    if not staff_ids:
        return {}
    rows = db_session().execute(
        select(StaffMember.id, StaffMember.name).where(
            StaffMember.id.in_(staff_ids), StaffMember.organisation_id == user.organisation_id
        )
    )
    return dict(rows.tuples().all())
