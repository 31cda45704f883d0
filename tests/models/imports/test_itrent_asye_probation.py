"""The iTrent-style staff mapping carries a person's ASYE start and probation
end into the facts the engine reads, through the same save as the admin pages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import StaffMember
from models.imports.importer import import_file
from tests.models.imports.conftest import TODAY, write_csv

ITRENT_HEADER = [
    "Person Number",
    "Forenames",
    "Surname",
    "Work Email Address",
    "Job Family",
    "Continuous Service Date",
    "ASYE Flag",
    "ASYE Start Date",
    "Probation End Date",
    "Directorate Service",
    "Organisation Unit",
]


def test_an_itrent_file_sets_the_asye_start_and_probation_end_and_a_second_run_changes_nothing(
    db, council, tmp_path
):
    path = write_csv(
        tmp_path / "itrent.csv",
        ITRENT_HEADER,
        [
            ["P700", "Nia", "New", "nia@council.example", "Social Worker", "05/01/2026", "Y",
             "02/02/2026", "05/07/2026", "Children's Social Care", "Assessment"],
        ],
    )  # fmt: skip

    def run():
        return import_file(
            "staff", path, on=TODAY, organisation_slug=council.slug, mapping_name="itrent_staff"
        )

    first, second = run(), run()

    assert first.exit_status == 0 and dict(first.counts())["new"] == 1
    assert dict(second.counts())["new"] == 0 and dict(second.counts())["changed"] == 0
    with db() as session:
        nia = session.scalars(select(StaffMember).where(StaffMember.staff_number == "P700")).one()
        assert (nia.asye, nia.asye_started_on, nia.probation_ends_on) == (
            True,
            date(2026, 2, 2),
            date(2026, 7, 5),
        )
