"""Produce one organisation's monthly supervision report into the reports
folder (OVERSIGHT_REPORT_DIR, default instance/reports/), a folder per
organisation and month, with its headline figures and last month's beside
them, for the run's artifact (flows/monthly_report.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from models.base import utcnow
from models.db import PROJECT_ROOT, get_sessionmaker
from models.reports.window import ReportScope, month_period
from models.reports.workbook import build_report, write_report
from models.tables.org import Organisation


@dataclass(frozen=True)
class ProducedReport:
    organisation: str
    month: str
    folder: str
    files: tuple[str, ...]
    headlines: dict[str, str]
    last_month: dict[str, str]


def reports_folder() -> Path:
    return Path(os.environ.get("OVERSIGHT_REPORT_DIR") or PROJECT_ROOT / "instance" / "reports")


def month_before(month: str) -> str:
    first = month_period(month).starts_on
    return f"{first - timedelta(days=1):%Y-%m}"


def produce_monthly_report(
    organisation_id: int,
    month: str,
    *,
    as_of: date | None = None,
    out_dir: Path | None = None,
    session_factory: sessionmaker | None = None,
) -> ProducedReport:
    """Write the month's workbook and CSVs; read-only on the database."""
    period = month_period(month, as_of)
    previous = month_period(month_before(month))
    with (session_factory or get_sessionmaker())() as session:
        org = session.get(Organisation, organisation_id)
        if org is None:
            raise LookupError(f"No organisation with id {organisation_id}")
        scope = ReportScope(org.id, "the whole organisation")
        report = build_report(session, scope, period, utcnow())
        before = build_report(session, scope, previous, report.produced_at)
        folder = (out_dir or reports_folder()) / org.slug / month
        files = write_report(report, folder)
        return ProducedReport(
            organisation=org.name,
            month=month,
            folder=str(folder),
            files=tuple(str(f) for f in files),
            headlines=report.headlines(),
            last_month=before.headlines(),
        )
