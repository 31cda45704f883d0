"""Who may be handed work about someone: a human task (delegation and
reassignment), cover for an absent supervisor, and who may arrange that
cover. Each is a SELECT of staff ids, so a choice list and the action that
checks the submitted choice ask the same question of the database.

- A task goes only to someone who may do that kind of task for its subject
  (`Kind.acted_by` in policy/kinds/): the subject's supervisor or the
  colleague covering for them ("supervisor"); also the worker's line manager
  for case work ("case"); for the rest, anyone who oversees the subject
  ("overseer": their supervisor or cover, their line manager or their
  supervisor's, the head of their service, the principal social worker and
  the workforce team). Never the subject themselves: a registration check
  handed to the person being checked could never be completed.
- Cover is arranged by someone who manages the absent supervisor (never the
  supervisor for themselves), and given to a colleague in post who may
  supervise (a supervising role) and is neither the absent supervisor nor
  one of their supervisees."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, or_, select, union
from sqlalchemy.orm import Session, aliased

from models.tables.human_task import HumanTask
from models.tables.org import AppRole, ServiceArea, StaffMember, Team, UserAccount, UserRole
from models.tables.oversight import CoverArrangement
from models.tables.supervision import SupervisionRelationship
from policy import kinds

ORGANISATION_WIDE = (AppRole.PRINCIPAL_SOCIAL_WORKER, AppRole.WORKFORCE_TEAM)
SUPERVISING = (
    AppRole.SUPERVISOR,
    AppRole.LINE_MANAGER,
    AppRole.HEAD_OF_SERVICE,
    AppRole.PRINCIPAL_SOCIAL_WORKER,
)


def _with_role(*roles: AppRole) -> Select:
    """Staff with an active login holding any of these roles."""
    return (
        select(UserAccount.staff_id)
        .join(UserRole, UserRole.user_id == UserAccount.id)
        .where(UserAccount.active.is_(True), UserRole.role.in_(roles))
    )


def acting_staff(organisation_id: int, on: date) -> Select:
    """Colleagues in post with a login that may act (not an auditor's)."""
    auditors = select(UserRole.user_id).where(UserRole.role == AppRole.AUDITOR)
    acting = select(UserAccount.staff_id).where(
        UserAccount.active.is_(True),
        UserAccount.id.in_(select(UserRole.user_id).where(UserRole.role != AppRole.AUDITOR)),
        UserAccount.id.not_in(auditors),
    )
    return select(StaffMember.id).where(
        StaffMember.organisation_id == organisation_id,
        StaffMember.id.in_(acting),
        or_(StaffMember.left_on.is_(None), StaffMember.left_on > on),
    )


def _in_force(on: date):
    return (
        SupervisionRelationship.started_on <= on,
        or_(SupervisionRelationship.ended_on.is_(None), SupervisionRelationship.ended_on > on),
    )


def _head_of_service_of(subject_id: int) -> Select:
    return (
        select(ServiceArea.head_of_service_id)
        .join(Team, Team.service_area_id == ServiceArea.id)
        .join(StaffMember, StaffMember.team_id == Team.id)
        .where(
            StaffMember.id == subject_id,
            # Named as head, and signing in as one: the pages' scope asks both.
            ServiceArea.head_of_service_id.in_(_with_role(AppRole.HEAD_OF_SERVICE)),
        )
    )


def _kinds_where(test) -> list[str]:
    return sorted(name for name, k in kinds.KINDS.items() if test(k))


# Kinds only their holder can do; kinds only the subject's supervisor (or
# cover) may do; kinds their line manager may do too. Any other kind, an
# unknown one included (kinds.DEFAULT), any overseer may do.
HELD_ONLY = _kinds_where(lambda k: not k.delegable or k.named_supervisor_only)
SUPERVISOR_ONLY = _kinds_where(lambda k: k.acted_by == "supervisor")
CASE_WORK = _kinds_where(lambda k: k.acted_by == "case")


def _supervisors_of_tasks(tasks, on: date):
    """(task id, staff id): the relationship's supervisor, or the subject's
    supervisors in force when the task names no relationship."""
    rel = SupervisionRelationship
    return (
        select(tasks.c.id.label("task_id"), rel.supervisor_id.label("staff_id"))
        .select_from(tasks)
        .join(
            rel,
            or_(
                rel.id == tasks.c.relationship_id,
                and_(
                    tasks.c.relationship_id.is_(None),
                    rel.supervisee_id == tasks.c.subject_staff_id,
                    *_in_force(on),
                ),
            ),
        )
        .cte("supervisors")
    )


def _candidates(tasks, on: date) -> Select:
    """(task id, staff id) of everyone who may do each task, by joins (so the
    cost follows the tasks, not tasks times staff): the relationship's
    supervisor, or the subject's supervisors in force when the task names no
    relationship; their cover; for case work also the subject's line manager;
    for oversight also the supervisors' line managers, the head of the
    subject's service and the organisation-wide roles; anyone for a task
    about nobody."""
    subject, supervisor = aliased(StaffMember), aliased(StaffMember)
    supervisors = _supervisors_of_tasks(tasks, on)
    oversight = tasks.c.kind.not_in(SUPERVISOR_ONLY + CASE_WORK)
    return union(
        select(supervisors.c.task_id, supervisors.c.staff_id),
        select(supervisors.c.task_id, CoverArrangement.cover_supervisor_id)
        .select_from(supervisors)
        .join(
            CoverArrangement,
            and_(
                CoverArrangement.absent_supervisor_id == supervisors.c.staff_id,
                CoverArrangement.in_force_on(on),
            ),
        ),
        select(tasks.c.id, subject.line_manager_id)
        .select_from(tasks)
        .join(subject, subject.id == tasks.c.subject_staff_id)
        .where(tasks.c.kind.not_in(SUPERVISOR_ONLY)),
        select(supervisors.c.task_id, supervisor.line_manager_id)
        .select_from(supervisors)
        .join(tasks, tasks.c.id == supervisors.c.task_id)
        .join(supervisor, supervisor.id == supervisors.c.staff_id)
        .where(oversight),
        select(tasks.c.id, ServiceArea.head_of_service_id)
        .select_from(tasks)
        .join(subject, subject.id == tasks.c.subject_staff_id)
        .join(Team, Team.id == subject.team_id)
        .join(ServiceArea, ServiceArea.id == Team.service_area_id)
        .where(oversight, ServiceArea.head_of_service_id.in_(_with_role(AppRole.HEAD_OF_SERVICE))),
        select(tasks.c.id, UserAccount.staff_id)
        .select_from(tasks)
        .join(UserRole, UserRole.role.in_(ORGANISATION_WIDE))
        .join(UserAccount, and_(UserAccount.id == UserRole.user_id, UserAccount.active.is_(True)))
        .where(oversight),
        select(tasks.c.id, StaffMember.id)
        .select_from(tasks)
        .join(StaffMember, StaffMember.organisation_id == tasks.c.organisation_id)
        .where(tasks.c.subject_staff_id.is_(None)),
    )


def takers_of_tasks(task_ids, organisation_id: int, on: date) -> Select:
    """A SELECT of (task id, staff id): for each of these tasks, everyone it
    may be handed to, in one statement (the team page's choice list): in post
    with a login that may act, in the task's organisation, who may do its kind
    for its subject, never the subject; nobody for a kind only its holder can do."""
    tasks = (
        select(
            HumanTask.id,
            HumanTask.organisation_id,
            HumanTask.kind,
            HumanTask.relationship_id,
            HumanTask.subject_staff_id,
        )
        .where(
            HumanTask.id.in_(task_ids),
            HumanTask.organisation_id == organisation_id,
            HumanTask.kind.not_in(HELD_ONLY),
        )
        .cte("tasks")
    )
    pairs = _candidates(tasks, on).subquery("pairs")
    return (
        select(pairs.c.task_id, pairs.c.staff_id)
        .distinct()
        .select_from(pairs)
        .join(tasks, tasks.c.id == pairs.c.task_id)
        .where(
            pairs.c.staff_id.in_(acting_staff(organisation_id, on)),
            or_(tasks.c.subject_staff_id.is_(None), pairs.c.staff_id != tasks.c.subject_staff_id),
        )
    )


def task_takers(task: HumanTask, on: date) -> Select:
    """A SELECT of the staff one task may be handed to (takers_of_tasks)."""
    pairs = takers_of_tasks([task.id], task.organisation_id, on).subquery()
    return select(pairs.c.staff_id)


def may_take_task(session: Session, task: HumanTask, staff_id: int, on: date) -> bool:
    return is_among(session, task_takers(task, on), staff_id)


def cover_arrangers(absent: StaffMember) -> Select:
    """Who may arrange cover for this supervisor: their line manager, the head
    of their service, the workforce team; never the supervisor themselves."""
    conditions = [
        StaffMember.id.in_(_head_of_service_of(absent.id)),
        StaffMember.id.in_(_with_role(AppRole.WORKFORCE_TEAM)),
    ]
    if absent.line_manager_id is not None:
        conditions.append(StaffMember.id == absent.line_manager_id)
    return select(StaffMember.id).where(
        StaffMember.organisation_id == absent.organisation_id,
        StaffMember.id != absent.id,
        or_(*conditions),
    )


def cover_candidates(absent: StaffMember, starts_on: date, ends_on: date) -> Select:
    """Who may cover for this supervisor from `starts_on` to `ends_on`: in post
    on the first day, with a supervising role, not the absent supervisor and
    not one of their supervisees at any time in those dates."""
    supervisees = select(SupervisionRelationship.supervisee_id).where(
        SupervisionRelationship.supervisor_id == absent.id,
        SupervisionRelationship.started_on <= ends_on,
        or_(
            SupervisionRelationship.ended_on.is_(None),
            SupervisionRelationship.ended_on > starts_on,
        ),
    )
    return acting_staff(absent.organisation_id, starts_on).where(
        StaffMember.id != absent.id,
        StaffMember.id.in_(_with_role(*SUPERVISING)),
        StaffMember.id.not_in(supervisees),
    )


def is_among(session: Session, staff_ids: Select, staff_id: int) -> bool:
    found = session.scalar(
        select(StaffMember.id).where(StaffMember.id == staff_id, StaffMember.id.in_(staff_ids))
    )
    return found is not None
