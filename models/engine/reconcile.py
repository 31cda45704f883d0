"""Apply the policy engine's obligations to human tasks: level-triggered and
idempotent (DESIGN.md, "The engine").

A reconcile works on a batch of units (policy/units.py): it reads their facts
back to their earliest open human task (models/engine/unit_facts.py), asks the
frontier engine what each owes (policy/frontier.py), then creates the missing
human tasks (insert on conflict do nothing, on the obligation's stable key),
closes the met and the no-longer-owed, reopens what is owed again, marks the
escalated, and stores when each unit next needs looking at. Each batch holds
the organisation's row lock for its transaction, so two runs at once
serialise instead of racing, and a run that dies half-way rolls back to where
its batch started; the next run finds the same work and does it once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from models.base import utcnow
from models.db import get_sessionmaker
from models.engine import reconcile_scope as scope
from models.engine.among import among
from models.engine.bulk import insert_new
from models.engine.existing_tasks import existing_tasks, open_since
from models.engine.lead_times import FALLBACK_LEAD_DAYS, is_in_inbox_window, lead_days
from models.engine.task_teams import task_teams
from models.engine.task_values import TaskValues, cover_arrangements
from models.engine.unit_facts import load_unit_facts
from models.tables.human_task import HumanTask, HumanTaskStatus
from models.tables.org import Organisation
from policy import load_profile
from policy.engine import LIFECYCLES, check_lifecycles
from policy.frontier import evaluate
from policy.keys import parse_fact_id
from policy.obligations import ObligationStatus
from policy.units import Unit


@dataclass(frozen=True)
class ReconcileResult:
    created: tuple[str, ...] = ()
    created_ids: tuple[int, ...] = ()  # the new human tasks' ids, for "what is next"
    completed: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    reopened: tuple[str, ...] = ()
    escalated: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    units: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.created,
                self.completed,
                self.cancelled,
                self.reopened,
                self.escalated,
                self.updated,
            )
        )

    def __add__(self, other: ReconcileResult) -> ReconcileResult:
        return ReconcileResult(
            *(
                tuple(getattr(self, name)) + tuple(getattr(other, name))
                for name in (
                    "created",
                    "created_ids",
                    "completed",
                    "cancelled",
                    "reopened",
                    "escalated",
                    "updated",
                )
            ),
            units=self.units + other.units,
        )


def organisation_ids(session_factory: sessionmaker | None = None) -> list[int]:
    with (session_factory or get_sessionmaker())() as session:
        return list(session.scalars(select(Organisation.id).order_by(Organisation.id)))


def lock_organisation(session: Session, organisation_id: int, *, shared=False) -> Organisation:
    """Serialise writers per organisation. On PostgreSQL a row lock; on SQLite
    the connection already began with BEGIN IMMEDIATE (models/db.py).

    A batch of a run takes it shared: batches own disjoint units (and so
    disjoint human tasks), so two runners work on one organisation at once,
    while an action (which takes it exclusively) waits for them, and they
    for it."""
    org = session.scalars(
        select(Organisation).where(Organisation.id == organisation_id).with_for_update(read=shared)
    ).one_or_none()
    if org is None:
        raise LookupError(f"No organisation with id {organisation_id}")
    return org


def reconcile(
    *,
    organisation_id: int,
    lifecycles: Collection[str],
    as_of: date,
    subjects: Collection[str] | None = None,
    actor: str = "system",
    session_factory: sessionmaker | None = None,
) -> ReconcileResult:
    """One transaction: compute what is owed and make the human tasks match."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        lock_organisation(session, organisation_id)
        return reconcile_in_session(
            session,
            organisation_id=organisation_id,
            lifecycles=lifecycles,
            as_of=as_of,
            subjects=subjects,
            actor=actor,
        )


