"""Which human task an action answers: the one the inbox's link named by its
key, or else the subject's earliest open task of the kind. The action hands
what it found to unit_of_work.finish_action, which completes the open ones."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actions.unit_of_work import open_tasks
from models.tables.human_task import HumanTask


def task_by_key(
    session: Session,
    organisation_id: int,
    key: str | None,
    kinds: Collection[str] | None = None,
) -> HumanTask | None:
    """The organisation's human task with this key (open or not), if it is of
    one of `kinds`; a key is unique only within its organisation (two councils
    can hold the same case ID)."""
    if not key:
        return None
    task = session.scalars(
        select(HumanTask).where(HumanTask.organisation_id == organisation_id, HumanTask.key == key)
    ).one_or_none()
    if task is None or (kinds is not None and task.kind not in kinds):
        return None
    return task


def earliest_open(
    session: Session, organisation_id: int, subject: str, kind: str
) -> HumanTask | None:
    """The subject's open human task of this kind that falls due first."""
    found = open_tasks(session, organisation_id, subject=subject, kinds={kind})
    return found[0] if found else None


def answered(task: HumanTask | None) -> list[HumanTask]:
    """The task as the list finish_action completes (empty for none)."""
    return [task] if task is not None else []
