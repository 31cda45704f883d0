"""Who may be handed work about someone: a human task (delegation and
reassignment), cover for an absent supervisor, and who may arrange that
cover. Each is a SELECT of staff ids, so a choice list and the action that
checks the submitted choice ask the same question of the database.

- A task goes only to someone who may do that kind of task for its subject
  (`Kind.acted_by` in policy/kinds.py): the subject's supervisor or the
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

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

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


def _supervisors_of(subject_id: int, on: date) -> Select:
    return select(SupervisionRelationship.supervisor_id).where(
        SupervisionRelationship.supervisee_id == subject_id, *_in_force(on)
    )


def _covering(supervisors: Select, on: date) -> Select:
    return select(CoverArrangement.cover_supervisor_id).where(
        CoverArrangement.absent_supervisor_id.in_(supervisors), CoverArrangement.in_force_on(on)
    )


def _line_manager_of(staff_ids) -> Select:
    return select(StaffMember.line_manager_id).where(
        StaffMember.id.in_(staff_ids), StaffMember.line_manager_id.is_not(None)
    )


def _head_of_service_of(subject_id: int) -> Select:
    return (
        select(ServiceArea.head_of_service_id)
        .join(Team, Team.service_area_id == ServiceArea.id)
        .join(StaffMember, StaffMember.team_id == Team.id)
        .where(StaffMember.id == subject_id)
    )


def doers_of(acted_by: str, subject_id: int, relationship_id: int | None, on: date) -> Select:
    """Who may do a task of this sort about this person (before the
    organisation and login checks of `task_takers`)."""
    if relationship_id is not None:
        supervisors = select(SupervisionRelationship.supervisor_id).where(
            SupervisionRelationship.id == relationship_id
        )
    else:
        supervisors = _supervisors_of(subject_id, on)
    conditions = [StaffMember.id.in_(supervisors), StaffMember.id.in_(_covering(supervisors, on))]
    if acted_by in ("case", "overseer"):
        conditions.append(StaffMember.id.in_(_line_manager_of([subject_id])))
    if acted_by == "overseer":
        conditions += [
            StaffMember.id.in_(_line_manager_of(supervisors)),
            StaffMember.id.in_(_head_of_service_of(subject_id)),
            StaffMember.id.in_(_with_role(*ORGANISATION_WIDE)),
        ]
    return select(StaffMember.id).where(or_(*conditions))


def task_takers(task: HumanTask, on: date) -> Select:
    """A SELECT of the staff a task may be handed to: in post with a login
    that may act, in the task's organisation, who may do its kind for its
    subject, never the subject; nobody for a kind only its holder can do."""
    kind = kinds.kind(task.kind)
    query = acting_staff(task.organisation_id, on)
    if not kind.delegable or kind.named_supervisor_only:
        return query.where(false())
    if task.subject_staff_id is None:
        return query
    return query.where(
        StaffMember.id != task.subject_staff_id,
        StaffMember.id.in_(
            doers_of(kind.acted_by, task.subject_staff_id, task.relationship_id, on)
        ),
    )


def may_take_task(session: Session, task: HumanTask, staff_id: int, on: date) -> bool:
    found = session.scalar(task_takers(task, on).where(StaffMember.id == staff_id).limit(1))
    return found is not None


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