def reconcile_in_session(
    session: Session,
    *,
    organisation_id: int,
    lifecycles: Collection[str],
    as_of: date,
    subjects: Collection[str] | None = None,
    actor: str = "system",
    batch_size: int = 500,
    facts_changed: bool = True,
) -> ReconcileResult:
    """The reconcile inside a caller's transaction, for some subjects (the web
    app's actions: the fact, the completion and the next step commit together)
    or for the whole organisation. The caller holds the organisation's lock.

    For subjects, `facts_changed` logs their units as changed, so the other
    lifecycles' next daily runs look at them too (an action changed a fact)."""
    lifecycles = check_lifecycles(lifecycles)
    if subjects is None:
        batches = list(scope.all_units(session, organisation_id, lifecycles, batch_size))
    else:
        units = scope.units_for_subjects(session, subjects, lifecycles)
        if facts_changed:
            scope.mark_changed(session, organisation_id, units)
        batches = [[u for u in units if u.kind == kind] for kind in scope.kinds_of(lifecycles)]
    result = ReconcileResult()
    for batch in batches:
        if batch:
            result += reconcile_units(
                session,
                organisation_id=organisation_id,
                units=batch,
                lifecycles=lifecycles,
                as_of=as_of,
                actor=actor,
            )
    return result


def reconcile_units(
    session: Session,
    *,
    organisation_id: int,
    units: Sequence[Unit],
    lifecycles: Sequence[str],
    as_of: date,
    actor: str = "system",
) -> ReconcileResult:
    """Make the human tasks of one batch of units (all of one kind) match what
    they owe. The caller holds the organisation's lock."""
    lifecycles = _lifecycles_of_kinds(lifecycles, units)
    profile = load_profile(session.get(Organisation, organisation_id).profile)
    subjects = scope.subjects_of(session, units)
    all_subjects = sorted(set().union(*subjects.values()))
    since = open_since(session, organisation_id, lifecycles, units, subjects)
    facts = load_unit_facts(
        session,
        organisation_id,
        units,
        profile=profile,
        as_of=as_of,
        since=since,
        lifecycles=lifecycles,
    )
    results = [
        evaluate(profile, u, facts[u], as_of, lifecycles=lifecycles, since=since[u]) for u in units
    ]
    obligations = [o for r in results for o in r.obligations]
    owed = {o.key: o for o in obligations if o.status is not ObligationStatus.MET}
    met = {o.key for o in obligations if o.status is ObligationStatus.MET}
    existing = existing_tasks(
        session, organisation_id, lifecycles, all_subjects, sorted(owed.keys() | met)
    )
    values = TaskValues(
        session,
        obligations,
        as_of=as_of,
        covers=cover_arrangements(session, organisation_id, as_of),
        case_workers=_case_workers(facts),
    )
    teams, window = task_teams(session, values, obligations), lead_days()
    to_create = _missing_in_window(owed, existing, as_of, window)
    overdue = {o.escalates for o in owed.values() if o.escalates}
    inserted = _insert(session, organisation_id, to_create, values, teams, actor, overdue)
    closed = _close_and_refresh(existing, owed, met, values, teams)
    escalated = _mark_escalated(session, organisation_id, overdue - dict(inserted).keys())
    scope.write_wakes(
        session,
        organisation_id,
        _wakes(results, existing.keys() | dict(inserted).keys(), values, as_of, window),
    )
    session.flush()
    return ReconcileResult(
        created=tuple(key for key, _id in inserted),
        created_ids=tuple(sorted(task_id for _key, task_id in inserted)),
        escalated=tuple(sorted(escalated + [key for key, _id in inserted if key in overdue])),
        units=len(units),
        **closed,
    )


def _lifecycles_of_kinds(lifecycles: Sequence[str], units: Sequence[Unit]) -> list[str]:
    """Only the lifecycles with rules for these kinds of unit: a team named after
    its line manager has their subject ("staff-7"), and would otherwise close
    that person's own open tasks as no longer owed."""
    kinds = {u.kind for u in units}
    return [name for name in lifecycles if kinds & set(LIFECYCLES[name])]


def _missing_in_window(owed, existing, as_of: date, window) -> dict:
    """The owed obligations with no human task yet that are due to be in an inbox."""
    return {
        k: o for k, o in owed.items() if k not in existing and is_in_inbox_window(o, as_of, window)
    }


def _case_workers(facts) -> dict[str, int]:
    return {
        c.id: parse_fact_id(c.worker, "staff")
        for unit_facts in facts.values()
        for c in unit_facts.cases
        if parse_fact_id(c.worker, "staff") is not None
    }


