"""An import that changed anything announces itself once, about the
organisation (events.IMPORT_APPLIED: its changed-only run), whatever the
number of rows: a file of 25,000 cases must not start 25,000 flow runs. A file
imported again announces nothing, and a preview nothing at all. The admin
pages announce each change (tests/webapp/test_admin_*)."""

from __future__ import annotations

from sqlalchemy import select

from models import StaffMember
from models.events import IMPORT_APPLIED
from models.imports.importer import import_file
from models.tables.outbox import OutboxEvent
from tests.models.imports.conftest import STAFF_HEADER, TODAY, a_staff_file, staff_row, write_csv
from tests.models.imports.test_case_import import LCS_HEADER
from tests.statements import statements_during


def run(council, kind, path, **options):
    return import_file(
        kind, path, on=TODAY, organisation_slug=council.slug, display_name=path.name, **options
    )


def outbox(db) -> list[tuple[str, str]]:
    with db() as session:
        return [
            (e.event, e.resource_id)
            for e in session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))
        ]


def staff_ids(db) -> dict[str, int]:
    with db() as session:
        return {s.staff_number: s.id for s in session.scalars(select(StaffMember))}


def test_a_staff_file_announces_itself_once_for_the_organisation_in_one_insert(
    db, council, tmp_path
):
    staff = a_staff_file(tmp_path)
    _, outbox_inserts = statements_during(
        db.kw["bind"], lambda: run(council, "staff", staff), kinds=("INSERT INTO OUTBOX_EVENT",)
    )

    assert outbox(db) == [
        (IMPORT_APPLIED.name, f"oversight.organisation.{council.organisation_id}")
    ]
    assert outbox_inserts == 1
    with db() as session:
        [payload] = session.scalars(select(OutboxEvent.payload)).all()
    assert payload["organisation_id"] == council.organisation_id
    assert payload["kind"] == "staff"
    assert payload["counts"]["new"] == 4


def test_a_leaver_in_a_file_announces_the_import_and_the_same_file_again_nothing(
    db, council, tmp_path
):
    run(council, "staff", a_staff_file(tmp_path))
    leaver = write_csv(
        tmp_path / "leaver.csv",
        STAFF_HEADER,
        [
            staff_row("E100", role="team_manager"),
            staff_row("E101", "E100"),
            staff_row("E102", "E100"),
            staff_row("E103", "E100", left="2026-10-30"),
        ],
    )
    before = len(outbox(db))

    first = run(council, "staff", leaver)
    after_first = outbox(db)
    again = run(council, "staff", leaver)

    assert dict(first.counts())["leavers"] == 1
    assert after_first[before:] == [
        (IMPORT_APPLIED.name, f"oversight.organisation.{council.organisation_id}")
    ]
    assert dict(again.counts())["unchanged"] == 4
    assert outbox(db) == after_first


def test_a_preview_announces_nothing(db, council, tmp_path):
    report = run(council, "staff", a_staff_file(tmp_path), dry_run=True)

    assert dict(report.counts())["new"] == 4
    assert outbox(db) == []


def test_each_caseload_file_that_changes_something_announces_one_import(db, council, tmp_path):
    run(council, "staff", a_staff_file(tmp_path))
    first = write_csv(
        tmp_path / "a.csv",
        LCS_HEADER,
        [["123456", "CP", "E101", "01/10/2026", ""], ["123457", "LAC", "E102", "02/10/2026", ""]],
    )
    moved = write_csv(tmp_path / "b.csv", LCS_HEADER, [["123456", "CP", "E102", "20/10/2026", ""]])
    before = len(outbox(db))

    run(council, "cases", first, mapping_name="lcs_cases")
    run(council, "cases", moved, mapping_name="lcs_cases")
    run(council, "cases", moved, mapping_name="lcs_cases")

    organisation = f"oversight.organisation.{council.organisation_id}"
    assert outbox(db)[before:] == [(IMPORT_APPLIED.name, organisation)] * 2
