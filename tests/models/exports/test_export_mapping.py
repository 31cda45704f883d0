"""Export layouts are checked when they are loaded: every shipped one loads,
and each mistake is named by file and key."""

from __future__ import annotations

import pytest

from models.exports import mapping as layouts

GOOD_COLUMN = "columns:\n  - {header: ID, field: case_id}\n"


@pytest.mark.parametrize(
    "name", ["lcs_case_notes", "mosaic_case_notes", "oversight_case_supervision"]
)
def test_every_shipped_layout_loads(name):
    assert layouts.load(name).columns


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("kind: staff\n" + GOOD_COLUMN, "kind: must be case_supervision"),
        ("kind: case_supervision\ncolumns: []\n", "columns: must list"),
        (
            "kind: case_supervision\ncolumns:\n  - {header: ID, field: child_name}\n",
            "columns[0].field",
        ),
        ("kind: case_supervision\ncolumns:\n  - {header: ID}\n", "columns[0]: give either"),
        (
            "kind: case_supervision\ncolumns:\n  - {header: ID, field: case_id}\n"
            "  - {header: ID, text: x}\n",
            "columns[1].header: 'ID' is already",
        ),
        (
            "kind: case_supervision\n" + GOOD_COLUMN + "values:\n  entry_type: {urgent: U}\n",
            "values.entry_type.urgent",
        ),
        (
            "kind: case_supervision\n" + GOOD_COLUMN + "values:\n  decision: {a: b}\n",
            "values.decision",
        ),
        ("kind: case_supervision\n" + GOOD_COLUMN + "date_format: dd/mm\n", "date_format"),
        ("kind: case_supervision\n" + GOOD_COLUMN + "case_id_prefix: lcs\n", "case_id_prefix"),
        ("kind: case_supervision\n" + GOOD_COLUMN + "colour: red\n", "colour: unknown key"),
        ("kind: [case_supervision\n", "is not valid YAML"),
    ],
)
def test_a_mistake_in_a_layout_is_named_by_file_and_key(tmp_path, text, names):
    path = tmp_path / "ours.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(layouts.ExportMappingError) as error:
        layouts.load(str(path))

    assert str(error.value).startswith(f"{path}: ")
    assert names in str(error.value)


def test_an_unknown_layout_name_lists_the_ones_there_are():
    with pytest.raises(layouts.ExportMappingError, match="lcs_case_notes, mosaic_case_notes"):
        layouts.load("liquidlogic")


def test_a_council_adds_a_layout_in_its_own_folder(tmp_path, monkeypatch):
    (tmp_path / "eclipse_notes.yaml").write_text(
        "kind: case_supervision\n" + GOOD_COLUMN, encoding="utf-8"
    )
    monkeypatch.setenv("OVERSIGHT_EXPORT_MAPPINGS", str(tmp_path))

    assert "eclipse_notes" in layouts.available()
    assert layouts.load("eclipse_notes").headers == ["ID"]
