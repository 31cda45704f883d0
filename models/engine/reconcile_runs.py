"""A whole organisation's reconcile, cut into batches: plan the batches (key
ranges of units of one kind), reconcile each in its own transaction under the
organisation's lock, then advance the lifecycles' watermark. Prefect runs the
batches as task runs (tasks/reconcile.py); `reconcile_organisation` runs them
one after another without Prefect, for the command line and the benchmark.

A plan lists its units' keys (short strings: a few megabytes for the largest
council), and each batch's facts are read when it runs.

A full run looks at every unit. A touched run looks only at the units whose
facts changed since the lifecycles' watermark or whose wake date has come;
the first run of a lifecycle for an organisation is always full. Either way a
unit's human tasks end up as a full run leaves them."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from models.db import get_sessionmaker
from models.engine import reconcile_scope as scope
from models.engine.reconcile import ReconcileResult, lock_organisation, reconcile_units
from models.tables.org import Organisation
from models.tables.reconcile_state import ReconcileWatermark
from policy import load_profile
from policy.collector import older_objects_frozen
from policy.engine import check_lifecycles
from policy.units import Unit

T = TypeVar("T")

# Units per batch: enough to amortise the queries, few enough that a batch's
# facts stay small and its transaction short (the web app waits on the lock).
BATCH_SIZE = {"person": 300, "case": 2000, "team": 50, "group": 100}


def batch_size(kind: str) -> int:
    override = os.environ.get("OVERSIGHT_RECONCILE_BATCH", "").strip()
    return int(override) if override.isdigit() and int(override) > 0 else BATCH_SIZE[kind]


@dataclass(frozen=True)
class UnitBatch:
    """A batch: units of one kind, by key, passed by value to whoever runs it."""

    kind: str
    keys: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def label(self) -> str:
        return f"{self.keys[0]}..{self.keys[-1]}" if self.keys else "none"


@dataclass(frozen=True)
class RunPlan:
    organisation_id: int
    lifecycles: tuple[str, ...]
    as_of: date
    touched_only: bool
    since_change: int  # changes after this one are "facts changed"
    up_to_change: int  # the watermark once every batch has run
    batches: tuple[UnitBatch, ...]

    @property
    def units(self) -> int:
        return sum(b.size for b in self.batches)


def _first_run(session: Session, organisation_id: int, lifecycles) -> bool:
    return any(
        session.get(ReconcileWatermark, (organisation_id, name)) is None for name in lifecycles
    )


def _units(session, plan: RunPlan, kind: str) -> Iterator[list[Unit]]:
    lifecycles = [n for n in plan.lifecycles if kind in scope.kinds_of([n])]
    if plan.touched_only:
        return scope.touched_units(
            session,
            plan.organisation_id,
            lifecycles,
            plan.as_of,
            batch_size(kind),
            plan.since_change,
            kinds=[kind],
        )
    return scope.all_units(
        session, plan.organisation_id, lifecycles, batch_size(kind), kinds=[kind]
    )


def plan_run(
    organisation_id: int,
    lifecycles: Sequence[str],
    as_of: date,
    *,
    touched_only: bool = False,
    session_factory: sessionmaker | None = None,
) -> RunPlan:
    """The batches of one organisation's run; reads unit keys only."""
    lifecycles = tuple(check_lifecycles(lifecycles))
    with (session_factory or get_sessionmaker())() as session:
        plan = RunPlan(
            organisation_id,
            lifecycles,
            as_of,
            touched_only and not _first_run(session, organisation_id, lifecycles),
            since_change=scope.watermark(session, organisation_id, lifecycles),
            up_to_change=scope.latest_change(session, organisation_id),
            batches=(),
        )
        profile = load_profile(session.get(Organisation, organisation_id).profile)
        batches = [
            UnitBatch(kind, tuple(u.key for u in units))
            for kind in scope.kinds_to_run(session, organisation_id, profile, lifecycles)
            for units in _units(session, plan, kind)
        ]
    return dataclasses.replace(plan, batches=tuple(batches))


def run_batch(
    organisation_id: int,
    lifecycles: Sequence[str],
    as_of: date,
    batch: UnitBatch,
    *,
    actor: str = "system",
    session_factory: sessionmaker | None = None,
) -> ReconcileResult:
    """One batch, one transaction, under the organisation's lock."""
    with (
        older_objects_frozen(),
        (session_factory or get_sessionmaker())() as session,
        session.begin(),
    ):
        lock_organisation(session, organisation_id, shared=True)
        return reconcile_units(
            session,
            organisation_id=organisation_id,
            units=[Unit.parse(key) for key in batch.keys],
            lifecycles=[n for n in lifecycles if batch.kind in scope.kinds_of([n])],
            as_of=as_of,
            actor=actor,
        )


def finish_run(plan: RunPlan, session_factory: sessionmaker | None = None) -> None:
    """Every batch has run: the changes up to the plan's are reconciled."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        lock_organisation(session, plan.organisation_id)
        scope.advance_watermark(session, plan.organisation_id, plan.lifecycles, plan.up_to_change)


def run_every_batch(
    plan: RunPlan,
    run_one: Callable[[UnitBatch], T],
    session_factory: sessionmaker | None = None,
) -> list[T]:
    """Each of a plan's batches in turn (each its own transaction), then the
    run's finish; what `run_one` gave for each batch, in order."""
    done = [run_one(batch) for batch in plan.batches]
    finish_run(plan, session_factory)
    return done


def reconcile_organisation(
    organisation_id: int,
    *,
    as_of: date,
    lifecycles: Sequence[str] | None = None,
    touched_only: bool = False,
    actor: str = "system",
    session_factory: sessionmaker | None = None,
) -> RunSummary:
    """Every batch of one organisation's run, one after another."""
    plan = plan_run(
        organisation_id,
        check_lifecycles(lifecycles),
        as_of,
        touched_only=touched_only,
        session_factory=session_factory,
    )
    results = run_every_batch(
        plan,
        lambda batch: run_batch(
            plan.organisation_id,
            plan.lifecycles,
            plan.as_of,
            batch,
            actor=actor,
            session_factory=session_factory,
        ),
        session_factory,
    )
    return RunSummary(plan, sum(results, ReconcileResult()))


@dataclass(frozen=True)
class RunSummary:
    plan: RunPlan
    result: ReconcileResult

    def __getattr__(self, name):
        return getattr(self.result, name)

    @property
    def batches(self) -> int:
        return len(self.plan.batches)

    @property
    def units(self) -> int:
        return self.plan.units
