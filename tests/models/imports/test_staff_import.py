"""Importing a staff file: a preview first, all or nothing, every bad row
named by file, row and column, and the same file twice a no-op."""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEntry, StaffMember, StaffRole, Team
from models.imports.importer import import_file
from tests.models.imports.conftest import (
    STAFF_HEADER,
    TODAY,
    a_staff_file,
    staff_row,
    table_counts,
    write_csv,
)


def run(council, path, **options):
    return import_file(
        "staff", path, on=TODAY, organisation_slug=council.slug, display_name=path.name, **options
    )


def test_a_staff_file_imports_its_people_with_their_line_managers(db, council, tmp_path):
    report = run(council, a_staff_file(tmp_path))

    assert report.exit_status == 0 and report.applied
    assert dict(report.counts())["new"] == 4
    with db() as session:
        people = {
            s.staff_number: s
            for s in session.scalars(
                select(StaffMember).where(StaffMember.staff_number.like("E1%"))
            )
        }
        assert people["E101"].line_manager_id == people["E100"].id
        assert people["E100"].role == StaffRole.TEAM_MANAGER
        assert session.get(Team, people["E102"].team_id).name == "Assessment"
        detail = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "import")
        ).all()
        assert any("new E101" in d and "line_manager_id" in d for d in detail)


def test_a_dry_run_previews_and_changes_nothing(db, council, tmp_path):
    with db() as session:
        before = table_counts(session)

    report = run(council, a_staff_file(tmp_path), dry_run=True)

    assert dict(report.counts())["new"] == 4 and not report.applied
    with db() as session:
        assert table_counts(session) == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(db, council, tmp_path):
    path = a_staff_file(tmp_path)
    run(council, path)
    with db() as session:
        before = table_counts(session)

    again = run(council, path)

    assert again.exit_status == 0
    assert dict(again.counts())["unchanged"] == 4
    assert sum(n for label, n in again.counts() if label != "unchanged") == 0
    with db() as session:
        assert table_counts(session) == before


def test_a_change_is_previewed_field_by_field(db, council, tmp_path):
    run(council, a_staff_file(tmp_path))
    changed = write_csv(
        tmp_path / "changed.csv",
        STAFF_HEADER,
        [staff_row("E100", role="team_manager"), staff_row("E101", "E100", role="iro")],
    )

    report = run(council, changed, dry_run=True)

    assert dict(report.counts())["changed"] == 1
    assert report.changes() == ["changed E101: role: social_worker -> iro"]


def test_one_bad_row_changes_nothing_and_is_named_by_row_and_column(db, council, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        STAFF_HEADER,
        [staff_row("E100"), staff_row("E101", role="wizard"), staff_row("E102")],
    )
    with db() as session:
        before = table_counts(session)

    report = run(council, path)

    assert report.exit_status == 2 and not report.applied
    assert report.problems == [
        "bad.csv, row 3, column 'role': unknown role 'wizard'; expected one of "
        "business_support, iro, manager, non_direct_staff, residential, senior_manager, "
        "social_worker, student, support_worker, team_manager."
    ]
    with db() as session:
        assert table_counts(session) == before


def test_every_kind_of_bad_row_is_reported_at_once(council, tmp_path):
    rows = [
        staff_row("E100"),
        staff_row("E100"),  # the same staff number twice
        ["E103", "A", "a@x.example", "social_worker", "31/02/2026", "", "", "", ""],
        staff_row("E104", left="2025-01-01"),  # leaves before starting
        staff_row("E105", "E999"),  # a line manager nowhere
        staff_row("E106", "E107"),  # a circle of line managers
        staff_row("E107", "E106"),
    ]
    report = run(council, write_csv(tmp_path / "bad.csv", STAFF_HEADER, rows))

    text = "\n".join(report.problems)
    assert "row 3, column 'staff_number': The same row is also row 2." in text
    assert "row 4, column 'started_on': '31/02/2026' is not a date" in text
    assert "row 5, column 'left_on': The leaving date must be on or after" in text
    assert "row 6, column 'line_manager': Line manager E999 is not in the file" in text
    assert "row 7, column 'line_manager': Line managers go round in a circle" in text
    assert "row 8, column 'line_manager': Line managers go round in a circle" in text
    assert report.exit_status == 2


def test_partial_imports_the_good_rows_and_says_so_in_the_audit(db, council, tmp_path):
    path = write_csv(
        tmp_path / "some-bad.csv",
        STAFF_HEADER,
        [staff_row("E100"), staff_row("E101", role="wizard"), staff_row("E102", "E101")],
    )

    report = run(council, path, partial=True)

    assert report.applied and report.exit_status == 0
    assert dict(report.counts())["new"] == 1
    assert any("row 4, column 'line_manager'" in p for p in report.problems)
    with db() as session:
        numbers = set(session.scalars(select(StaffMember.staff_number)))
        assert "E100" in numbers and not {"E101", "E102"} & numbers
        summary = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.object_type == "staff_import")
        ).one()
        assert "Partial import: 2 bad rows were refused" in summary


def test_a_file_that_is_not_utf8_is_refused_with_the_row(db, council, tmp_path):
    path = write_csv(tmp_path / "latin1.csv", STAFF_HEADER, [staff_row("E100"), staff_row("E101")])
    path.write_bytes(path.read_bytes().replace(b"Worker E101", "Zoë E101".encode("latin-1")))

    report = run(council, path)

    assert report.exit_status == 2
    assert report.problems[0].startswith("latin1.csv, row 3: the file is not UTF-8 text")
    with db() as session:
        assert (
            session.scalars(select(StaffMember).where(StaffMember.staff_number == "E100")).first()
            is None
        )


def test_a_cell_holding_a_nul_is_refused_not_sent_to_the_database(db, council, tmp_path):
    path = write_csv(tmp_path / "nul.csv", STAFF_HEADER, [staff_row("E100")])
    path.write_bytes(path.read_bytes().replace(b"Worker E100", b"Wor\x00ker"))

    report = run(council, path)

    assert report.problems == [
        "nul.csv, row 2, column 'name': the cell holds a control character (the file may be "
        "damaged)."
    ]
