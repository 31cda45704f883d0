"""Applying a case-allocations file in batches, through the admin pages' own
functions (allocate_in_session, close_in_session), inside the import's
transaction (admin_imports.run_import). A batch's open allocations are read
in one query, and its new rows' audit entries written in one INSERT before
the next batch is read, so a file of tens of thousands of cases streams
through in bounded memory: what is kept between batches is the case IDs seen
(to refuse a case twice), the counts and the non-new changes for the preview."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actions.admin_cases import allocate_in_session, close_in_session
from models.actions.admin_changes import Actor, Changes, may_change_staff
from models.actions.admin_import_people import staff_by_number
from models.actions.admin_import_rows import ImportRow, Problems, Progress
from models.actions.admin_staff import FieldProblem
from models.actions.errors import ActionError
from models.tables.cases import CaseAllocation

BATCH = 1000


def _batches(rows: Iterable[ImportRow]) -> Iterator[list[ImportRow]]:
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        yield batch


def _open_allocations(session: Session, organisation_id: int, refs: list[str]):
    return {
        a.case_ref: a
        for a in session.scalars(
            select(CaseAllocation).where(
                CaseAllocation.organisation_id == organisation_id,
                CaseAllocation.case_ref.in_(refs),
                CaseAllocation.ended_on.is_(None),
            )
        )
    }


def apply_case_rows(
    session: Session,
    actor: Actor,
    rows: Iterable[ImportRow],
    changes: Changes,
    problems: Problems,
    progress: Progress,
) -> int:
    workers = staff_by_number(session, actor.organisation_id)
    seen: dict[str, int] = {}
    count = 0
    for batch in _batches(rows):
        good = []
        for row in batch:
            if problems.refuses(row):
                continue
            ref = row.values["case_id"]
            if ref in seen:
                problems.add(row.row, "case_id", f"Case {ref} is also on row {seen[ref]}.")
                continue
            seen[ref] = row.row
            good.append(row)
        current = _open_allocations(
            session, actor.organisation_id, [r.values["case_id"] for r in good]
        )
        for row in good:
            try:
                _apply_case_row(session, actor, row, workers, current, changes)
            except ActionError as problem:
                problems.add(row.row, getattr(problem, "field", "case_id"), str(problem))
        changes.settle(session, actor, "import")
        # The batch's rows are written: let them go (the workers stay loaded, detached).
        session.expunge_all()
        count += len(batch)
        progress(count)
    return count


def _apply_case_row(session, actor, row: ImportRow, workers, current, changes: Changes) -> None:
    values = row.values
    worker = workers.get(values["worker"])
    if worker is None:
        raise FieldProblem("worker", f"Worker {values['worker']} is not in the database.")
    if not may_change_staff(session, actor, worker):
        raise FieldProblem("worker", "This worker is outside the service areas you head.")
    held = current.get(values["case_id"])
    # (A whole-organisation actor may change any case: no need to load its worker.)
    if (
        held is not None
        and actor.area_ids is not None
        and not may_change_staff(session, actor, held.worker)
    ):
        raise FieldProblem("case_id", "This case's worker is outside the service areas you head.")
    closed_on = values.get("closed_on")
    if closed_on is not None and held is None:
        changes.unchanged += 1  # closed in the case system and not open here: nothing to do
        return
    if closed_on is not None and closed_on < values["allocated_on"]:
        raise FieldProblem("closed_on", "A case cannot close before it was allocated.")
    allocation = allocate_in_session(
        session,
        actor,
        values["case_id"],
        values["case_type"],
        worker,
        values["allocated_on"],
        changes,
        held,
    )
    if closed_on is not None:
        if allocation.id is None:
            session.flush()
        close_in_session(allocation, closed_on, changes)
