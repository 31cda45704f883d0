"""Whose supervision records a signed-in person may see, in one place. Every
access rule and every list in the web app asks this module.

- everyone: themselves;
- a supervisor: their supervisees (relationships in force), and while they
  cover for an absent supervisor, that supervisor's supervisees;
- a line manager: the people they manage, and those people's supervisees
  ("a line manager those of the supervisors they manage");
- a head of service: everyone in the teams of the service areas they head;
- the principal social worker and the workforce team: the whole organisation;
- an auditor: the whole organisation, read-only, only while their access has
  not expired (an auditor's login always has an end date).

Supervisor and line-manager scope come from the organisation's facts (who
supervises and who manages whom), so they follow a change of supervisor at
once; the organisation-wide scopes come from the roles granted to a login.
Nothing crosses organisations.

Managing (reassigning someone's human tasks, arranging cover) is narrower:
a line manager their direct reports, a head of service their service areas,
the workforce team the whole organisation. Auditors manage nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import aliased

from models import (
    OPEN_STATUSES,
    AppRole,
    CoverArrangement,
    HumanTask,
    ServiceArea,
    StaffMember,
    SupervisionRelationship,
    Team,
    UserAccount,
    UserRole,
)
from webapp.database import db_session
from webapp.dates import today
from webapp.users import AppUser

ORGANISATION_WIDE = (AppRole.PRINCIPAL_SOCIAL_WORKER.value, AppRole.WORKFORCE_TEAM.value)
MANAGING_ROLES = (
    AppRole.LINE_MANAGER.value,
    AppRole.HEAD_OF_SERVICE.value,
    AppRole.WORKFORCE_TEAM.value,
    AppRole.SUPERVISOR.value,
)


def auditor_access_current(user: AppUser, on: date | None = None) -> bool:
    on = on or today()
    return (
        user.has_role(AppRole.AUDITOR.value)
        and user.access_expires_on is not None
        and on <= user.access_expires_on
    )


def sees_whole_organisation(user: AppUser, on: date | None = None) -> bool:
    return user.has_role(*ORGANISATION_WIDE) or auditor_access_current(user, on)


def _relationship_in_force(on: date):
    return SupervisionRelationship.started_on <= on, or_(
        SupervisionRelationship.ended_on.is_(None), SupervisionRelationship.ended_on > on
    )


def visible_staff_ids(user: AppUser, on: date | None = None) -> Select:
    """A SELECT of the staff ids whose records this person may see."""
    on = on or today()
    me = user.staff_id
    staff = StaffMember
    query = select(staff.id).where(staff.organisation_id == user.organisation_id)
    if sees_whole_organisation(user, on):
        return query

    in_force = _relationship_in_force(on)
    reports = select(StaffMember.id).where(StaffMember.line_manager_id == me)
    covered = select(CoverArrangement.absent_supervisor_id).where(
        CoverArrangement.cover_supervisor_id == me,
        CoverArrangement.in_force_on(on),
    )
    supervisees_of = lambda supervisors: select(SupervisionRelationship.supervisee_id).where(  # noqa: E731
        SupervisionRelationship.supervisor_id.in_(supervisors), *in_force
    )
    conditions = [
        staff.id == me,
        staff.id.in_(supervisees_of([me])),
        staff.id.in_(supervisees_of(covered)),
        staff.line_manager_id == me,
        staff.id.in_(supervisees_of(reports)),
    ]
    if user.has_role(AppRole.HEAD_OF_SERVICE.value):
        conditions.append(staff.team_id.in_(_headed_team_ids(me)))
    return query.where(or_(*conditions))


def managed_staff_ids(user: AppUser, on: date | None = None) -> Select:
    """A SELECT of the staff whose human tasks this person may reassign and
    for whom they may arrange cover (never themselves: that is delegation)."""
    staff = StaffMember
    query = select(staff.id).where(
        staff.organisation_id == user.organisation_id, staff.id != user.staff_id
    )
    if user.read_only:
        return query.where(false())
    if user.has_role(AppRole.WORKFORCE_TEAM.value):
        return query
    conditions = [staff.line_manager_id == user.staff_id]
    if user.has_role(AppRole.HEAD_OF_SERVICE.value):
        conditions.append(staff.team_id.in_(_headed_team_ids(user.staff_id)))
    return query.where(or_(*conditions))


def _headed_team_ids(staff_id: int) -> Select:
    return (
        select(Team.id)
        .join(ServiceArea, ServiceArea.id == Team.service_area_id)
        .where(ServiceArea.head_of_service_id == staff_id)
    )


def may_see_staff(user: AppUser, staff_id: int | None) -> StaffMember | None:
    """The person, if this user may see their records; otherwise None."""
    if staff_id is None:
        return None
    return (
        db_session()
        .scalars(
            select(StaffMember).where(
                StaffMember.id == staff_id, StaffMember.id.in_(visible_staff_ids(user))
            )
        )
        .one_or_none()
    )


def may_manage_staff(user: AppUser, staff_id: int | None) -> StaffMember | None:
    if staff_id is None:
        return None
    return (
        db_session()
        .scalars(
            select(StaffMember).where(
                StaffMember.id == staff_id, StaffMember.id.in_(managed_staff_ids(user))
            )
        )
        .one_or_none()
    )


def may_see_relationship(user: AppUser, relationship_id: int) -> SupervisionRelationship | None:
    """Either party (even after it ended), anyone who may see the supervisee,
    and anyone who has been given a human task about it (an escalation)."""
    supervisee = aliased(StaffMember)
    rel = (
        db_session()
        .scalars(
            select(SupervisionRelationship)
            .join(supervisee, supervisee.id == SupervisionRelationship.supervisee_id)
            .where(
                SupervisionRelationship.id == relationship_id,
                supervisee.organisation_id == user.organisation_id,
            )
        )
        .one_or_none()
    )
    if rel is None:
        return None
    if user.staff_id in (rel.supervisor_id, rel.supervisee_id):
        return rel
    if may_see_staff(user, rel.supervisee_id) is not None:
        return rel
    has_task = db_session().scalar(
        select(HumanTask.id)
        .where(HumanTask.relationship_id == rel.id, HumanTask.assignee_id == user.staff_id)
        .limit(1)
    )
    return rel if has_task is not None else None


def offered_to(user: AppUser) -> Select:
    """Open group tasks nobody has claimed that this person may claim: their
    role is the task's candidate role and its subject (if a person) is in scope."""
    if user.read_only:
        return select(HumanTask).where(false())
    roles = [r for r in AppRole if r.value in user.roles]
    return select(HumanTask).where(
        HumanTask.organisation_id == user.organisation_id,
        HumanTask.assignee_id.is_(None),
        HumanTask.candidate_role.in_(roles),
        HumanTask.status.in_(OPEN_STATUSES),
        or_(
            HumanTask.subject_staff_id.is_(None),
            HumanTask.subject_staff_id.in_(visible_staff_ids(user)),
        ),
    )


