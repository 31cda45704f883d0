"""Reads for the people pages: one person's supervision page (their
relationships both ways, observations, open human tasks) and the entries of
"who has opened my records"."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from models import (
    OPEN_STATUSES,
    AuditEntry,
    HumanTask,
    Observation,
    StaffMember,
    SupervisionRelationship,
    UserAccount,
)
from webapp import queries
from webapp.database import db_session

OPENED_LIMIT = 500


def relationships(person: StaffMember, on: date) -> dict[str, Any]:
    """Their supervision both ways: as supervisee (all, the current ones and
    each current one's latest agreement) and their supervisees now."""
    db = db_session()
    rel = SupervisionRelationship
    as_supervisee = list(
        db.scalars(
            select(rel)
            .where(rel.supervisee_id == person.id)
            .order_by(rel.started_on.desc(), rel.id)
        )
    )
    current = [r for r in as_supervisee if r.ended_on is None or r.ended_on > on]
    supervisees = list(
        db.scalars(
            select(rel)
            .where(rel.supervisor_id == person.id, (rel.ended_on.is_(None)) | (rel.ended_on > on))
            .order_by(rel.id)
        )
    )
    return {
        "as_supervisee": as_supervisee,
        "current": current,
        "agreements": {r.id: queries.latest_agreement(r) for r in current},
        "supervisees": supervisees,
    }


def observations(person: StaffMember) -> dict[str, Any]:
    """Their observations, latest first, with their observers' names."""
    db = db_session()
    rows = list(
        db.scalars(
            select(Observation)
            .where(Observation.staff_id == person.id)
            .order_by(Observation.observed_on.desc())
        )
    )
    observers = {
        s.id: s.name
        for s in db.scalars(
            select(StaffMember).where(StaffMember.id.in_({o.observer_id for o in rows}))
        )
    }
    return {"observations": rows, "observers": observers}


def open_tasks_about(person: StaffMember) -> list[HumanTask]:
    """Open human tasks about them or assigned to them, soonest due first."""
    return list(
        db_session().scalars(
            select(HumanTask)
            .where(
                HumanTask.organisation_id == person.organisation_id,
                HumanTask.status.in_(OPEN_STATUSES),
                (HumanTask.subject_staff_id == person.id) | (HumanTask.assignee_id == person.id),
            )
            .order_by(HumanTask.due_on, HumanTask.id)
        )
    )


def opened_by_others(person: StaffMember) -> list:
    """(entry, who) for each read of their records by someone else, latest
    first, at most OPENED_LIMIT."""
    actor = aliased(StaffMember)
    own_accounts = select(UserAccount.id).where(UserAccount.staff_id == person.id)
    return (
        db_session()
        .execute(
            select(AuditEntry, actor)
            .join(UserAccount, UserAccount.id == AuditEntry.actor_user_id)
            .join(actor, actor.id == UserAccount.staff_id)
            .where(
                AuditEntry.subject_staff_id == person.id,
                AuditEntry.action == "read",
                AuditEntry.actor_user_id.not_in(own_accounts),
            )
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(OPENED_LIMIT)
        )
        .all()
    )
