"""Importing a file of staff, supervision relationships or case allocations:
one transaction that applies every row through the same functions as the
admin pages (admin_staff, admin_relationships, admin_cases), then either
commits and ends in the unit of work, or rolls back.

All or nothing by default: a file with any bad row changes nothing, and each
bad row is reported with its row and column. With `partial`, the good rows
are imported and the audit entry says how many were refused. A dry run (the
preview) runs the very same code and rolls back, so what it counts is what
the import would do. A row the database already holds changes nothing, so
importing the same file twice is a no-op the second time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.admin_changes import (
    EVERY_LIFECYCLE,
    Actor,
    Changes,
    Summary,
    actor_for_login,
    command_line_actor,
    finish_changes,
)
from models.actions.admin_import_cases import apply_case_rows
from models.actions.admin_import_people import apply_staff_rows
from models.actions.admin_import_relationships import apply_relationship_rows
from models.actions.admin_import_rows import (
    ImportRow,
    Problems,
    Progress,
    ReconcileProgress,
    RowProblem,
)
from models.actions.cases import CASE_LIFECYCLES
from models.actions.errors import ActionError
from models.db import get_sessionmaker
from models.engine import reconcile_scope as scope
from models.engine.reconcile import lock_organisation
from models.engine.reconcile_runs import UnitBatch, batch_size, run_batch
from policy.keys import staff_fact_id
from policy.units import Unit

KINDS = ("staff", "relationships", "cases")
# An import touching more subjects than this (a file, not a few rows) is
# reconciled in the engine's batches after it commits: one transaction for
# 25,000 cases held the organisation's lock for the whole reconcile, with
# every new human task in memory at once.
RECONCILE_IN_BATCHES_FROM = 500
TEAMS_READ_AT_ONCE = 5000  # an organisation's teams, read in pages this size


@dataclass
class ImportOutcome:
    kind: str
    rows: int
    changes: Changes
    problems: list[RowProblem]
    applied: bool
    partial: bool
    refused_rows: int

    @property
    def counts(self) -> dict[str, int]:
        return self.changes.counts() | {"refused": self.refused_rows}


class _RollBack(Exception):
    def __init__(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome


APPLIERS = {
    "staff": apply_staff_rows,
    "relationships": apply_relationship_rows,
    "cases": apply_case_rows,
}


def run_import(
    kind: str,
    rows: Iterable[ImportRow],
    *,
    on: date,
    source: str,
    organisation_slug: str | None = None,
    actor_user_id: int | None = None,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
    reconcile_progress: ReconcileProgress | None = None,
    session_factory: sessionmaker | None = None,
) -> ImportOutcome:
    """Apply the rows in one transaction; commit only when asked to and all
    is well (or, with `partial`, for the good rows); then reconcile what a
    large file touched, saying how far it has gone."""
    if kind not in KINDS:
        raise ValueError(f"an import is one of {KINDS}, not {kind!r}")
    try:
        with (session_factory or get_sessionmaker())() as session, session.begin():
            actor = _actor(session, organisation_slug, actor_user_id)
            lock_organisation(session, actor.organisation_id)
            changes, problems = Changes(on=on, announce_each=False), Problems()
            count = APPLIERS[kind](session, actor, rows, changes, problems, progress or _quiet)
            outcome = ImportOutcome(
                kind, count, changes, problems.found, False, partial, len(problems.rows)
            )
            if dry_run or (problems.rows and not partial):
                raise _RollBack(outcome)
            touched = _finish(session, actor, on, kind, source, outcome) if changes.any else None
            outcome.applied = True
    except _RollBack as stopped:
        return stopped.outcome
    if touched is not None:
        _reconcile_in_batches(touched, session_factory, reconcile_progress or _quiet_reconcile)
    return outcome


def _actor(session: Session, slug: str | None, user_id: int | None) -> Actor:
    if user_id is not None:
        actor = actor_for_login(session, user_id)
        if slug is not None and command_line_actor(session, slug).organisation_id != (
            actor.organisation_id
        ):
            raise ActionError("That login is not in that organisation.")
        return actor
    if slug is None:
        raise ActionError("Say which organisation to import into.")
    return command_line_actor(session, slug)


@dataclass(frozen=True)
class _Touched:
    """The units a large import changed, to reconcile once it has committed."""

    organisation_id: int
    lifecycles: tuple[str, ...]
    on: date
    units: tuple[Unit, ...]
    actor: str


def _reconcile_in_batches(
    touched: _Touched, session_factory: sessionmaker | None, progress: ReconcileProgress
) -> None:
    """The engine's batches (reconcile_runs.run_batch): each its own short
    transaction under the organisation's shared lock, so memory is bounded by
    a batch and the web app is not held up for the whole reconcile. Should a
    run stop half-way, the units were logged as changed with the import, and
    the lifecycles' next daily run reconciles the rest."""
    done, total = 0, len(touched.units)
    progress(done, total)
    for kind in scope.kinds_of(touched.lifecycles):
        keys = sorted(u.key for u in touched.units if u.kind == kind)
        size = batch_size(kind)
        for start in range(0, len(keys), size):
            batch = tuple(keys[start : start + size])
            run_batch(
                touched.organisation_id,
                touched.lifecycles,
                touched.on,
                UnitBatch(kind, batch),
                actor=touched.actor,
                session_factory=session_factory,
            )
            done += len(batch)
            progress(done, total)


