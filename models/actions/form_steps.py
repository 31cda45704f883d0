"""The steps inside a form that the engine does not owe: the supervisee's
preparation for an observation, the observer's feedback, the two signatures,
the line manager's reading of a forwarded annual review. Each is a human task
an action opens for the next person, keyed by the record and the step
(policy/keys.py), so it is created once however often the action runs, and
completed by its key. Their lifecycles are never reconciled by the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables.human_task import HumanTask, HumanTaskStatus
from policy.keys import staff_fact_id

# The seeds set no deadline for writing up an observation or reading a
# forwarded review. National practice, and Lancashire's own deadline for
# sharing a supervision record (§1.8, "within 2 weeks"), is a fortnight: each
# step is due two weeks after the step before it.
STEP_DAYS = 14
CREATED_BY = "oversight-form"


@dataclass(frozen=True)
class Step:
    """A step's human task: whose it is, when it is due, and why."""

    organisation_id: int
    key: str
    lifecycle: str
    kind: str
    title: str
    assignee_id: int
    subject_staff_id: int
    due_on: date
    rule: str
    source: str
    rule_text: str
    payload: dict
    relationship_id: int | None = None


def open_step(session: Session, step: Step) -> int | None:
    """Open the step's human task unless it was opened before; the new task's
    id, or None when it was there already."""
    opened = select(HumanTask.id).where(
        HumanTask.organisation_id == step.organisation_id, HumanTask.key == step.key
    )
    if session.scalar(opened) is not None:
        return None
    task = HumanTask(
        organisation_id=step.organisation_id,
        key=step.key,
        kind=step.kind,
        lifecycle=step.lifecycle,
        title=step.title[:300],
        subject=staff_fact_id(step.subject_staff_id),
        relationship_id=step.relationship_id,
        subject_staff_id=step.subject_staff_id,
        assignee_id=step.assignee_id,
        due_on=step.due_on,
        status=HumanTaskStatus.OPEN,
        rule=step.rule,
        source=step.source,
        rule_text=step.rule_text,
        payload=step.payload,
        created_by=CREATED_BY,
    )
    session.add(task)
    session.flush()
    return task.id


def open_task_by_key(session: Session, organisation_id: int, key: str) -> HumanTask | None:
    """The organisation's human task with this key while it is still open (what
    a step completes); a key is unique only within its organisation."""
    task = session.scalars(
        select(HumanTask).where(HumanTask.organisation_id == organisation_id, HumanTask.key == key)
    ).one_or_none()
    return task if task is not None and task.is_open else None