def _insert(
    session, organisation_id, owed, values: TaskValues, teams, actor, overdue
) -> list[tuple[str, int]]:
    """Create the human tasks; one whose overdue work is escalated by this
    same reconcile is created escalated, as the update of an open one would
    leave it (a first run finds much of its work already escalated)."""
    now = utcnow()
    rows = [
        {
            "key": key,
            "organisation_id": organisation_id,
            "created_by": actor,
            "created_at": now,
            **(_escalated(now) if key in overdue else _OPEN),
            **values.values(obligation),
            "team_id": teams[key],
        }
        for key, obligation in sorted(owed.items())
    ]
    inserted = insert_new(
        session,
        HumanTask.__table__,
        [_column_values(r) for r in rows],
        unique=("organisation_id", "key"),
        returning=("key", "id"),
    )
    return sorted(inserted)


def _column_values(row: dict) -> dict:
    """Attribute values as the table's column values (enums as their values)."""
    return {name: (v.value if isinstance(v, Enum) else v) for name, v in row.items()}


def _close_and_refresh(existing, owed, met, values: TaskValues, teams) -> dict[str, tuple]:
    now = utcnow()
    out: dict[str, list[str]] = defaultdict(list)
    for key, task in sorted(existing.items()):
        obligation = owed.get(key)
        if obligation is None:
            if task.is_open:
                done = key in met
                task.status = HumanTaskStatus.COMPLETED if done else HumanTaskStatus.CANCELLED
                task.completed_at = now
                task.closed_reason = "met" if done else "no longer owed"
                out["completed" if done else "cancelled"].append(key)
            continue
        if not task.is_open:
            task.status = HumanTaskStatus.OPEN
            task.completed_at = None
            task.completed_by_id = None
            task.closed_reason = None
            out["reopened"].append(key)
        # The team follows the case's worker (a reallocation) or the person's move.
        moved = task.team_id != teams[key]
        if moved:  # an unchanged task stays clean: the flush then skips it
            task.team_id = teams[key]
        if values.refresh(task, obligation) or moved:
            out["updated"].append(key)
    return {name: tuple(out[name]) for name in ("completed", "cancelled", "reopened", "updated")}


_OPEN = {"status": HumanTaskStatus.OPEN, "escalated_at": None, "escalation_level": 0}


def _escalated(now, level=1) -> dict:
    """A task's columns once its overdue state has gone up the chain: a new
    task's first escalation, or `level` (an expression) for an existing one."""
    return {"status": HumanTaskStatus.ESCALATED, "escalated_at": now, "escalation_level": level}


def _mark_escalated(session, organisation_id, overdue) -> list[str]:
    """Escalate the open tasks whose overdue work now has an escalation."""
    if not overdue:
        return []
    keys = list(
        session.scalars(
            update(HumanTask)
            .where(
                HumanTask.organisation_id == organisation_id,
                among(HumanTask.key, sorted(overdue)),
                HumanTask.status == HumanTaskStatus.OPEN,
            )
            .values(_escalated(utcnow(), HumanTask.escalation_level + 1))
            .returning(HumanTask.key)
            .execution_options(synchronize_session=False)
        )
    )
    return sorted(keys)


def _wakes(results, tasked, values: TaskValues, as_of: date, window) -> dict:
    """(lifecycle, unit key) -> the next day the unit's human tasks for that
    lifecycle can change with no new fact: what the engine said, the day an
    owed obligation enters the inbox, the day a cover arrangement moves it."""
    wakes = {}
    for result in results:
        days = {name: [day] if day else [] for name, day in result.wakes.items()}
        for o in result.obligations:
            if o.status is ObligationStatus.MET or o.lifecycle not in days:
                continue
            lead = window.get(o.lifecycle, FALLBACK_LEAD_DAYS)
            if o.key not in tasked and lead is not None:
                days[o.lifecycle].append(date.fromordinal(o.due.toordinal() - lead))
            days[o.lifecycle] += values.cover_changes.get(parse_fact_id(o.assignee, "staff"), [])
        for name, found in days.items():
            later = [d for d in found if d > as_of]
            wakes[(name, result.unit.key)] = min(later, default=None)
    return wakes
