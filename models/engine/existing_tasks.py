"""A batch's human tasks as they are before a reconcile changes them: the
day each unit's earliest open task opened (what its facts are read back to),
and the open tasks and the tasks for the obligations it owes or has met."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.engine.among import MOST_VALUES, among
from models.engine.history_bounds import FAR_PAST
from models.tables.human_task import OPEN_STATUSES, HumanTask
from policy.units import Unit

# The reads here take the batch's keys as a list (among), not as a relation to
# join: where the planner's statistics have not yet seen an organisation (each
# new council of a national first run) it believes the organisation holds one
# row, and a join would read the keys again for each of its rows (a national
# first run took 919 s against 391 s).


def open_since(
    session: Session, organisation_id: int, lifecycles, units, subjects
) -> dict[Unit, dict[str, date]]:
    """Per unit and lifecycle, the day its earliest open human task opened."""
    all_subjects = sorted(set().union(*subjects.values()))
    opened = _open_since(session, organisation_id, lifecycles, all_subjects)
    return _since_by_unit(units, subjects, opened)


def _since_by_unit(units, subjects, opened) -> dict[Unit, dict[str, date]]:
    """Per unit and lifecycle, the day its earliest open human task opened."""
    units_of: dict[str, list[Unit]] = {}
    for u in units:
        for subject in subjects[u]:
            units_of.setdefault(subject, []).append(u)
    since: dict[Unit, dict[str, date]] = {u: {} for u in units}
    for (subject, lifecycle), day in opened.items():
        for u in units_of.get(subject, ()):
            since[u][lifecycle] = min(day, since[u].get(lifecycle, day))
    return since


def _open_since(session, organisation_id, lifecycles, subjects) -> dict[tuple, date]:
    """Per subject and lifecycle, the day its earliest open human task opened
    (a task that predates opens_on being recorded counts from the beginning)."""
    opened = func.min(func.coalesce(HumanTask.opens_on, FAR_PAST))
    return {
        (subject, lifecycle): day
        for subject, lifecycle, day in session.execute(
            select(HumanTask.subject, HumanTask.lifecycle, opened)
            .where(
                HumanTask.organisation_id == organisation_id,
                HumanTask.lifecycle.in_(lifecycles),
                HumanTask.status.in_(OPEN_STATUSES),
                among(HumanTask.subject, subjects),
            )
            .group_by(HumanTask.subject, HumanTask.lifecycle)
        )
    }


def existing_tasks(session, organisation_id, lifecycles, subjects, keys) -> dict[str, HumanTask]:
    """The batch's open human tasks, and any task (open or not) for an
    obligation it owes or has met, locked for this transaction. Two queries,
    each served by its own index, rather than one with an OR that neither serves."""
    found: dict[str, HumanTask] = {}
    in_batch = [
        HumanTask.organisation_id == organisation_id,
        HumanTask.lifecycle.in_(lifecycles),
    ]
    queries = [
        select(HumanTask).where(
            *in_batch, among(HumanTask.subject, subjects), HumanTask.status.in_(OPEN_STATUSES)
        )
    ]
    queries += [
        select(HumanTask).where(*in_batch, among(HumanTask.key, keys[start : start + MOST_VALUES]))
        for start in range(0, len(keys), MOST_VALUES)
    ]
    for query in queries:
        for task in session.scalars(query.order_by(HumanTask.id).with_for_update()):
            found[task.key] = task
    return found
