"""Mappings are checked when loaded, with errors naming the file and key."""

from __future__ import annotations

import pytest

from models.imports import mapping as mappings


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("itrent_staff", "staff"),
        ("lcs_cases", "cases"),
        ("mosaic_cases", "cases"),
        ("oversight_staff", "staff"),
        ("oversight_relationships", "relationships"),
        ("oversight_cases", "cases"),
    ],
)
def test_every_shipped_mapping_loads(name, kind):
    assert mappings.load(name, kind).kind == kind


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("kind: people\ncolumns: {}\n", "kind: must be one of staff, relationships, cases"),
        ("kind: staff\ncolumns: {staff_number: A}\n", "columns.name: a staff mapping must give"),
        (
            "kind: cases\ncolumns: {case_id: A, case_type: B, worker: C, allocated_on: D, "
            "child: E}\n",
            "columns.child: not a cases field",
        ),
        (
            "kind: cases\ncolumns: {case_id: A, case_type: B, worker: C, allocated_on: D}\n"
            "values: {case_type: {CP: protection}}\n",
            "values.case_type.CP: 'protection' is not",
        ),
        (
            "kind: cases\ncolumns: {case_id: A, case_type: B, worker: C, allocated_on: D}\n"
            "date_formats: [dd/mm/yyyy]\n",
            "date_formats[0]: 'dd/mm/yyyy' is not a date format",
        ),
        ("kind: cases\ncolour: red\n", "colour: unknown key"),
        ("kind: [\n", "is not valid YAML"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_file_and_the_key(tmp_path, text, error):
    path = tmp_path / "council_export.yaml"
    path.write_text(text)
    with pytest.raises(mappings.MappingError) as refused:
        mappings.load(str(path), "cases")
    assert str(refused.value).startswith(str(path))
    assert error in str(refused.value)


def test_a_mapping_for_another_kind_of_file_is_refused():
    with pytest.raises(mappings.MappingError, match="this mapping is for staff, not cases"):
        mappings.load("itrent_staff", "cases")
