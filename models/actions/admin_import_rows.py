"""A row of an import file as the appliers take it, the problems found
with rows, by row and field (models/imports reads the file and names the
file's own columns), the batches the appliers write the rows in, and whose
records the importer may change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actions.admin_changes import Actor
from models.tables.org import Team

# Rows written together: a few statements a batch, whatever its size.
BATCH = 1000

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


def batches(rows: Iterable[ImportRow], size: int = BATCH) -> Iterator[list[ImportRow]]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


class TeamsInScope:
    """Whose records the actor may change: a head of service, those of the
    people in the teams of the areas they head (the teams read once)."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.teams: set[int] | None = None
        if actor.area_ids is not None:
            self.teams = set(
                session.scalars(select(Team.id).where(Team.service_area_id.in_(actor.area_ids)))
            )

    def may_change(self, team_id: int | None) -> bool:
        """Whether the actor may change the records of someone in this team."""
        return self.teams is None or team_id in self.teams
