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

A supervision group (a group agreement) is seen by its supervisor, anyone
named on any version of its agreement, anyone whose scope covers the
supervisor or a named member, and anyone with an open human task about it.

Holding an open human task about a relationship grants only the object the
task is about (an agreement task: the agreement; a record task: that day's
record), and nothing once it closes (webapp/held_tasks.py).

Managing (reassigning someone's human tasks, arranging cover) is narrower:
a line manager their direct reports, a head of service their service areas,
the workforce team the whole organisation. Auditors manage nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, String, cast, exists, false, literal, or_, select, true
from sqlalchemy.orm import aliased

from models import (
    OPEN_STATUSES,
    AppRole,
    CoverArrangement,
    GroupAgreementSignatory,
    GroupSupervisionAgreement,
    HumanTask,
    ServiceArea,
    StaffMember,
    SupervisionGroup,
    SupervisionRelationship,
    Team,
)
from models.actions.eligibility import (
    acting_staff,
    cover_candidates,
    takers_of_tasks,
    task_takers,
)
from policy.keys import group_fact_id
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
    return _staff_among(visible_staff_ids(user), staff_id)


def may_manage_staff(user: AppUser, staff_id: int | None) -> StaffMember | None:
    """The person, if this user may reassign their tasks and arrange their cover."""
    return _staff_among(managed_staff_ids(user), staff_id)


def _staff_among(staff_ids: Select, staff_id: int | None) -> StaffMember | None:
    if staff_id is None:
        return None
    return (
        db_session()
        .scalars(
            select(StaffMember).where(StaffMember.id == staff_id, StaffMember.id.in_(staff_ids))
        )
        .one_or_none()
    )


def may_see_relationship(user: AppUser, relationship_id: int) -> SupervisionRelationship | None:
    """Either party (even after it ended) and anyone who may see the
    supervisee. Holding a task about it grants only the task's own object
    (webapp.held_tasks), never the whole relationship."""
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
    return rel if may_see_staff(user, rel.supervisee_id) is not None else None


def _named_on(staff_ids) -> Select:
    """The groups whose agreement (any version) names any of these people."""
    return (
        select(GroupSupervisionAgreement.group_id)
        .join(
            GroupAgreementSignatory,
            GroupAgreementSignatory.agreement_id == GroupSupervisionAgreement.id,
        )
        .where(GroupAgreementSignatory.staff_id.in_(staff_ids))
    )


def visible_groups(user: AppUser) -> Select:
    """A SELECT of the supervision groups this person may see (in their own
    organisation): theirs to supervise, any whose agreement (any version)
    names them, any whose supervisor or named member is in their scope, and
    any they hold an open human task about (an escalation handed on)."""
    visible = visible_staff_ids(user)
    # A human task about a group names it by the group's fact id ("grp-7"):
    # built here in SQL from policy.keys' own prefix, never split.
    group_subject = literal(group_fact_id("")) + cast(SupervisionGroup.id, String)
    tasks_about = exists().where(
        HumanTask.assignee_id == user.staff_id,
        HumanTask.subject == group_subject,
        HumanTask.status.in_(OPEN_STATUSES),
    )
    return select(SupervisionGroup).where(
        SupervisionGroup.organisation_id == user.organisation_id,
        or_(
            SupervisionGroup.supervisor_id == user.staff_id,
            SupervisionGroup.supervisor_id.in_(visible),
            SupervisionGroup.id.in_(_named_on([user.staff_id])),
            SupervisionGroup.id.in_(_named_on(visible)),
            tasks_about,
        ),
    )


def may_see_group(user: AppUser, group_id: int | None) -> SupervisionGroup | None:
    """The group, if this person may see it (visible_groups); otherwise None."""
    if group_id is None:
        return None
    return (
        db_session()
        .scalars(visible_groups(user).where(SupervisionGroup.id == group_id))
        .one_or_none()
    )


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
    """Colleagues in this organisation who are still in post and have a login
    that may act (not an auditor's), by name: whom a group attendance record
    may name as facilitator. Not whom a task may be handed to: that is
    people_who_can_take (one task) or people_who_can_take_my_tasks."""
    return list(
        db_session().scalars(
            select(StaffMember)
            .where(StaffMember.id.in_(acting_staff(user.organisation_id, today())))
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


def people_who_can_take_my_tasks(user: AppUser) -> list[StaffMember]:
    """Who this person may hand any of their open tasks to (the union of
    people_who_can_take over those tasks, in one statement), never themselves,
    by name. Nobody when every task they hold is one only its holder can do."""
    mine = select(HumanTask.id).where(
        HumanTask.organisation_id == user.organisation_id,
        HumanTask.assignee_id == user.staff_id,
        HumanTask.status.in_(OPEN_STATUSES),
    )
    pairs = takers_of_tasks(mine, user.organisation_id, today()).subquery()
    return list(
        db_session().scalars(
            select(StaffMember)
            .where(StaffMember.id.in_(select(pairs.c.staff_id)), StaffMember.id != user.staff_id)
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


def people_who_can_take(user: AppUser, task: HumanTask) -> list[StaffMember]:
    """Who this task may be delegated or reassigned to: those who may do its
    kind for its subject (models.actions.eligibility, the rule the action
    checks), other than the person who holds it now, by name."""
    return list(
        db_session().scalars(
            select(StaffMember)
            .where(
                StaffMember.id.in_(task_takers(task, today())),
                StaffMember.organisation_id == user.organisation_id,
                StaffMember.id != task.assignee_id if task.assignee_id is not None else true(),
            )
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


def people_who_may_cover(
    absent: StaffMember, starts_on: date | None, ends_on: date | None
) -> list[StaffMember]:
    """Who may cover for this supervisor over those dates (today while they are
    not typed yet): the same rule arrange_cover checks, by name."""
    starts_on = starts_on or today()
    candidates = cover_candidates(absent, starts_on, max(ends_on or starts_on, starts_on))
    return list(
        db_session().scalars(
            select(StaffMember)
            .where(StaffMember.id.in_(candidates))
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
