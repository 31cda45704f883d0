"""Applying a case-allocations file in batches, through the admin pages' own
code path (admin_cases.apply_case_changes), inside the import's transaction
(admin_imports.run_import). Per batch of rows: the cases' allocations in
force read in one query, the rows checked against them in memory, then one
UPDATE for the allocations that end, one for changed categories, one INSERT
for the new allocations and one for their audit entries, before the next
batch is read. So a file of tens of thousands of cases streams through in
bounded memory and a few statements a thousand rows: what is kept between
batches is the people, the case IDs seen (to refuse a case twice), the
counts and the non-new changes for the preview."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from models.actions.admin_cases import (
    CaseChange,
    HeldCase,
    Worker,
    apply_case_changes,
    held_cases,
    workers_by_number,
)
from models.actions.admin_changes import Actor, Changes, FieldProblem
from models.actions.admin_import_rows import (
    ImportRow,
    Problems,
    Progress,
    TeamsInScope,
    batches,
)


def apply_case_rows(
    session: Session,
    actor: Actor,
    rows: Iterable[ImportRow],
    changes: Changes,
    problems: Problems,
    progress: Progress,
) -> int:
    workers = workers_by_number(session, actor.organisation_id)
    scope = TeamsInScope(session, actor)
    seen: dict[str, int] = {}
    count = 0

    def refuse(wanted: CaseChange, problem: FieldProblem) -> None:
        problems.add(wanted.row, problem.field, str(problem))

    for batch in batches(rows):
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
        held = held_cases(session, actor.organisation_id, [r.values["case_id"] for r in good])
        wanted = []
        for row in good:
            try:
                wanted.append(_wanted(row, workers, held, scope))
            except FieldProblem as problem:
                problems.add(row.row, problem.field, str(problem))
        apply_case_changes(session, actor, wanted, held, changes, refuse)
        changes.settle(session, actor, "import")
        count += len(batch)
        progress(count)
    return count


def _wanted(
    row: ImportRow, workers: dict[str, Worker], held: dict[str, HeldCase], scope: TeamsInScope
) -> CaseChange:
    """What the row asks of its case, if the actor may ask it."""
    values = row.values
    worker = workers.get(values["worker"])
    if worker is None:
        raise FieldProblem("worker", f"Worker {values['worker']} is not in the database.")
    if not scope.may_change(worker.team_id):
        raise FieldProblem("worker", "This worker is outside the service areas you head.")
    current = held.get(values["case_id"])
    if current is not None and not scope.may_change(current.worker.team_id):
        raise FieldProblem("case_id", "This case's worker is outside the service areas you head.")
    category = values.get("category")
    return CaseChange(
        values["case_id"],
        worker,
        values["case_type"],
        values["allocated_on"],
        values.get("closed_on"),
        sets_category="category" in values,
        category=None if category is None else category.value,
        row=row.row,
    )
