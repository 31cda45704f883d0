"""Importing case allocations from LCS- and Mosaic-style exports: by case ID
and case type only; a new worker is a reallocation; names are refused."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from models import CaseAllocation, HumanTask
from models.imports.importer import import_file
from tests.models.imports.conftest import TODAY, a_staff_file, table_counts, write_csv

LCS_HEADER = [
    "LCS Person ID",
    "Case Status",
    "Allocated Worker Employee No",
    "Allocation Start Date",
    "Allocation End Date",
]


def run(council, kind, path, **options):
    return import_file(
        kind, path, on=TODAY, organisation_slug=council.slug, display_name=path.name, **options
    )


def test_an_lcs_caseload_imports_by_case_id_and_puts_the_first_supervision_in_an_inbox(
    db, council, tmp_path
):
    run(council, "staff", a_staff_file(tmp_path))
    path = write_csv(
        tmp_path / "lcs.csv",
        LCS_HEADER,
        [["123456", "CP", "E101", "01/10/2026", ""], ["123457", "LAC", "E102", "02/10/2026", ""]],
    )

    report = run(council, "cases", path, mapping_name="lcs_cases")

    assert report.exit_status == 0, report.problems
    assert dict(report.counts())["new"] == 2
    with db() as session:
        refs = set(session.scalars(select(CaseAllocation.case_ref)))
        assert refs == {"LCS-123456", "LCS-123457"}
        subjects = set(session.scalars(select(HumanTask.subject)))
        assert {"LCS-123456", "LCS-123457"} <= subjects


def test_a_new_worker_for_an_open_case_is_a_reallocation_and_a_second_import_a_no_op(
    db, council, tmp_path
):
    run(council, "staff", a_staff_file(tmp_path))
    first = write_csv(tmp_path / "a.csv", LCS_HEADER, [["123456", "CP", "E101", "01/10/2026", ""]])
    run(council, "cases", first, mapping_name="lcs_cases")
    moved = write_csv(tmp_path / "b.csv", LCS_HEADER, [["123456", "CP", "E102", "20/10/2026", ""]])

    report = run(council, "cases", moved, mapping_name="lcs_cases")
    with db() as session:
        before = table_counts(session)
    again = run(council, "cases", moved, mapping_name="lcs_cases")

    assert dict(report.counts())["reallocations"] == 1
    assert report.changes() == [
        "reallocation LCS-123456: worker: E101 -> E102; case_type: (none) -> child_protection; "
        "allocated_on: (none) -> 2026-10-20"
    ]
    assert dict(again.counts())["unchanged"] == 1
    with db() as session:
        assert table_counts(session) == before
        rows = session.scalars(select(CaseAllocation).order_by(CaseAllocation.id)).all()
        assert [(r.ended_on, r.allocated_on) for r in rows] == [
            (date(2026, 10, 20), date(2026, 10, 1)),
            (None, date(2026, 10, 20)),
        ]


def test_a_mosaic_workbook_imports_and_a_closed_case_closes(db, council, tmp_path):
    run(council, "staff", a_staff_file(tmp_path))
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Mosaic ID", "Involvement Type", "Worker Staff ID", "Involvement Start", "Involvement End"]
    )
    sheet.append(["1234567", "Child in Need", "E103", date(2026, 9, 1), None])
    path = tmp_path / "mosaic.xlsx"
    book.save(path)
    assert run(council, "cases", path, mapping_name="mosaic_cases").exit_status == 0
    sheet.cell(row=2, column=5, value=date(2026, 10, 30))
    book.save(path)

    report = run(council, "cases", path, mapping_name="mosaic_cases")

    assert dict(report.counts())["closed"] == 1
    with db() as session:
        assert session.scalars(select(CaseAllocation.ended_on)).one() == date(2026, 10, 30)


def test_a_column_of_childrens_names_is_refused_and_nothing_is_imported(db, council, tmp_path):
    run(council, "staff", a_staff_file(tmp_path))
    path = write_csv(
        tmp_path / "names.csv",
        [*LCS_HEADER, "Child Name"],
        [["123456", "CP", "E101", "01/10/2026", "", "Alex Smith"]],
    )

    report = run(council, "cases", path, mapping_name="lcs_cases")

    assert report.exit_status == 2
    assert report.problems[0].startswith("names.csv, row 1, column 'Child Name': this column looks")
    with db() as session:
        assert session.scalars(select(CaseAllocation)).first() is None


def test_bad_case_rows_are_named_and_nothing_is_imported(db, council, tmp_path):
    run(council, "staff", a_staff_file(tmp_path))
    path = write_csv(
        tmp_path / "bad.csv",
        LCS_HEADER,
        [
            ["123456", "CP", "E101", "01/10/2026", ""],
            ["Alex Smith", "CP", "E101", "01/10/2026", ""],
            ["123457", "Pirate", "E101", "01/10/2026", ""],
            ["123458", "CIN", "E404", "01/10/2026", ""],
            ["123456", "CP", "E102", "01/10/2026", ""],
        ],
    )

    report = run(council, "cases", path, mapping_name="lcs_cases")

    assert [p.split(":")[0] for p in report.problems] == [
        "bad.csv, row 3, column 'LCS Person ID'",
        "bad.csv, row 4, column 'Case Status'",
        "bad.csv, row 5, column 'Allocated Worker Employee No'",
        "bad.csv, row 6, column 'LCS Person ID'",
    ]
    with db() as session:
        assert session.scalars(select(CaseAllocation)).first() is None
