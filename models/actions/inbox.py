"""What a person does to the human tasks themselves: claim a group task and
release it, delegate or reassign a task with a reason (one or several at
once), and acknowledge a task whose completion is a plain acknowledgement.

Each function is one transaction: lock the organisation, check the task is
still as the person saw it, change it, and end with finish_action (the
outbox event and the audit entry). Who may do what (scope) is the web app's
rule; these functions check what must hold whoever calls them (same
organisation, the right role, a reason given, the task still open)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.eligibility import may_take_task
from models.actions.errors import ActionError, NotPermitted
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.base import utcnow
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.human_task import OPEN_STATUSES, HumanTask, HumanTaskStatus
from models.tables.org import StaffMember, UserAccount
from policy import kinds

MAX_REASON = 1000
MAX_DETAIL = 2000
DELEGATED = "delegated"
LONDON = ZoneInfo("Europe/London")
# What each change to a task is called in the audit trail.
AUDIT_ACTION = {
    events.HUMAN_TASK_CLAIMED: "claim",
    events.HUMAN_TASK_RELEASED: "release",
    events.HUMAN_TASK_REASSIGNED: "reassign",
    events.HUMAN_TASK_ACKNOWLEDGED: "complete",
}


class TaskChanged(ActionError):
    """Someone else got there first (claimed, completed or moved the task)."""


def claim_task(
    *,
    task_id: int,
    staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> None:
    """Take a group task (offered to a role, no assignee) as mine."""
    with _open_task_in_hand(task_id, staff_id, session_factory) as (session, task, person):
        if task.assignee_id == staff_id and task.claimed_at is not None:
            return  # a double submission claims once
        if task.candidate_role is None:
            raise NotPermitted("This task is not offered to a group, so it cannot be claimed.")
        if task.assignee_id is not None:
            raise TaskChanged(
                f"{task.assignee.name} has already claimed this task. It is no longer offered."
            )
        if task.candidate_role.value not in _roles_of(session, staff_id):
            raise NotPermitted("This task is offered to a role you do not hold.")
        task.assignee_id = staff_id
        task.claimed_at = utcnow()
        _record(
            session,
            task,
            person,
            actor_user_id,
            events.HUMAN_TASK_CLAIMED,
            f"Claimed by {person.name}",
        )


def release_task(
    *,
    task_id: int,
    staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> None:
    """Hand a claimed group task back to the group."""
    with _open_task_in_hand(task_id, staff_id, session_factory) as (session, task, person):
        if task.candidate_role is None or task.claimed_at is None:
            raise NotPermitted("Only a task claimed from a group can be released.")
        if task.assignee_id != staff_id:
            raise TaskChanged("This task is not yours to release.")
        task.assignee_id = None
        task.claimed_at = None
        _record(
            session,
            task,
            person,
            actor_user_id,
            events.HUMAN_TASK_RELEASED,
            f"Released to the group by {person.name}",
        )


def reassign_tasks(
    *,
    task_ids: Sequence[int],
    by_staff_id: int,
    to_staff_id: int,
    reason: str,
    allowed_assignee_ids: Collection[int] | None = None,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> list[int]:
    """Move open human tasks to a colleague with a reason: one's own
    (delegation) or, for a manager, those of the people they manage. A moved
    task keeps who it was originally for, and the reconcile leaves it with
    the new person until the obligation itself changes hands.

    `allowed_assignee_ids`: whose tasks the caller may move (the web app's
    scope); None means only the caller's own. All or nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionError("Enter why you are reassigning the task.")
    if len(reason) > MAX_REASON:
        raise ActionError(f"The reason must be {MAX_REASON} characters or fewer.")
    if not task_ids:
        raise ActionError("Select at least one task to reassign.")
    allowed = {by_staff_id} | set(allowed_assignee_ids or ())
    with (session_factory or get_sessionmaker())() as session, session.begin():
        by = session.get(StaffMember, by_staff_id)
        if by is None:
            raise ActionError("You are not on the staff list.")
        lock_organisation(session, by.organisation_id)
        target = session.get(StaffMember, to_staff_id)
        if target is None or target.organisation_id != by.organisation_id:
            raise ActionError("Choose a colleague in your organisation to give the task to.")
        tasks = _tasks_to_move(session, task_ids, by, target, allowed)
        for task in tasks:
            previous = task.assignee
            if task.original_assignee_id is None:
                task.original_assignee_id = task.assignee_id
            task.assignee_id = to_staff_id
            task.reassignment = DELEGATED
            task.reassigned_reason = reason
            if task.candidate_role is not None:
                task.claimed_at = utcnow()  # the group task is now held by one person
            _record(
                session,
                task,
                by,
                actor_user_id,
                events.HUMAN_TASK_REASSIGNED,
                f"Moved from {previous.name if previous else 'the group'} to {target.name} "
                f"by {by.name}: {reason}",
            )
        return [t.id for t in tasks]


