"""A supervisor's supervisees and where each stands: their last session, the
next supervision owed (the earliest open supervision task), the state of
their latest agreement and their overdue tasks, all in one statement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager

from models import (
    OPEN_STATUSES,
    HumanTask,
    StaffMember,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from models.tables.supervision import SessionStatus
from webapp.database import db_session
from webapp.users import AppUser

SESSION_KINDS = ("supervision", "asye_reflective_supervision")
RECORD_KINDS = ("record", "record_shared", "record_countersign", "late_reason")


def _in_force(on: date):
    rel = SupervisionRelationship
    return (rel.started_on <= on, (rel.ended_on.is_(None)) | (rel.ended_on > on))


def supervises_anyone(user: AppUser, on: date) -> bool:
    rel = SupervisionRelationship
    return bool(
        db_session().scalar(
            select(exists().where(rel.supervisor_id == user.staff_id, *_in_force(on)))
        )
    )


def _open_tasks(on: date, *, kinds=None, overdue=False):
    """Per relationship's supervisee: a correlated figure over their open tasks."""
    rel = SupervisionRelationship
    where = [
        HumanTask.subject_staff_id == rel.supervisee_id,
        HumanTask.status.in_(OPEN_STATUSES),
    ]
    if kinds:
        where.append(HumanTask.kind.in_(kinds))
    if overdue:
        where.append(HumanTask.due_on < on)
    return where


def standing(user: AppUser, on: date) -> list:
    """(relationship, last held, next due, agreement status, agreement in force
    since, overdue tasks, overdue records), by supervisee name."""
    rel = SupervisionRelationship
    last_held = (
        select(func.max(SupervisionSession.held_on))
        .where(
            SupervisionSession.relationship_id == rel.id,
            SupervisionSession.status == SessionStatus.HELD,
        )
        .scalar_subquery()
    )
    next_due = (
        select(func.min(HumanTask.due_on))
        .where(HumanTask.relationship_id == rel.id, *_open_tasks(on, kinds=SESSION_KINDS))
        .scalar_subquery()
    )
    overdue = select(func.count()).where(*_open_tasks(on, overdue=True)).scalar_subquery()
    overdue_records = (
        select(func.count())
        .where(*_open_tasks(on, kinds=RECORD_KINDS, overdue=True))
        .scalar_subquery()
    )
    latest = (
        select(
            SupervisionAgreement.relationship_id, func.max(SupervisionAgreement.version).label("v")
        )
        .group_by(SupervisionAgreement.relationship_id)
        .subquery()
    )
    agreement = (
        select(SupervisionAgreement)
        .join(
            latest,
            (latest.c.relationship_id == SupervisionAgreement.relationship_id)
            & (latest.c.v == SupervisionAgreement.version),
        )
        .subquery()
    )
    return list(
        db_session().execute(
            select(
                rel,
                last_held,
                next_due,
                agreement.c.status,
                agreement.c.in_force_on,
                overdue,
                overdue_records,
            )
            .join(StaffMember, StaffMember.id == rel.supervisee_id)
            .outerjoin(agreement, agreement.c.relationship_id == rel.id)
            .options(contains_eager(rel.supervisee))
            .where(rel.supervisor_id == user.staff_id, *_in_force(on))
            .order_by(StaffMember.name, rel.id)
        )
    )
