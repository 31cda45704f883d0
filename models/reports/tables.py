"""A figure as a table of cells, and the items behind one cell.

A figure's SELECT (models/reports/catalogue.py) yields one row per item with
labelled columns: `staff_id` (the person it is about), `team_id` (the team it
counts for), `outcome` (the column it counts under), the figure's dimensions,
and `ref`, `day`, `amount`, `days` (what a drill-down shows; `days` is
averaged, e.g. the days an escalation took to resolve). The table is that
SELECT grouped by dimensions and outcome (one row per cell comes back); the
items are the same SELECT filtered to one cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from models.reports.catalogue import Figure
from models.reports.records import STEP_LABELS
from models.reports.window import Period, ReportScope
from models.tables.org import ServiceArea, StaffMember, Team
from policy.kinds import KINDS

NO_TEAM = "No team"
SOURCES = {"quarterly_sample": "Quarterly sample", "record_audit": "Supervision record audit"}
# The most items a drill-down lists (a number bigger than this says so).
MOST_ITEMS = 500


@dataclass
class Cell:
    """One row of a figure: its dimensions' values (as the drill-down's
    query arguments) and labels, and its counts by outcome."""

    keys: dict[str, str]
    labels: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    days_total: float = 0.0
    days_counted: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, outcome: str | None) -> float | None:
        """The percentage counted under `outcome` (None: nothing to count)."""
        if outcome is None or not self.total:
            return None
        return round(100.0 * self.counts.get(outcome, 0) / self.total, 1)

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.days_counted, 1) if self.days_counted else None


@dataclass
class FigureTable:
    figure: Figure
    cells: list[Cell]
    note: str = ""
    # What its rows are broken down by: the figure's dimensions, or those
    # other than the team when the figure is shown without the team breakdown.
    dimensions: tuple[str, ...] | None = None

    def __post_init__(self):
        if self.dimensions is None:
            self.dimensions = self.figure.dimensions

    @property
    def by_team(self) -> bool:
        return "team_id" in self.dimensions

    @property
    def totals(self) -> Cell:
        whole = Cell(keys={}, labels=["All"])
        for cell in self.cells:
            for outcome, n in cell.counts.items():
                whole.counts[outcome] = whole.counts.get(outcome, 0) + n
            whole.days_total += cell.days_total
            whole.days_counted += cell.days_counted
        return whole


@dataclass(frozen=True)
class Item:
    staff_id: int | None
    name: str
    team: str
    outcome: str
    ref: str
    day: date | None
    amount: int | None


def figure_table(
    session: Session,
    figure: Figure,
    scope: ReportScope,
    period: Period,
    *,
    by_team: bool = True,
    labels: DimensionLabels | None = None,
) -> FigureTable:
    """The figure for this scope and period, one aggregate query; broken down
    by team too unless told not to (the whole organisation's page, where a
    row per team of a council would be thousands of rows). `labels`: the
    organisation's, when the caller reads them once for many figures."""
    dims = tuple(d for d in figure.dimensions if by_team or d != "team_id")
    rows = session.execute(figure_query(session, figure, scope, period, dims)).all()
    labels = labels or DimensionLabels(session, scope.organisation_id)
    return table_of_rows(figure, dims, rows, labels, figure.note_for(session, scope))


def table_of_rows(
    figure: Figure, dims: tuple[str, ...], rows, labels: DimensionLabels, note: str
) -> FigureTable:
    """The figure's table from its aggregate's rows (each the dimensions'
    values in `dims` order, then outcome, count, days summed and counted),
    computed live or kept (models/reports/summary.py)."""
    cells: dict[tuple, Cell] = {}
    for row in rows:
        values = tuple(row[: len(dims)])
        outcome, count, days_total, days_counted = row[len(dims) :]
        cell = cells.get(values)
        if cell is None:
            cell = cells[values] = Cell(
                keys={n: _key(v) for n, v in zip(dims, values, strict=True)},
                labels=[labels.of(n, v) for n, v in zip(dims, values, strict=True)],
            )
        cell.counts[outcome] = count
        cell.days_total += float(days_total or 0)
        cell.days_counted += days_counted
    ordered = sorted(cells.values(), key=lambda c: _order(dims, c))
    return FigureTable(figure, ordered, note=note, dimensions=dims)


