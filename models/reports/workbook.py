"""The monthly supervision report (Lancashire §2.2: "our audit team produce a
regular supervision report"): every figure for an organisation's month as an
XLSX workbook (a sheet per figure, and a sheet saying what it covers, under
which profile version and when it was produced) and a CSV per figure, from
the same queries as the dashboard (models/reports/tables.py)."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.reports.catalogue import FIGURES, Figure
from models.reports.tables import FigureTable, figure_table
from models.reports.window import Period, ReportScope
from models.tables.org import Organisation
from policy import load_profile

ABOUT_SHEET = "About this report"
DIMENSION_HEADINGS = {
    "team_id": "Team",
    "month": "Month due",
    "case_type": "Case type",
    "kind": "Kind of task",
    "lifecycle": "Lifecycle",
    "milestone": "ASYE milestone",
    "source": "Audit or sample",
    "step": "Step",
}


class ReportError(ValueError):
    """An organisation or month the report cannot be made for."""


@dataclass
class MonthlyReport:
    organisation: str
    scope: ReportScope
    period: Period
    profile: str
    profile_version: str
    produced_at: datetime
    tables: list[FigureTable]

    def headlines(self) -> dict[str, str]:
        """The figures a reader looks at first, as text."""
        by_name = {t.figure.name: t for t in self.tables}
        whole = {name: t.totals for name, t in by_name.items()}

        def share(name: str) -> str:
            value = whole[name].share(FIGURES[name].share_of)
            return "none due" if value is None else f"{value}%"

        return {
            "Staff with a signed agreement in force": share("agreements"),
            "Sessions held on time": share("sessions"),
            "Sessions missed": str(whole["sessions"].counts.get("missed", 0)),
            "Case supervision on time": share("case_supervision"),
            "Overdue human tasks": str(whole["open_tasks"].counts.get("overdue", 0)),
            "Escalations still open": str(whole["escalations"].counts.get("unresolved", 0)),
            "Supervisors over the cap": str(whole["over_cap"].total),
            "Supervisors absent without cover": str(whole["absent_uncovered"].total),
            "Leavers whose records are due for deletion": str(whole["leavers_due_deletion"].total),
        }


def organisation_by_slug(session: Session, slug: str) -> Organisation:
    org = session.scalars(select(Organisation).where(Organisation.slug == slug)).one_or_none()
    if org is None:
        raise ReportError(f"No organisation with the slug {slug!r}.")
    return org


def profile_version(name: str) -> str:
    """The profile's rules file as it is now, named by its content (a change
    to the rules is a new version)."""
    profile = load_profile(name)
    digest = hashlib.sha256(Path(profile.path).read_bytes()).hexdigest()[:12]
    return f"{profile.name} {digest}"


def build_report(
    session: Session, scope: ReportScope, period: Period, produced_at: datetime
) -> MonthlyReport:
    org = session.get(Organisation, scope.organisation_id)
    return MonthlyReport(
        organisation=org.name,
        scope=scope,
        period=period,
        profile=org.profile,
        profile_version=profile_version(org.profile),
        produced_at=produced_at,
        tables=[figure_table(session, figure, scope, period) for figure in FIGURES.values()],
    )


def headings(figure: Figure, dimensions: tuple[str, ...] | None = None) -> list[str]:
    """A figure's column headings: its dimensions (the figure's unless told;
    "Scope" when there are none, for the row of the whole), its outcomes, the total."""
    dims = figure.dimensions if dimensions is None else dimensions
    out = [DIMENSION_HEADINGS.get(d, d) for d in dims] or ["Scope"]
    out += [label for _key, label in figure.outcomes] + ["Total"]
    out += [figure.share_label] if figure.share_of else []
    out += [figure.average_label] if figure.average_label else []
    return out


def table_rows(table: FigureTable) -> list[list]:
    """The figure's rows as the workbook and the CSV hold them, totals last."""
    figure = table.figure
    out = []
    for cell in [*table.cells, table.totals]:
        labels = cell.labels if cell.keys else ["All"] + [""] * (len(figure.dimensions) - 1)
        row = [*labels, *(cell.counts.get(key, 0) for key, _ in figure.outcomes), cell.total]
        row += [cell.share(figure.share_of)] if figure.share_of else []
        row += [cell.average_days] if figure.average_label else []
        out.append(row)
    return out


def about_rows(report: MonthlyReport) -> list[list[str]]:
    period = report.period
    return [
        ["Organisation", report.organisation],
        ["Scope", report.scope.label],
        ["From", period.starts_on.isoformat()],
        ["To", period.ends_on.isoformat()],
        ["As of", period.as_of.isoformat()],
        ["Policy profile", report.profile],
        ["Profile version", report.profile_version],
        ["Produced at (UTC)", report.produced_at.isoformat(timespec="seconds")],
        *([[name, value] for name, value in report.headlines().items()]),
    ]


def workbook(report: MonthlyReport) -> Workbook:
    book = Workbook()
    about = book.active
    about.title = ABOUT_SHEET
    for row in about_rows(report):
        about.append(row)
    for table in report.tables:
        sheet = book.create_sheet(table.figure.name)
        sheet.append([table.figure.title])
        sheet["A1"].font = Font(bold=True)
        if table.note:
            sheet.append([table.note])
        sheet.append(headings(table.figure))
        for row in table_rows(table):
            sheet.append(row)
    return book


def workbook_bytes(report: MonthlyReport) -> bytes:
    out = io.BytesIO()
    workbook(report).save(out)
    return out.getvalue()


def write_report(report: MonthlyReport, out_dir: Path) -> list[Path]:
    """The workbook and a CSV per figure, into out_dir; the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"supervision-report-{report.period.starts_on:%Y-%m}"
    written = [out_dir / f"{stem}.xlsx"]
    written[0].write_bytes(workbook_bytes(report))
    for table in report.tables:
        path = out_dir / f"{stem}-{table.figure.name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(headings(table.figure))
            writer.writerows(table_rows(table))
        written.append(path)
    return written


__all__ = ["MonthlyReport", "ReportError", "build_report", "write_report"]
