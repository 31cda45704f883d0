"""The monthly supervision report: the workbook opens with openpyxl with a
sheet per figure and the figures the database holds, a CSV per figure beside
it, and the Prefect run's artifact shows the headlines beside last month's."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import OPEN_STATUSES, HumanTask, Organisation
from models.engine.reconcile_runs import reconcile_organisation
from models.reports import FIGURES
from models.reports.__main__ import main as report_command
from models.reports.monthly import produce_monthly_report
from models.reports.workbook import ABOUT_SHEET
from tests.worlds.busy_organisation import build_organisation

AS_OF = date(2026, 11, 16)
MONTH = "2026-11"


@pytest.fixture
def busy(db):
    org_id = build_organisation(db, profile="wokingham", as_of=AS_OF, name="Busy")
    for day in (AS_OF - timedelta(days=30), AS_OF):
        reconcile_organisation(org_id, as_of=day, session_factory=db)
    return org_id


def _overdue_by_kind(db) -> Counter:
    with db() as session:
        tasks = session.scalars(select(HumanTask).where(HumanTask.status.in_(OPEN_STATUSES)))
        return Counter(t.kind for t in tasks if t.due_on < AS_OF)


def test_the_workbook_has_a_sheet_per_figure_and_the_open_tasks_the_tables_hold(db, busy, tmp_path):
    produced = produce_monthly_report(
        busy, MONTH, as_of=AS_OF, out_dir=tmp_path, session_factory=db
    )
    book = load_workbook(produced.files[0])
    assert book.sheetnames == [ABOUT_SHEET, *FIGURES]
    about = {row[0]: row[1] for row in book[ABOUT_SHEET].iter_rows(values_only=True)}
    assert about["From"] == "2026-11-01" and about["As of"] == AS_OF.isoformat()
    assert about["Policy profile"] == "wokingham" and about["Profile version"]
    sheet = list(book["open_tasks"].iter_rows(values_only=True))
    heading = sheet.index(next(r for r in sheet if r[0] == "Kind of task"))
    overdue = Counter()
    for kind_label, _team, n, *_rest in sheet[heading + 1 : -1]:
        overdue[kind_label] += n
    expected = _overdue_by_kind(db)
    assert sheet[-1][2] == sum(expected.values()) > 0  # the "All" row
    assert sum(overdue.values()) == sum(expected.values())
    assert len(produced.files) == 1 + len(FIGURES)
    assert all(f.endswith(".csv") for f in produced.files[1:])


def test_the_command_line_writes_the_report_and_refuses_a_bad_month(db, busy, tmp_path, capsys):
    with db() as session:
        slug = session.scalars(select(Organisation.slug)).one()
    assert report_command(["--organisation", slug, "--month", MONTH, "--out", str(tmp_path)]) == 0
    assert (tmp_path / f"supervision-report-{MONTH}.xlsx").exists()
    assert report_command(["--organisation", slug, "--month", "11-2026", "--out", "x"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert report_command(["--organisation", "nowhere", "--month", MONTH, "--out", "x"]) == 2


def test_oversight_report_on_the_command_line_is_the_same_command(db, busy, tmp_path):
    from models.imports.cli import main as oversight

    with db() as session:
        slug = session.scalars(select(Organisation.slug)).one()
    arguments = ["report", "--organisation", slug, "--month", MONTH, "--out", str(tmp_path)]
    assert oversight(arguments) == 0
    assert (tmp_path / f"supervision-report-{MONTH}.xlsx").exists()


def test_the_runs_artifact_shows_each_headline_beside_last_months(db, busy, tmp_path):
    from tasks.reports import headline_markdown

    produced = produce_monthly_report(
        busy, MONTH, as_of=AS_OF, out_dir=tmp_path, session_factory=db
    )
    markdown = headline_markdown("Monthly supervision report", produced)
    overdue = sum(_overdue_by_kind(db).values())
    assert f"| Overdue human tasks | {overdue} | " in markdown
    assert "| Figure | This month | Last month |" in markdown
    assert produced.last_month.keys() == produced.headlines.keys()
