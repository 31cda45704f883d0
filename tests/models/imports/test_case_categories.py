"""A case file may carry each case's category (Nottingham §1.6), in the LCS-
and Mosaic-style mappings' own words: stored on the allocation, so the next
case supervision falls due on the category's cadence; changed by a later
file, carried over by a reallocation; an unknown category, or one the
council's policy does not set, names the row and the column."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import CaseAllocation, HumanTask, Organisation
from models.imports.importer import import_file
from tests.models.imports.conftest import TODAY, a_staff_file, table_counts, write_csv
from tests.models.imports.test_case_import import LCS_HEADER

LCS_WITH_CATEGORY = [*LCS_HEADER, "Supervision Category"]
MOSAIC_HEADER = [
    "Mosaic ID",
    "Involvement Type",
    "Worker Staff ID",
    "Involvement Start",
    "Involvement End",
    "Case Category",
]


def run(council, path, mapping="lcs_cases"):
    return import_file(
        "cases", path, on=TODAY, organisation_slug=council.slug, mapping_name=mapping
    )


@pytest.fixture
def nottingham(db, council, tmp_path):
    with db() as session, session.begin():
        session.get(Organisation, council.organisation_id).profile = "nottingham"
    import_file("staff", a_staff_file(tmp_path), on=TODAY, organisation_slug=council.slug)
    return council


def allocations(db) -> list[tuple]:
    with db() as session:
        return session.execute(
            select(
                CaseAllocation.case_ref, CaseAllocation.category, CaseAllocation.ended_on
            ).order_by(CaseAllocation.id)
        ).all()


def first_supervision_due(db, ref: str) -> date:
    with db() as session:
        return session.scalars(
            select(HumanTask.due_on).where(
                HumanTask.subject == ref, HumanTask.kind == "case_supervision"
            )
        ).one()


def test_a_categorised_case_is_stored_and_supervised_on_its_categorys_cadence(
    db, nottingham, tmp_path
):
    path = write_csv(
        tmp_path / "lcs.csv",
        LCS_WITH_CATEGORY,
        [
            ["500001", "LAC", "E101", "16/09/2026", "", "Settled In Placement"],
            ["500002", "LAC", "E102", "16/09/2026", "", ""],
        ],
    )

    report = run(nottingham, path)

    assert report.exit_status == 0, report.problems
    assert [(ref, cat) for ref, cat, _ in allocations(db)] == [
        ("LCS-500001", "settled_in_placement"),
        ("LCS-500002", None),
    ]
    # Monthly for a child in care; at least every two months once settled.
    assert first_supervision_due(db, "LCS-500002") == date(2026, 10, 16)
    assert first_supervision_due(db, "LCS-500001") == date(2026, 11, 16)


def test_a_later_file_changes_the_category_and_the_same_file_again_changes_nothing(
    db, nottingham, tmp_path
):
    rows = [["1234567", "Child in Need", "E103", "2026-10-01", "", "Safeguarding"]]
    run(nottingham, write_csv(tmp_path / "a.csv", MOSAIC_HEADER, rows), "mosaic_cases")
    rows[0][5] = "Stepping Down"
    path = write_csv(tmp_path / "b.csv", MOSAIC_HEADER, rows)

    report = run(nottingham, path, "mosaic_cases")
    with db() as session:
        before = table_counts(session)
    again = run(nottingham, path, "mosaic_cases")

    assert dict(report.counts())["changed"] == 1
    assert report.changes() == ["changed 1234567: category: safeguarding_concerns -> stepping_down"]
    assert allocations(db) == [("1234567", "stepping_down", None)]
    assert dict(again.counts())["unchanged"] == 1
    with db() as session:
        assert table_counts(session) == before


def test_a_reallocation_keeps_the_cases_category_when_the_file_has_no_category_column(
    db, nottingham, tmp_path
):
    first = [["500001", "LAC", "E101", "16/09/2026", "", "Settled In Placement"]]
    run(nottingham, write_csv(tmp_path / "a.csv", LCS_WITH_CATEGORY, first))
    moved = write_csv(tmp_path / "b.csv", LCS_HEADER, [["500001", "LAC", "E102", "20/10/2026", ""]])

    report = run(nottingham, moved)

    assert dict(report.counts())["reallocations"] == 1
    assert allocations(db) == [
        ("LCS-500001", "settled_in_placement", date(2026, 10, 20)),
        ("LCS-500001", "settled_in_placement", None),
    ]


def test_an_unknown_category_names_the_row_and_column_and_nothing_is_imported(
    db, nottingham, tmp_path
):
    path = write_csv(
        tmp_path / "bad.csv",
        LCS_WITH_CATEGORY,
        [
            ["500001", "LAC", "E101", "16/09/2026", "", "Settled In Placement"],
            ["500002", "CIN", "E101", "16/09/2026", "", "Sometimes"],
        ],
    )

    report = run(nottingham, path)

    assert report.exit_status == 2
    assert report.problems == [
        "bad.csv, row 3, column 'Supervision Category': unknown category 'Sometimes'; "
        "expected one of complex care proceedings, plans to be driven, safeguarding concerns, "
        "settled in placement, step down."
    ]
    assert allocations(db) == []


def test_a_category_the_councils_policy_does_not_set_is_refused_by_row_and_column(
    db, council, tmp_path
):
    import_file("staff", a_staff_file(tmp_path), on=TODAY, organisation_slug=council.slug)
    path = write_csv(
        tmp_path / "lancs.csv",
        LCS_WITH_CATEGORY,
        [["500001", "LAC", "E101", "16/09/2026", "", "Settled In Placement"]],
    )

    report = run(council, path)

    assert report.exit_status == 2
    assert report.problems == [
        "lancs.csv, row 2, column 'Supervision Category': 'settled_in_placement' is not a case "
        "category your council's policy sets (it sets none)."
    ]
    assert allocations(db) == []
