"""The monthly supervision report (Lancashire §2.2): on the 1st of each month
for the month just ended, and on demand for any month, for every
organisation or one; the workbook and CSVs are stored in the reports folder
and the run's artifact shows the headline figures and last month's."""

from __future__ import annotations

from datetime import date, timedelta

from prefect import flow

from flows.cli import run_from_command_line
from flows.lifecycle import resolve_scope, row_flow, today_in_london
from flows.table import row
from models.reports.monthly import ProducedReport
from tasks.reports import publish_report_artifact, write_monthly_report

ROW = row("monthly-report")


@flow(**row_flow(ROW))
def monthly_report(
    month: str | None = None,
    organisation_id: int | None = None,
    as_of: date | None = None,
    out_dir: str | None = None,
) -> list[ProducedReport]:
    """month: YYYY-MM (default: the month before as_of, or before today)."""
    day = as_of or today_in_london()
    month = month or f"{day.replace(day=1) - timedelta(days=1):%Y-%m}"
    _scope, organisations = resolve_scope(organisation_id)
    produced = []
    for org_id in organisations:
        report = write_monthly_report(org_id, month, as_of, out_dir)
        publish_report_artifact(ROW.title, ROW.run_name, org_id, report)
        produced.append(report)
    return produced


if __name__ == "__main__":
    run_from_command_line(monthly_report)
