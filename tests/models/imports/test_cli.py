"""`oversight import ...`: the preview on stdout, bad rows on stderr with exit
status 2, and every other subcommand still the policy engine's."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import select

from models import StaffMember
from models.actions import admin_imports
from models.imports.cli import main
from tests.models.imports.conftest import STAFF_HEADER, a_staff_file, staff_row, write_csv


def test_a_dry_run_prints_the_preview_and_imports_nothing(db, council, tmp_path, capsys):
    path = a_staff_file(tmp_path)

    status = main(
        [
            "import",
            "staff",
            "--organisation",
            council.slug,
            "--file",
            str(path),
            "--dry-run",
            "--as-of",
            "2026-11-02",
        ]
    )

    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines()[0] == (
        "Would import staff from staff.csv (4 rows): 4 new, 0 changed, 0 leavers, "
        "0 reallocations, 0 closed, 0 relationships ended, 0 new teams and service areas, "
        "0 unchanged, 0 bad rows."
    )
    with db() as session:
        assert (
            session.scalars(select(StaffMember).where(StaffMember.staff_number == "E100")).first()
            is None
        )


def test_a_bad_row_exits_2_and_names_the_file_row_and_column(db, council, tmp_path, capsys):
    path = write_csv(tmp_path / "s.csv", STAFF_HEADER, [staff_row("E1", left="2020-01-01")])

    status = main(["import", "staff", "--organisation", council.slug, "--file", str(path)])

    err = capsys.readouterr().err
    assert status == 2
    assert "s.csv, row 2, column 'left_on': The leaving date must be on or after" in err
    assert "Nothing was changed." in err


def test_an_unknown_mapping_or_organisation_exits_2(council, tmp_path, capsys):
    path = a_staff_file(tmp_path)
    assert (
        main(
            [
                "import",
                "staff",
                "--organisation",
                council.slug,
                "--file",
                str(path),
                "--mapping",
                "nonesuch",
            ]
        )
        == 2
    )
    assert "There is no mapping called 'nonesuch'" in capsys.readouterr().err
    assert main(["import", "staff", "--organisation", "atlantis", "--file", str(path)]) == 2
    assert "There is no organisation 'atlantis'" in capsys.readouterr().err


def test_the_installed_command_still_runs_the_policy_engine():
    done = subprocess.run(
        [sys.executable, "-m", "models.imports.cli", "explain", "--profile", "lancashire"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "lancashire" in done.stdout.lower()


def test_a_large_file_says_when_its_rows_are_in_and_how_far_the_reconcile_has_gone(
    db, council, tmp_path, capsys, monkeypatch
):
    # Four people count as a large file here, reconciled two units at a time.
    monkeypatch.setattr(admin_imports, "RECONCILE_IN_BATCHES_FROM", 2)
    monkeypatch.setenv("OVERSIGHT_RECONCILE_BATCH", "2")
    path = a_staff_file(tmp_path)

    status = main(["import", "staff", "--organisation", council.slug, "--file", str(path)])

    err = capsys.readouterr().err.splitlines()
    assert status == 0
    started = err.index(next(line for line in err if "rows applied; reconciling" in line))
    assert err[started - 1] == "  4 rows read"
    total = int(err[started].split("(")[1].split()[0])
    progress = [line for line in err[started + 1 :] if line.endswith(" reconciled")]
    assert progress and progress[-1] == f"  {total} of {total} reconciled"