def _tasks_to_move(session: Session, task_ids, by, target, allowed) -> list[HumanTask]:
    """The tasks, locked, each still open and held by someone whose tasks may be moved."""
    tasks = list(
        session.scalars(
            select(HumanTask)
            .where(HumanTask.id.in_(set(task_ids)))
            .order_by(HumanTask.id)
            .with_for_update()
        )
    )
    if len(tasks) != len(set(task_ids)):
        raise TaskChanged("One of those tasks no longer exists.")
    for task in tasks:
        if task.organisation_id != by.organisation_id or task.assignee_id not in allowed:
            raise TaskChanged(f"“{task.title}” is no longer yours to reassign.")
        if task.status not in OPEN_STATUSES:
            raise TaskChanged(f"“{task.title}” has already been closed.")
        if task.assignee_id == target.id:
            raise ActionError(f"“{task.title}” is already {target.name}'s.")
        _check_may_take(session, task, target)
    return tasks


def _check_may_take(session: Session, task: HumanTask, target: StaffMember) -> None:
    """The same rule for delegation and reassignment: a kind only its holder
    can do stays with them; anything else goes only to someone who may do it
    for its subject (models/actions/eligibility.py)."""
    kind = kinds.kind(task.kind)
    if not kind.delegable or kind.named_supervisor_only:
        raise NotPermitted(
            f"“{task.title}” can only be done by the person named on it, so it cannot be "
            "given to anyone else."
        )
    if not may_take_task(session, task, target.id, datetime.now(LONDON).date()):
        about = f" for {task.subject_staff.name}" if task.subject_staff is not None else ""
        raise NotPermitted(
            f"{target.name} cannot do “{task.title}”{about}: choose someone who may do this "
            "kind of task for them."
        )


def acknowledge_task(
    *,
    task_id: int,
    staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> None:
    """Close a human task whose completion is a plain acknowledgement (an
    escalation: "I have seen it and I am following it up"). It is not
    reconciled now: the next scheduled reconcile opens it again if the work
    it points at is still overdue, so an acknowledged escalation cannot be
    forgotten."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        task, person = _locked_task(session, task_id, staff_id)
        if task.status not in OPEN_STATUSES:
            if task.status == HumanTaskStatus.COMPLETED and task.completed_by_id == staff_id:
                return  # a double submission acknowledges once
            raise TaskChanged("This task has already been closed.")
        if task.assignee_id != staff_id:
            raise TaskChanged("This task is not yours.")
        _record(
            session,
            task,
            person,
            actor_user_id,
            events.HUMAN_TASK_ACKNOWLEDGED,
            f"Acknowledged by {person.name}",
            completed_as="acknowledged",
        )


def _locked_task(session: Session, task_id: int, staff_id: int):
    person = session.get(StaffMember, staff_id)
    task = session.get(HumanTask, task_id)
    if person is None or task is None or task.organisation_id != person.organisation_id:
        raise ActionError("That task does not exist.")
    lock_organisation(session, person.organisation_id)
    task = session.scalars(select(HumanTask).where(HumanTask.id == task_id).with_for_update()).one()
    session.refresh(task)
    return task, person


@contextmanager
def _open_task_in_hand(task_id: int, staff_id: int, session_factory: sessionmaker | None):
    """One transaction holding the person's organisation's lock and the task,
    which must still be open: (session, task, person)."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        task, person = _locked_task(session, task_id, staff_id)
        if task.status not in OPEN_STATUSES:
            raise TaskChanged("This task has already been closed.")
        yield session, task, person


def _roles_of(session: Session, staff_id: int) -> set[str]:
    account = session.scalars(
        select(UserAccount).where(UserAccount.staff_id == staff_id, UserAccount.active.is_(True))
    ).one_or_none()
    return account.role_names if account is not None else set()


def _record(
    session: Session,
    task: HumanTask,
    person: StaffMember,
    actor_user_id: int | None,
    event: events.Event,
    detail: str,
    *,
    completed_as: str | None = None,
) -> None:
    """Announce the change to the task and audit it (who took, moved or closed
    it, and why); `completed_as`: the task is done, for this reason."""
    finish_action(
        session,
        Finish(
            organisation_id=task.organisation_id,
            actor_staff_id=person.id,
            actor_user_id=actor_user_id,
            on=datetime.now(LONDON).date(),
            completed=[task] if completed_as else [],
            closed_reason=completed_as or "",
            event=event,
            subject_id=task.id,
            payload={"task_id": task.id, "key": task.key, "assignee_id": task.assignee_id},
            audit=Audit(
                AUDIT_ACTION[event],
                "human_task",
                task.id,
                task.subject_staff_id,
                detail[:MAX_DETAIL],
            ),
        ),
    )
