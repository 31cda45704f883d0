"""The end of every action, written once: inside the action's transaction,
complete the human tasks it did, reconcile the subjects whose facts it
changed (so the next step is in the next inbox at once), announce it in the
outbox for Prefect, and write the audit entry. The caller's transaction
commits all of it, or none.

    with transaction() as session:
        ... record the fact ...
        done = finish_action(
            session,
            Finish(
                organisation_id=org.id,
                actor_staff_id=signer_id,
                actor_user_id=user_id,
                on=on,
                completed=tasks,
                subjects={relationship_fact_id(rel.id)},
                lifecycles={"agreement", "agreement_review"},
                event=events.AGREEMENT_IN_FORCE,
                subject_id=rel.id,
                payload={"agreement_id": agreement.id},
                audit=Audit("sign", "supervision_agreement", agreement.id, rel.supervisee_id),
            ),
        )
        done.next_task_ids  # the human tasks the action put in someone's inbox"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.engine.reconcile import reconcile_in_session
from models.events import Event
from models.tables.audit import AuditEntry
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.outbox import OutboxEvent


@dataclass(frozen=True)
class Audit:
    """Who did what to which record, about whom (the audit trail, and the
    subject's "who opened my records")."""

    action: str  # "sign", "record", "amend", ...
    object_type: str  # "supervision_agreement"
    object_id: int | str
    subject_staff_id: int | None
    detail: str = ""


@dataclass(frozen=True)
class Finish:
    organisation_id: int
    actor_staff_id: int | None  # None: the system
    actor_user_id: int | None
    on: date
    completed: Iterable[HumanTask] = ()  # the open tasks the action did
    subjects: Collection[str] = ()  # whose facts changed (rel-42, staff-7, a case ID)
    lifecycles: Collection[str] = ()  # what to reconcile for them
    event: Event | None = None
    subject_id: int | str | None = None  # what the event is about (its resource's id)
    payload: Mapping[str, Any] = field(default_factory=dict)
    audit: Audit | None = None
    closed_reason: str = "completed in the inbox"


@dataclass(frozen=True)
class Finished:
    completed_task_ids: tuple[int, ...]
    next_task_ids: tuple[int, ...]


def open_tasks(
    session: Session, organisation_id: int, *, subject: str, kinds: Collection[str]
) -> list[HumanTask]:
    """A subject's open human tasks of these kinds (what an action may complete)."""
    return list(
        session.scalars(
            select(HumanTask)
            .where(
                HumanTask.organisation_id == organisation_id,
                HumanTask.subject == subject,
                HumanTask.kind.in_(list(kinds)),
                HumanTask.status.in_(OPEN_STATUSES),
            )
            .order_by(HumanTask.due_on, HumanTask.id)
        )
    )


def finish_action(session: Session, finish: Finish) -> Finished:
    """Complete, reconcile, announce and audit, in the caller's transaction."""
    actor = f"staff-{finish.actor_staff_id}" if finish.actor_staff_id else "system"
    completed = [t for t in finish.completed if t.is_open]
    for task in completed:
        task.complete(finish.actor_staff_id, finish.closed_reason)
    session.flush()
    created: tuple[int, ...] = ()
    if finish.subjects and finish.lifecycles:
        created = reconcile_in_session(
            session,
            organisation_id=finish.organisation_id,
            lifecycles=finish.lifecycles,
            as_of=finish.on,
            subjects=finish.subjects,
            actor=actor,
        ).created_ids
    if finish.event is not None:
        session.add(
            OutboxEvent(
                event=finish.event.name,
                resource_id=finish.event.resource(finish.subject_id),
                payload={
                    **finish.payload,
                    "organisation_id": finish.organisation_id,
                    "on": finish.on.isoformat(),
                },
            )
        )
    if finish.audit is not None:
        session.add(
            AuditEntry(
                actor_user_id=finish.actor_user_id,
                actor=actor,
                action=finish.audit.action,
                object_type=finish.audit.object_type,
                object_id=str(finish.audit.object_id),
                subject_staff_id=finish.audit.subject_staff_id,
                detail=finish.audit.detail,
            )
        )
    session.flush()
    return Finished(tuple(sorted(t.id for t in completed)), created)