def may_see_task(user: AppUser, task_id: int) -> HumanTask | None:
    """A human task assigned to me (open or done), or one offered to my group."""
    session = db_session()
    mine = session.scalars(
        select(HumanTask).where(
            HumanTask.id == task_id,
            HumanTask.organisation_id == user.organisation_id,
            HumanTask.assignee_id == user.staff_id,
        )
    ).one_or_none()
    if mine is not None:
        return mine
    return session.scalars(offered_to(user).where(HumanTask.id == task_id)).one_or_none()


def may_manage_task(user: AppUser, task_id: int) -> HumanTask | None:
    """An open human task assigned to someone this person manages."""
    return (
        db_session()
        .scalars(
            select(HumanTask).where(
                HumanTask.id == task_id,
                HumanTask.organisation_id == user.organisation_id,
                HumanTask.status.in_(OPEN_STATUSES),
                HumanTask.assignee_id.in_(managed_staff_ids(user)),
            )
        )
        .one_or_none()
    )


def people_who_can_take_tasks(user: AppUser) -> list[StaffMember]:
    """Who a human task may be delegated or reassigned to: colleagues in this
    organisation who are still in post and have a login that may act (not an
    auditor's), by name."""
    acting = select(UserAccount.staff_id).where(
        UserAccount.active.is_(True),
        UserAccount.id.in_(select(UserRole.user_id).where(UserRole.role != AppRole.AUDITOR)),
        UserAccount.id.not_in(select(UserRole.user_id).where(UserRole.role == AppRole.AUDITOR)),
    )
    on = today()
    return list(
        db_session().scalars(
            select(StaffMember)
            .where(
                StaffMember.organisation_id == user.organisation_id,
                StaffMember.id.in_(acting),
                or_(StaffMember.left_on.is_(None), StaffMember.left_on > on),
            )
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


def manages_anyone(user: AppUser) -> bool:
    return (
        db_session().scalar(
            select(StaffMember.id).where(StaffMember.id.in_(managed_staff_ids(user))).limit(1)
        )
        is not None
    )
