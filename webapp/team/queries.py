"""Reads for the team page: the people a manager manages, their open human
tasks and counts, and the cover arranged for them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models import OPEN_STATUSES, CoverArrangement, HumanTask, StaffMember
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
