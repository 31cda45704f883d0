"""`oversight export cases`: the file written whole, or nothing and a line
on stderr naming what is wrong, with exit status 2."""

from __future__ import annotations

import csv

from models.imports.cli import main
from tests.models.exports.conftest import FIRST, LAST


def _args(slug, out, *more):
    return [
        "export",
        "cases",
        "--organisation",
        slug,
        "--from",
        str(FIRST),
        "--to",
        str(LAST),
        "--out",
        str(out),
        *more,
    ]


def test_the_command_writes_the_layouts_csv_and_says_how_many_entries(
    db, case_council, tmp_path, capsys
):
    out = tmp_path / "notes.csv"

    status = main(_args(case_council.slug, out, "--mapping", "lcs_case_notes"))

    assert status == 0
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert [r[0] for r in rows] == ["Person ID", "100100", "200200"]
    assert "Exported 2 case supervision entries" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["notes.csv"]


def test_an_end_before_the_start_writes_nothing_and_exits_2(db, case_council, tmp_path, capsys):
    out = tmp_path / "notes.csv"
    args = _args(case_council.slug, out)
    args[args.index("--to") + 1] = "2026-10-01"

    assert main(args) == 2
    assert "before the start date" in capsys.readouterr().err
    assert not out.exists()


def test_an_unknown_organisation_or_layout_or_a_bad_date_is_named(
    db, case_council, tmp_path, capsys
):
    out = tmp_path / "notes.csv"
    assert main(_args("nowhere", out)) == 2
    assert "no organisation 'nowhere'" in capsys.readouterr().err
    assert main(_args(case_council.slug, out, "--mapping", "eclipse")) == 2
    assert "no export mapping called 'eclipse'" in capsys.readouterr().err
    args = _args(case_council.slug, out)
    args[args.index("--from") + 1] = "1/11/2026"
    try:
        main(args)
    except SystemExit as exit:
        assert exit.code == 2
    assert "'1/11/2026' is not a date like 2026-11-30" in capsys.readouterr().err
    assert not out.exists()
