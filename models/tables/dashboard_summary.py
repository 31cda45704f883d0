"""The dashboard's figures kept per organisation (models/reports/summary.py
keeps them): the period they cover and when they were computed, and a cell
per figure, team, breakdown and outcome, so a page of any scope sums cells
instead of computing every figure from the facts.

Derived state: a refresh rebuilds an organisation's cells whole, and losing
them costs one refresh (the page computes live meanwhile), never a wrong
figure."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class DashboardSummary(Base):
    """One row per organisation: the period its cells cover (no cells yet
    while computed_at is None) and when they were computed."""

    __tablename__ = "dashboard_summary"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    as_of: Mapped[date | None] = mapped_column(Date)
    computed_at: Mapped[datetime | None] = mapped_column(DateTime)


class DashboardSummaryCell(Base):
    """How many items of a figure counted under an outcome, for a team (None:
    people in no team) and the figure's breakdown other than the team (a
    month, a case type, a kind of task: as text; None where the figure has
    none), with the days summed and counted for an average."""

    __tablename__ = "dashboard_summary_cell"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("dashboard_summary.organisation_id", ondelete="CASCADE")
    )
    figure: Mapped[str] = mapped_column(String(60))
    # The whole organisation's cells, the teams summed (team_id None), kept
    # beside the teams' so its page reads a few hundred rows, not every team's.
    all_teams: Mapped[bool] = mapped_column(Boolean)
    team_id: Mapped[int | None] = mapped_column(Integer)
    breakdown: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(60))
    items: Mapped[int] = mapped_column(Integer)
    days_total: Mapped[float | None] = mapped_column(Float)
    days_counted: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index(
            "ix_dashboard_summary_cell_organisation_figure",
            "organisation_id",
            "all_teams",
            "figure",
            "team_id",
        ),
    )
