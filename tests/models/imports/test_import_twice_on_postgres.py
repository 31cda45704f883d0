"""On PostgreSQL: importing the same staff, relationships and cases files a
second time changes no row of any table, not even the audit trail."""

from __future__ import annotations

from sqlalchemy import text

from models.base import Base
from models.imports.importer import import_file
from tests.models.imports.conftest import TODAY, a_staff_file, write_csv


def every_row(session) -> dict[str, list]:
    return {
        table.name: session.execute(text(f"SELECT * FROM {table.name} ORDER BY 1")).all()
        for table in Base.metadata.sorted_tables
    }


def test_importing_the_same_files_twice_changes_no_row(db, postgres_only, council, tmp_path):
    files = [
        ("staff", a_staff_file(tmp_path)),
        (
            "relationships",
            write_csv(
                tmp_path / "rel.csv",
                ["supervisee", "supervisor", "started_on"],
                [["E101", "E100", "2026-01-05"], ["E102", "E100", "2026-01-05"]],
            ),
        ),
        (
            "cases",
            write_csv(
                tmp_path / "cases.csv",
                ["case_id", "case_type", "worker", "allocated_on"],
                [["LCS-123456", "child_protection", "E101", "2026-10-01"]],
            ),
        ),
    ]
    for kind, path in files:
        assert import_file(kind, path, on=TODAY, organisation_slug=council.slug).applied
    with db() as session:
        before = every_row(session)

    for kind, path in files:
        again = import_file(kind, path, on=TODAY, organisation_slug=council.slug)
        assert again.applied and not again.outcome.changes.any

    with db() as session:
        assert every_row(session) == before