def figure_query(
    session: Session,
    figure: Figure,
    scope: ReportScope,
    period: Period,
    dimensions: tuple[str, ...] | None = None,
) -> Select:
    """The figure's aggregate: its items grouped by dimensions (the figure's,
    unless told) and outcome, one row per cell (dimension values, outcome,
    count, days summed and counted)."""
    items = figure.items(session, scope, period).subquery()
    names = figure.dimensions if dimensions is None else dimensions
    dims = [items.c[name] for name in names]
    return (
        select(
            *dims,
            items.c.outcome,
            func.count().label("items"),
            func.sum(items.c.days).label("days_total"),
            func.count(items.c.days).label("days_counted"),
        )
        .where(scope.covers(items.c.team_id))
        .group_by(*dims, items.c.outcome)
    )


def figure_items(
    session: Session,
    figure: Figure,
    scope: ReportScope,
    period: Period,
    where: dict[str, str],
    outcome: str | None = None,
    *,
    limit: int | None = MOST_ITEMS,
) -> list[Item]:
    """The items behind one cell (dimension values as in Cell.keys), within
    scope: at most `limit` (None: all, for the evidence pack's logs)."""
    items = figure.items(session, scope, period).subquery()
    conditions = [scope.covers(items.c.team_id)]
    for name in figure.dimensions:
        if name in where:
            value = _value(where[name])
            column = items.c[name]
            conditions.append(column.is_(None) if value is None else column == value)
    if outcome is not None:
        conditions.append(items.c.outcome == outcome)
    rows = session.execute(
        select(
            items.c.staff_id,
            func.coalesce(StaffMember.name, ""),
            func.coalesce(Team.name, NO_TEAM),
            items.c.outcome,
            items.c.ref,
            items.c.day,
            items.c.amount,
        )
        .select_from(items)
        .join(StaffMember, StaffMember.id == items.c.staff_id, isouter=True)
        .join(Team, Team.id == items.c.team_id, isouter=True)
        .where(*conditions)
        .order_by(items.c.day, StaffMember.name, items.c.ref)
        .limit(limit)
    ).all()
    return [Item(*row) for row in rows]


def _key(value) -> str:
    return "none" if value is None else str(value)


def _value(text: str):
    """A drill-down's query argument as the column's value."""
    if text == "none":
        return None
    return int(text) if text.isdigit() else text


def _order(dimensions, cell: Cell) -> list:
    """Teams by name with "No team" last; months in date order; the rest by label."""
    out = []
    for name, label in zip(dimensions, cell.labels, strict=True):
        key = cell.keys[name] if name == "month" else label
        if name == "milestone" and cell.keys[name].isdigit():
            key = int(cell.keys[name])
        out.append((label == NO_TEAM, key))
    return out


class DimensionLabels:
    """What a dimension's value reads as: team names (one query per figure)."""

    def __init__(self, session: Session, organisation_id: int):
        self.teams = dict(
            session.execute(
                select(Team.id, Team.name)
                .join(ServiceArea, ServiceArea.id == Team.service_area_id)
                .where(ServiceArea.organisation_id == organisation_id)
            )
            .tuples()
            .all()
        )

    def of(self, dimension: str, value) -> str:
        if dimension == "team_id":
            return NO_TEAM if value is None else self.teams.get(value, f"Team {value}")
        if dimension == "month":
            return date.fromisoformat(f"{value}-01").strftime("%B %Y") if value else "Unknown"
        if dimension == "milestone":
            return f"Review at {value} months" if value is not None else "Unknown"
        if dimension == "step":
            return STEP_LABELS.get(value, str(value))
        if dimension == "source":
            return SOURCES.get(value, str(value))
        if dimension == "kind":
            kind = KINDS.get(value)
            return kind.label if kind else str(value)
        return str(value or "Unknown").replace("_", " ").capitalize()
