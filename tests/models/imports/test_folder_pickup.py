"""Files picked up from the import folder: each imported by the importer the
command line uses, in the order staff, relationships, cases; moved to done/
or failed/ with its report; and never imported twice, whatever point a run
stopped at."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import CaseAllocation, SupervisionRelationship
from models.imports import folder
from models.imports.importer import import_file
from tests.models.imports.conftest import (
    TODAY,
    a_staff_file,
    table_counts,
    write_csv,
)


def _drop(root: Path, slug: str, kind: str, mapping: str | None = None) -> Path:
    where = root / slug / kind / (mapping or "")
    where.mkdir(parents=True, exist_ok=True)
    return where


def _files(root: Path, slug: str, sub: str) -> list[str]:
    return sorted(p.name.split(".", 3)[-1] for p in (root / slug / sub).glob("*") if p.is_file())


def test_a_days_files_import_in_order_and_move_to_done_with_their_reports(db, council, tmp_path):
    root = tmp_path / "imports"
    # Cases and relationships need the staff: dropped in any order, staff go first.
    write_csv(
        _drop(root, council.slug, "cases", "lcs_cases") / "caseload.csv",
        ["LCS Person ID", "Case Status", "Allocated Worker Employee No", "Allocation Start Date"],
        [["123456", "CP", "E101", "05/10/2026"]],
    )
    write_csv(
        _drop(root, council.slug, "relationships") / "supervision.csv",
        ["supervisee", "supervisor", "started_on"],
        [["E101", "E100", "2026-01-05"]],
    )
    a_staff_file(_drop(root, council.slug, "staff"))

    picked = folder.pick_up(root, council.slug, TODAY)

    assert [(p.kind, p.mapping, p.outcome) for p in picked] == [
        ("staff", "oversight_staff", "done"),
        ("relationships", "oversight_relationships", "done"),
        ("cases", "lcs_cases", "done"),
    ]
    assert dict(picked[0].counts)["new"] == 4
    assert _files(root, council.slug, "done") == [
        "caseload.csv",
        "caseload.csv.done.txt",
        "staff.csv",
        "staff.csv.done.txt",
        "supervision.csv",
        "supervision.csv.done.txt",
    ]
    assert list((root / council.slug / "processing").iterdir()) == []
    assert list((root / council.slug / "staff").iterdir()) == []
    with db() as session:
        assert session.scalar(select(func.count(SupervisionRelationship.id))) == 1
        assert session.scalar(select(CaseAllocation.case_ref)) == "LCS-123456"


def test_a_file_with_a_bad_row_changes_nothing_and_moves_to_failed_naming_the_row(
    db, council, tmp_path
):
    root = tmp_path / "imports"
    write_csv(
        _drop(root, council.slug, "staff") / "staff.csv",
        ["staff_number", "name", "email", "role", "started_on"],
        [
            ["E1", "Ann", "ann@council.example", "social_worker", "2026-01-05"],
            ["E2", "Bob", "bob@council.example", "wizard", "2026-01-05"],
        ],
    )
    with db() as session:
        before = table_counts(session)

    [picked] = folder.pick_up(root, council.slug, TODAY)

    assert picked.outcome == "failed"
    report = Path(picked.report).read_text(encoding="utf-8")
    assert "staff.csv, row 3, column 'role'" in report
    assert Path(picked.file).parent == root / council.slug / "failed"
    with db() as session:
        assert table_counts(session) == before


def test_a_file_whose_import_committed_before_a_crash_is_not_imported_twice(db, council, tmp_path):
    root = tmp_path / "imports"
    processing = root / council.slug / "processing"
    processing.mkdir(parents=True)
    claimed = a_staff_file(
        processing, "20261102T060000000000Z-00000.staff.oversight_staff.staff.csv"
    )
    # The run imported it and stopped before writing its report.
    import_file("staff", claimed, on=TODAY, organisation_slug=council.slug)
    with db() as session:
        before = table_counts(session)

    [picked] = folder.pick_up(root, council.slug, TODAY)

    assert picked.outcome == "done"
    assert (dict(picked.counts)["new"], dict(picked.counts)["unchanged"]) == (0, 4)
    with db() as session:
        after = table_counts(session)
    # Only the audit trail may say the file was read again; no fact changed.
    assert {k: v for k, v in after.items() if k != "audit_entry"} == {
        k: v for k, v in before.items() if k != "audit_entry"
    }


def test_a_file_with_its_report_is_only_moved_on(db, council, tmp_path, monkeypatch):
    root = tmp_path / "imports"
    processing = root / council.slug / "processing"
    processing.mkdir(parents=True)
    claimed = a_staff_file(
        processing, "20261102T060000000000Z-00000.staff.oversight_staff.staff.csv"
    )
    claimed.with_name(claimed.name + ".done.txt").write_text(
        "Imported staff from staff.csv (4 rows): ...\n  new: 4\n", encoding="utf-8"
    )

    def must_not_import(*args, **kwargs):
        raise AssertionError("imported again")

    monkeypatch.setattr(folder, "import_file", must_not_import)
    [picked] = folder.pick_up(root, council.slug, TODAY)

    assert (picked.outcome, picked.counts) == ("done", (("new", 4),))
    assert _files(root, council.slug, "done") == ["staff.csv", "staff.csv.done.txt"]


def test_a_report_left_behind_follows_its_file(db, council, tmp_path):
    root = tmp_path / "imports"
    name = "20261102T060000000000Z-00000.staff.oversight_staff.staff.csv"
    a_staff_file(_drop(root, council.slug, "done"), name)
    processing = _drop(root, council.slug, "processing")
    (processing / f"{name}.done.txt").write_text("Imported\n", encoding="utf-8")

    assert folder.pick_up(root, council.slug, TODAY) == []

    assert _files(root, council.slug, "done") == ["staff.csv", "staff.csv.done.txt"]


def test_a_second_run_at_the_same_time_leaves_the_folder_to_the_first(db, council, tmp_path):
    root = tmp_path / "imports"
    a_staff_file(_drop(root, council.slug, "staff"))

    with folder._only_run(root / council.slug) as first:
        assert first
        assert folder.pick_up(root, council.slug, TODAY) == []

    assert [p.outcome for p in folder.pick_up(root, council.slug, TODAY)] == ["done"]


def test_the_folder_is_read_from_the_environment_and_lists_its_organisations(tmp_path, monkeypatch):
    monkeypatch.delenv(folder.FOLDER_ENV, raising=False)
    assert folder.configured_folder() is None
    monkeypatch.setenv(folder.FOLDER_ENV, str(tmp_path))
    (tmp_path / "demo").mkdir()
    (tmp_path / "other").mkdir()
    assert folder.configured_folder() == tmp_path
    assert folder.organisations(tmp_path) == ["demo", "other"]
    with pytest.raises(FileNotFoundError, match="nowhere"):
        folder.pick_up(tmp_path, "nowhere", TODAY)
