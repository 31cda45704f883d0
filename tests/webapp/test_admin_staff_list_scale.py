"""The admin staff list with a council's few thousand people: a page costs the
same few statements whatever it shows (no query per row), and finishes quickly."""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import insert

from models import StaffMember, StaffRole
from tests.statements import statements_during
from tests.webapp.admin_council import build_admin_council, signed_in_client

PEOPLE = 3000


def test_the_staff_list_of_thousands_pages_with_the_same_few_statements(db, tmp_path):
    council = build_admin_council(db)
    with db() as session, session.begin():
        session.execute(
            insert(StaffMember),
            [
                {
                    "organisation_id": council["org"],
                    "team_id": council["team"],
                    "staff_number": f"B{n:05d}",
                    "name": f"Bulk Person {n:05d}",
                    "email": f"bulk{n}@council.example",
                    "job_title": "",
                    "role": StaffRole.SOCIAL_WORKER,
                    "started_on": date(2025, 1, 6),
                    "asye": False,
                }
                for n in range(PEOPLE)
            ],
        )
    client = signed_in_client(db, tmp_path)
    client.get("/admin/staff")  # the first request's one-off work (templates) out of the way

    few, few_statements = statements_during(
        db.kw["bind"], lambda: client.get("/admin/staff?q=00001")
    )
    started = time.perf_counter()
    deep, deep_statements = statements_during(
        db.kw["bind"], lambda: client.get("/admin/staff?q=bulk&page=50")
    )
    took = time.perf_counter() - started

    assert "Bulk Person 02450" in deep.text and "3000 people" in deep.text
    assert "Bulk Person 00001" in few.text
    assert 0 < deep_statements == few_statements
    assert took < 2.0, f"a page of {PEOPLE} people took {took:.2f}s"
