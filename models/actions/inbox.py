"""What a person does to the human tasks themselves: claim a group task and
release it, delegate or reassign a task with a reason (one or several at
once), acknowledge a task whose completion is a plain acknowledgement, and
record a supervisor's absence with the colleague who covers for them.

Each function is one transaction: lock the organisation, check the task is
still as the person saw it, change it, write an outbox row and an audit
entry. Who may do what (scope) is the web app's rule; these functions check
what must hold whoever calls them (same organisation, the right role, a
reason given, the task still open)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.actions.errors import ActionError, NotPermitted
from models.base import utcnow
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.tables.audit import AuditEntry
from models.tables.human_task import OPEN_STATUSES, HumanTask, HumanTaskStatus
from models.tables.org import StaffMember, UserAccount
from models.tables.outbox import OutboxEvent
from models.tables.oversight import Absence, CoverArrangement
from policy.keys import staff_fact_id

MAX_REASON = 1000
DELEGATED = "delegated"


class TaskChanged(ActionError):
    """Someone else got there first (claimed, completed or moved the task)."""


@dataclass(frozen=True)
class CoverResult:
    absence_id: int
    cover_arrangement_id: int
    moved_task_ids: tuple[int, ...]


def claim_task(
    *,
    task_id: int,
    staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> None:
    """Take a group task (offered to a role, no assignee) as mine."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        task, person = _locked_task(session, task_id, staff_id)
        _must_be_open(task)
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
        _record(session, task, person, actor_user_id, "claim", f"Claimed by {person.name}")


def release_task(
    *,
    task_id: int,
    staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> None:
    """Hand a claimed group task back to the group."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        task, person = _locked_task(session, task_id, staff_id)
        _must_be_open(task)
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
            "release",
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
            if task.assignee_id == to_staff_id:
                raise ActionError(f"“{task.title}” is already {target.name}'s.")
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
                "reassign",
                f"Moved from {previous.name if previous else 'the group'} to {target.name} "
                f"by {by.name}: {reason}",
            )
        return [t.id for t in tasks]


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
        task.complete(staff_id, "acknowledged")
        _record(session, task, person, actor_user_id, "complete", f"Acknowledged by {person.name}")


def arrange_cover(
    *,
    absent_staff_id: int,
    cover_staff_id: int,
    starts_on: date,
    ends_on: date,
    reason: str,
    by_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CoverResult:
    """Record a supervisor's absence and who covers for them, then reconcile
    their open human tasks at once so, from the first day of the absence, they
    are in the cover supervisor's inbox (and back in the supervisor's after the
    last day, at the daily reconcile)."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ActionError(f"The reason must be {MAX_REASON} characters or fewer.")
    if ends_on < starts_on:
        raise ActionError("The last day of the absence must be on or after the first day.")
    if absent_staff_id == cover_staff_id:
        raise ActionError("Choose someone other than the absent supervisor to cover.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        absent = session.get(StaffMember, absent_staff_id)
        cover = session.get(StaffMember, cover_staff_id)
        by = session.get(StaffMember, by_staff_id)
        if absent is None or by is None or absent.organisation_id != by.organisation_id:
            raise ActionError("That person is not on your organisation's staff list.")
        if cover is None or cover.organisation_id != absent.organisation_id:
            raise ActionError("Choose a colleague in your organisation to cover.")
        if cover.left_on is not None and cover.left_on <= starts_on:
            raise ActionError(f"{cover.name} has left, so cannot cover.")
        organisation_id = absent.organisation_id
        lock_organisation(session, organisation_id)
        overlapping = session.scalars(
            select(CoverArrangement).where(
                CoverArrangement.absent_supervisor_id == absent.id,
                CoverArrangement.starts_on <= ends_on,
                (CoverArrangement.ends_on.is_(None)) | (CoverArrangement.ends_on >= starts_on),
            )
        ).first()
        if overlapping is not None:
            raise ActionError(
                f"{absent.name} already has cover arranged from "
                f"{_long(overlapping.starts_on)}; it overlaps these dates."
            )
        absence = Absence(
            staff_id=absent.id,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason[:120],
            recorded_by_id=by.id,
        )
        arrangement = CoverArrangement(
            absent_supervisor_id=absent.id,
            cover_supervisor_id=cover.id,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            arranged_by_id=by.id,
        )
        session.add_all([absence, arrangement])
        session.flush()

        # Reconcile the absent supervisor's open human tasks, lifecycle by
        # lifecycle, for their own subjects only; the supervisor-absence
        # lifecycle for the supervisor themselves (cover now arranged).
        held = session.scalars(
            select(HumanTask).where(
                HumanTask.organisation_id == organisation_id,
                HumanTask.status.in_(OPEN_STATUSES),
                HumanTask.assignee_id == absent.id,
            )
        ).all()
        subjects: dict[str, set[str]] = defaultdict(set)
        for task in held:
            subjects[task.lifecycle].add(task.subject)
        subjects["supervisor_absence"].add(staff_fact_id(absent.id))
        for lifecycle, lifecycle_subjects in sorted(subjects.items()):
            reconcile_in_session(
                session,
                organisation_id=organisation_id,
                lifecycles={lifecycle},
                as_of=on,
                subjects=lifecycle_subjects,
                actor=staff_fact_id(by.id),
            )
        session.flush()
        moved = tuple(
            sorted(
                t.id
                for t in held
                if t.assignee_id == cover.id and t.original_assignee_id == absent.id
            )
        )
        session.add(
            OutboxEvent(
                event="oversight.cover.arranged",
                resource_id=f"oversight.staff.{absent.id}",
                payload={
                    "organisation_id": organisation_id,
                    "absent_staff_id": absent.id,
                    "cover_staff_id": cover.id,
                    "starts_on": starts_on.isoformat(),
                    "ends_on": ends_on.isoformat(),
                    "cover_arrangement_id": arrangement.id,
                },
            )
        )
        session.add(
            AuditEntry(
                actor_user_id=actor_user_id,
                actor=staff_fact_id(by.id),
                action="create",
                object_type="cover_arrangement",
                object_id=str(arrangement.id),
                subject_staff_id=absent.id,
                detail=(
                    f"{by.name} arranged cover by {cover.name} for {absent.name} from "
                    f"{starts_on.isoformat()} to {ends_on.isoformat()}; "
                    f"{len(moved)} open task(s) moved"
                ),
            )
        )
        session.flush()
        return CoverResult(
            absence_id=absence.id, cover_arrangement_id=arrangement.id, moved_task_ids=moved
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


def _must_be_open(task: HumanTask) -> None:
    if task.status not in OPEN_STATUSES:
        raise TaskChanged("This task has already been closed.")


def _roles_of(session: Session, staff_id: int) -> set[str]:
    account = session.scalars(
        select(UserAccount).where(UserAccount.staff_id == staff_id, UserAccount.active.is_(True))
    ).one_or_none()
    return account.role_names if account is not None else set()


def _record(session, task: HumanTask, person: StaffMember, actor_user_id, action, detail):
    session.add(
        OutboxEvent(
            event=f"oversight.human-task.{action}",
            resource_id=f"oversight.human-task.{task.id}",
            payload={
                "organisation_id": task.organisation_id,
                "task_id": task.id,
                "key": task.key,
                "assignee_id": task.assignee_id,
            },
        )
    )
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            actor=staff_fact_id(person.id),
            action=action,
            object_type="human_task",
            object_id=str(task.id),
            subject_staff_id=task.subject_staff_id,
            detail=detail[:2000],
        )
    )
    session.flush()


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
