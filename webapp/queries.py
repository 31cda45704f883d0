"""Reads the pages and access rules share. Everything is scoped to the
signed-in person's organisation, and returns None for anything they may not
see, so a view can answer 404 whether the row is missing or someone else's."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from models import (
    OPEN_STATUSES,
    HumanTask,
    ServiceArea,
    StaffMember,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
    Team,
)
from models.actions.permissions import supervises_or_covers
from models.tables.cases import CaseAllocation, CaseIdError, check_case_id
from webapp import scope
from webapp.database import db_session
from webapp.users import AppUser


def task_for_assignee(
    user: AppUser, task_id: int, kinds: Collection[str] | None = None
) -> HumanTask | None:
    """A human task assigned to this person (open or done), of one of `kinds`
    if given (a form that completes only those)."""
    query = select(HumanTask).where(
        HumanTask.id == task_id,
        HumanTask.organisation_id == user.organisation_id,
        HumanTask.assignee_id == user.staff_id,
    )
    if kinds is not None:
        query = query.where(HumanTask.kind.in_(kinds))
    return db_session().scalars(query).one_or_none()


def task_by_key(user: AppUser, key: str) -> HumanTask | None:
    return (
        db_session()
        .scalars(
            select(HumanTask).where(
                HumanTask.key == key, HumanTask.organisation_id == user.organisation_id
            )
        )
        .one_or_none()
    )


def relationship_in_org(user: AppUser, relationship_id: int) -> SupervisionRelationship | None:
    supervisor = aliased(StaffMember)
    return (
        db_session()
        .scalars(
            select(SupervisionRelationship)
            .join(supervisor, supervisor.id == SupervisionRelationship.supervisor_id)
            .where(
                SupervisionRelationship.id == relationship_id,
                supervisor.organisation_id == user.organisation_id,
            )
        )
        .one_or_none()
    )


def relationship_as_supervisor(user: AppUser, relationship_id: int):
    rel = relationship_in_org(user, relationship_id)
    return rel if rel is not None and rel.supervisor_id == user.staff_id else None


def relationship_as_supervisee(user: AppUser, relationship_id: int):
    rel = relationship_in_org(user, relationship_id)
    return rel if rel is not None and rel.supervisee_id == user.staff_id else None


def relationship_for_viewer(user: AppUser, relationship_id: int):
    """The two parties and anyone whose scope covers the supervisee
    (webapp.scope); holding a task about it opens only what that task needs
    (webapp.held_tasks)."""
    return scope.may_see_relationship(user, relationship_id)


def session_in_org(user: AppUser, session_id: int) -> SupervisionSession | None:
    row = db_session().get(SupervisionSession, session_id)
    if row is None:
        return None
    rel = relationship_in_org(user, row.relationship_id)
    return row if rel is not None else None


def session_as_supervisor(user: AppUser, session_id: int) -> SupervisionSession | None:
    row = session_in_org(user, session_id)
    if row is None or row.supervision_relationship.supervisor_id != user.staff_id:
        return None
    return row


def session_as_supervisee(user: AppUser, session_id: int) -> SupervisionSession | None:
    row = session_in_org(user, session_id)
    if row is None or row.supervision_relationship.supervisee_id != user.staff_id:
        return None
    return row


def session_as_party(user: AppUser, session_id: int) -> SupervisionSession | None:
    """A supervision session, if this person is either party to it (its
    invitation, its record's signatures)."""
    return session_as_supervisor(user, session_id) or session_as_supervisee(user, session_id)


def supervisee_of(user: AppUser, staff_id: int, on: date) -> StaffMember | None:
    """The person, if the signed-in person supervises them on `on`, themselves
    or covering for their supervisor: who records their checks and ASYE reviews."""
    person = db_session().get(StaffMember, staff_id)
    if person is None or person.organisation_id != user.organisation_id:
        return None
    return person if supervises_or_covers(db_session(), user.staff_id, staff_id, on) else None


def latest_agreement(rel: SupervisionRelationship) -> SupervisionAgreement | None:
    return (
        db_session()
        .scalars(
            select(SupervisionAgreement)
            .where(SupervisionAgreement.relationship_id == rel.id)
            .order_by(SupervisionAgreement.version.desc())
            .limit(1)
        )
        .one_or_none()
    )


def staff_in_org(user: AppUser, staff_id: int | None) -> StaffMember | None:
    if staff_id is None:
        return None
    return (
        db_session()
        .scalars(
            select(StaffMember).where(
                StaffMember.id == staff_id, StaffMember.organisation_id == user.organisation_id
            )
        )
        .one_or_none()
    )


def open_task_for_relationship(user: AppUser, relationship_id: int, kind: str):
    """My open human task of this kind about this relationship, if any."""
    return (
        db_session()
        .scalars(
            select(HumanTask)
            .where(
                HumanTask.relationship_id == relationship_id,
                HumanTask.assignee_id == user.staff_id,
                HumanTask.kind == kind,
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .order_by(HumanTask.due_on)
            .limit(1)
        )
        .one_or_none()
    )


def teams_by_id(user: AppUser, team_ids) -> list[Team]:
    if not team_ids:
        return []
    return list(
        db_session().scalars(
            select(Team)
            .join(ServiceArea, ServiceArea.id == Team.service_area_id)
            .where(Team.id.in_(team_ids), ServiceArea.organisation_id == user.organisation_id)
            .order_by(Team.name)
        )
    )


def case_allocation(user: AppUser, case_ref: str, *, open_only: bool) -> CaseAllocation | None:
    """A case of the user's organisation by its case ID, exactly as written:
    its open allocation, or (open_only=False) its last one if it is closed."""
    try:
        ref = check_case_id(case_ref)
    except CaseIdError:
        return None
    if ref != case_ref:
        return None
    query = select(CaseAllocation).where(
        CaseAllocation.organisation_id == user.organisation_id, CaseAllocation.case_ref == ref
    )
    if open_only:
        query = query.where(CaseAllocation.ended_on.is_(None))
    latest_first = (CaseAllocation.allocated_on.desc(), CaseAllocation.id.desc())
    return (
        db_session()
        .scalars(query.order_by(CaseAllocation.ended_on.is_not(None), *latest_first).limit(1))
        .first()
    )