def _finish(
    session: Session, actor: Actor, on: date, kind: str, source: str, outcome: ImportOutcome
) -> _Touched | None:
    """Audit the import and reconcile what it touched: in this transaction,
    like any action, when it touched a few subjects; a large file's units are
    logged as changed here and reconciled in batches once it has committed
    (the units to reconcile then)."""
    counts = ", ".join(f"{n} {name}" for name, n in outcome.counts.items())
    detail = f"Imported {kind} from {source}: {counts}."
    if outcome.refused_rows:
        detail += (
            f" Partial import: {outcome.refused_rows} bad rows were refused and not imported"
            f" (rows {', '.join(str(r) for r in sorted({p.row for p in outcome.problems})[:50])})."
        )
    lifecycles = tuple(sorted(CASE_LIFECYCLES)) if kind == "cases" else EVERY_LIFECYCLE
    touched = None
    if len(outcome.changes.subjects) > RECONCILE_IN_BATCHES_FROM:
        units = _units_touched(session, actor.organisation_id, outcome.changes.subjects, lifecycles)
        scope.mark_changed(session, actor.organisation_id, units)
        actor_name = staff_fact_id(actor.staff_id) if actor.staff_id else "system"
        touched = _Touched(actor.organisation_id, lifecycles, on, tuple(units), actor_name)
    finish_changes(
        session,
        actor,
        on,
        outcome.changes,
        lifecycles=() if touched else lifecycles,
        summary=Summary("import", f"{kind}_import", source[:60], None, detail),
        # One event for the whole file: the organisation's changed-only run.
        event=events.IMPORT_APPLIED,
        subject_id=actor.organisation_id,
        payload={"kind": kind, "counts": outcome.counts},
    )
    return touched


def _units_touched(
    session: Session, organisation_id: int, subjects: Iterable[str], lifecycles: tuple[str, ...]
) -> list[Unit]:
    """The units the subjects belong to, less the teams named after a person
    (scope.units_for_subjects: where the case-file audit names a team after
    its line manager) that are no team of the organisation's: no case held in
    them, no open task. Each person's such "team" was a batch of the
    reconcile that could find nothing to do: a staff file of 2,000 new people
    reconciled 2,000 of them."""
    units = scope.units_for_subjects(session, subjects, lifecycles)
    if not any(unit.kind == "team" for unit in units):
        return units
    teams = {
        unit.key
        for batch in scope.all_units(
            session, organisation_id, lifecycles, TEAMS_READ_AT_ONCE, kinds=("team",)
        )
        for unit in batch
    }
    return [unit for unit in units if unit.kind != "team" or unit.key in teams]


def _quiet(_rows: int) -> None:
    return None


def _quiet_reconcile(_done: int, _total: int) -> None:
    return None
