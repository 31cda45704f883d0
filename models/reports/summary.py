"""The dashboard's figures kept per organisation, so the page answers within
the inbox's budget at council size: every figure's aggregate for the whole
organisation over the period the dashboard opens on (window.default_period),
kept as a cell per figure, team, breakdown and outcome, and the teams summed
for the whole organisation (models/tables/dashboard_summary.py). A page of
some teams sums their cells; a period the summary does not cover is computed
live.

A refresh is level-triggered and idempotent: in one transaction, holding the
organisation's summary row, its cells are deleted and computed again by one
INSERT ... SELECT per figure (the figure's own aggregate, models/reports/
tables.py figure_query), so twice is once and two at once queue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Integer,
    String,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from models.base import utcnow
from models.db import get_sessionmaker
from models.reports.catalogue import FIGURES, Figure
from models.reports.tables import DimensionLabels, FigureTable, figure_query, table_of_rows
from models.reports.window import Period, ReportScope, default_period
from models.tables.dashboard_summary import DashboardSummary, DashboardSummaryCell
from models.tables.org import Organisation

CELL_COLUMNS = (
    "organisation_id",
    "figure",
    "all_teams",
    "team_id",
    "breakdown",
    "outcome",
    "items",
    "days_total",
    "days_counted",
)


@dataclass(frozen=True)
class Kept:
    """An organisation's kept figures: the period they cover, and when they
    were computed."""

    organisation_id: int
    period: Period
    computed_at: datetime

    def covers(self, period: Period) -> bool:
        return self.period == period


def refresh_summary(
    organisation_id: int,
    on: date,
    *,
    now: datetime | None = None,
    session_factory: sessionmaker | None = None,
) -> Kept:
    """Compute and keep the organisation's figures for the period the
    dashboard opens on as of `on`, replacing what was kept, in one transaction."""
    period = default_period(on)
    computed_at = now or utcnow()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        if session.get(Organisation, organisation_id) is None:
            raise LookupError(f"No organisation with id {organisation_id}")
        _hold_summary_row(session, organisation_id)
        session.execute(
            delete(DashboardSummaryCell).where(
                DashboardSummaryCell.organisation_id == organisation_id
            )
        )
        whole = ReportScope(organisation_id, "the whole organisation")
        for figure in FIGURES.values():
            session.execute(_keep_cells(session, figure, whole, period))
        session.execute(_keep_all_teams(organisation_id))
        session.execute(
            update(DashboardSummary)
            .where(DashboardSummary.organisation_id == organisation_id)
            .values(
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                as_of=period.as_of,
                computed_at=computed_at,
            )
        )
    return Kept(organisation_id, period, computed_at)


def _hold_summary_row(session: Session, organisation_id: int) -> None:
    """Make the organisation's summary row and lock it until the transaction
    ends, so a second refresh waits and then replaces this one's cells whole
    (it would otherwise not see them to delete). SQLite: the connection began
    with BEGIN IMMEDIATE (models/db.py), which serialises writers already."""
    dialect = session.get_bind().dialect.name
    insert_row = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert_row(DashboardSummary)
        .values(organisation_id=organisation_id)
        .on_conflict_do_nothing(index_elements=["organisation_id"])
    )
    session.execute(
        select(DashboardSummary.organisation_id)
        .where(DashboardSummary.organisation_id == organisation_id)
        .with_for_update()
    )


def _keep_cells(session: Session, figure: Figure, scope: ReportScope, period: Period):
    """INSERT ... SELECT of the figure's aggregate by team and its other
    breakdown (every figure has at most one besides the team)."""
    others = [d for d in figure.dimensions if d != "team_id"]
    if len(others) > 1:
        raise ValueError(f"{figure.name}: a kept figure has one breakdown besides the team")
    aggregate = figure_query(session, figure, scope, period, ("team_id", *others)).subquery()
    breakdown = cast(aggregate.c[others[0]], String) if others else cast(null(), String)
    return insert(DashboardSummaryCell).from_select(
        list(CELL_COLUMNS),
        select(
            literal(scope.organisation_id),
            literal(figure.name),
            literal(False),
            aggregate.c.team_id,
            breakdown,
            aggregate.c.outcome,
            aggregate.c["items"],
            aggregate.c.days_total,
            aggregate.c.days_counted,
        ),
    )


def _keep_all_teams(organisation_id: int):
    """INSERT ... SELECT of the whole organisation's cells: the teams' summed."""
    cell = DashboardSummaryCell
    return insert(cell).from_select(
        list(CELL_COLUMNS),
        select(
            cell.organisation_id,
            cell.figure,
            literal(True),
            cast(null(), Integer),
            cell.breakdown,
            cell.outcome,
            func.sum(cell.items),
            func.sum(cell.days_total),
            func.sum(cell.days_counted),
        )
        .where(cell.organisation_id == organisation_id, cell.all_teams.is_(False))
        .group_by(cell.organisation_id, cell.figure, cell.breakdown, cell.outcome),
    )


def kept_figures(session: Session, organisation_id: int) -> Kept | None:
    """What the organisation has kept, or None: never refreshed."""
    row = session.get(DashboardSummary, organisation_id)
    if row is None or row.computed_at is None:
        return None
    return Kept(organisation_id, Period(row.starts_on, row.ends_on, row.as_of), row.computed_at)


def kept_tables(
    session: Session,
    figures: Iterable[Figure],
    scope: ReportScope,
    *,
    by_team: bool,
    labels: DimensionLabels,
) -> list[FigureTable]:
    """The figures' tables for this scope from the kept cells, summed by the
    database in one query: by team where the figure has the team breakdown
    and `by_team`, by its other breakdown and outcome."""
    figures = list(figures)
    cell = DashboardSummaryCell
    with_team = [f.name for f in figures if "team_id" in f.dimensions]
    # Grouped by team only where shown by team; else the teams are summed.
    team = case((cell.figure.in_(with_team), cell.team_id), else_=null()) if by_team else None
    grouped = [cell.figure, *([team] if by_team else []), cell.breakdown, cell.outcome]
    rows = session.execute(
        select(
            cell.figure,
            team if by_team else null(),
            cell.breakdown,
            cell.outcome,
            func.sum(cell.items),
            func.sum(cell.days_total),
            func.sum(cell.days_counted),
        )
        .where(
            cell.organisation_id == scope.organisation_id,
            # The whole organisation without the team: its own cells.
            cell.all_teams.is_(scope.whole_organisation and not by_team),
            cell.figure.in_([f.name for f in figures]),
            scope.covers(cell.team_id),
        )
        .group_by(*grouped)
    ).all()
    by_figure: dict[str, list[tuple]] = {f.name: [] for f in figures}
    for name, team_id, breakdown, outcome, items, days_total, days_counted in rows:
        by_figure[name].append((team_id, breakdown, outcome, items, days_total, days_counted))
    tables = []
    for figure in figures:
        dims = tuple(d for d in figure.dimensions if by_team or d != "team_id")
        ordered = [
            (*(r[0] if d == "team_id" else r[1] for d in dims), *r[2:])
            for r in by_figure[figure.name]
        ]
        note = figure.note_for(session, scope)
        tables.append(table_of_rows(figure, dims, ordered, labels, note))
    return tables
