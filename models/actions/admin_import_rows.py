"""A row of an import file as the appliers take it, and the problems found
with rows, by row and field (models/imports reads the file and names the
file's own columns)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int], None]  # rows read so far
# Units reconciled so far of all a large import touched (0 when the reconcile starts).
ReconcileProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowProblem:
    row: int  # the file's row number, the header being row 1
    field: str  # our name for the column (the mapping says the file's)
    message: str


@dataclass
class ImportRow:
    """One row of the file, its values by our field names, and what was wrong
    with it before the database was asked."""

    row: int
    values: dict[str, Any]
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class Problems:
    """Every bad row's problems, in the order found; a row with any is refused."""

    found: list[RowProblem] = field(default_factory=list)
    rows: set[int] = field(default_factory=set)

    def add(self, row: int, field_name: str, message: str) -> None:
        self.found.append(RowProblem(row, field_name, message))
        self.rows.add(row)

    def extend(self, problems: Iterable[RowProblem]) -> None:
        for problem in problems:
            self.add(problem.row, problem.field, problem.message)

    def refuses(self, row: ImportRow) -> bool:
        if row.problems:
            self.extend(row.problems)
        return row.row in self.rows
