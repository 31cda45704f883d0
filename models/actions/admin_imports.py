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
from models.actions.admin_import_people import apply_relationship_rows, apply_staff_rows
from models.actions.admin_import_rows import ImportRow, Problems, Progress, RowProblem
from models.actions.cases import CASE_LIFECYCLES
from models.actions.errors import ActionError
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation

KINDS = ("staff", "relationships", "cases")


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
    session_factory: sessionmaker | None = None,
) -> ImportOutcome:
    """Apply the rows in one transaction; commit only when asked to and all
    is well (or, with `partial`, for the good rows)."""
    if kind not in KINDS:
        raise ValueError(f"an import is one of {KINDS}, not {kind!r}")
    try:
        with (session_factory or get_sessionmaker())() as session, session.begin():
            actor = _actor(session, organisation_slug, actor_user_id)
            lock_organisation(session, actor.organisation_id)
            changes, problems = Changes(), Problems()
            count = APPLIERS[kind](session, actor, rows, changes, problems, progress or _quiet)
            outcome = ImportOutcome(
                kind, count, changes, problems.found, False, partial, len(problems.rows)
            )
            if dry_run or (problems.rows and not partial):
                raise _RollBack(outcome)
            if changes.any:
                _finish(session, actor, on, kind, source, outcome)
            outcome.applied = True
            return outcome
    except _RollBack as stopped:
        return stopped.outcome


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


def _finish(
    session: Session, actor: Actor, on: date, kind: str, source: str, outcome: ImportOutcome
) -> None:
    counts = ", ".join(f"{n} {name}" for name, n in outcome.counts.items())
    detail = f"Imported {kind} from {source}: {counts}."
    if outcome.refused_rows:
        detail += (
            f" Partial import: {outcome.refused_rows} bad rows were refused and not imported"
            f" (rows {', '.join(str(r) for r in sorted({p.row for p in outcome.problems})[:50])})."
        )
    finish_changes(
        session,
        actor,
        on,
        outcome.changes,
        lifecycles=CASE_LIFECYCLES if kind == "cases" else EVERY_LIFECYCLE,
        summary=Summary("import", f"{kind}_import", source[:60], None, detail),
    )


def _quiet(_rows: int) -> None:
    return None
