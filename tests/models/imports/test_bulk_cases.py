"""A cases file is applied a batch at a time in a few statements, through
the admin page's own code path: the same changes made one by one on the
admin page leave the same allocations, human tasks and audit trail; and the
statements that write allocations do not grow with the file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from models import AppRole, AuditEntry, CaseAllocation, HumanTask, StaffMember, StaffRole
from models.actions.admin_cases import allocate_or_reallocate, close_allocated_case
from models.imports.importer import import_file
from models.tables.human_task import HumanTaskStatus
from tests.factories.people import (
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)
from tests.models.imports.conftest import TODAY, a_staff_file, write_csv
from tests.statements import statements_during

HEADER = ["case_id", "case_type", "worker", "allocated_on", "closed_on"]
# The two councils below hold the same case IDs, as two councils' case
# systems can: each council's allocations and human tasks are its own.
FIRST = [
    ["LCS-100001", "child_protection", "E101", "2026-10-01", ""],
    ["LCS-100002", "child_in_need", "E102", "2026-10-02", ""],
    ["LCS-100003", "child_in_care", "E103", "2026-09-15", ""],
    ["LCS-100004", "child_protection", "E101", "2026-10-05", ""],
]
# A reallocation, a closure, an unchanged case, a reallocation closed at
# once, and a new case.
SECOND = [
    ["LCS-100001", "child_protection", "E102", "2026-10-20", ""],
    ["LCS-100002", "child_in_need", "E102", "2026-10-02", "2026-10-25"],
    ["LCS-100003", "child_in_care", "E103", "2026-09-15", ""],
    ["LCS-100004", "child_protection", "E103", "2026-10-21", "2026-10-30"],
    ["LCS-100005", "child_in_need", "E103", "2026-10-22", ""],
]


@dataclass
class Workforce:
    organisation_id: int
    user_id: int
    slug: str


def _council(session, name: str) -> Workforce:
    org = make_organisation(session, name=name)
    area = make_service_area(session, org, name="Children's Social Care")
    make_team(session, org, name="Assessment", area=area)
    admin = make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT)
    return Workforce(org.id, make_user(session, admin, AppRole.WORKFORCE_TEAM).id, org.slug)


@pytest.fixture
def two_councils(db, tmp_path) -> tuple[Workforce, Workforce]:
    with db() as session, session.begin():
        councils = _council(session, "Fileshire"), _council(session, "Pageshire")
    for council in councils:
        report = import_file(
            "staff", a_staff_file(tmp_path), on=TODAY, organisation_slug=council.slug
        )
        assert report.exit_status == 0, report.problems
    return councils


def _import(council: Workforce, path) -> None:
    report = import_file(
        "cases", path, on=TODAY, organisation_slug=council.slug, actor_user_id=council.user_id
    )
    assert report.exit_status == 0, report.problems


def _by_page(db, council: Workforce, rows: list[list[str]]) -> None:
    """The same rows as the workforce team would enter them, one change at a time."""
    with db() as session:
        ids = dict(
            session.execute(
                select(StaffMember.staff_number, StaffMember.id).where(
                    StaffMember.organisation_id == council.organisation_id
                )
            ).all()
        )
        held = dict(
            session.execute(
                select(CaseAllocation.case_ref, StaffMember.staff_number)
                .join(StaffMember, StaffMember.id == CaseAllocation.worker_id)
                .where(CaseAllocation.organisation_id == council.organisation_id)
                .where(CaseAllocation.ended_on.is_(None))
            ).all()
        )
    for ref, kind, worker, allocated, closed in rows:
        if held.get(ref) != worker:
            allocate_or_reallocate(
                actor_user_id=council.user_id,
                case_ref=ref,
                case_type=kind,
                worker_id=ids[worker],
                allocated_on=date.fromisoformat(allocated),
                on=TODAY,
            )
        if closed:
            close_allocated_case(
                actor_user_id=council.user_id,
                case_ref=ref,
                closed_on=date.fromisoformat(closed),
                on=TODAY,
            )


def fingerprint(db, organisation_id: int) -> dict[str, list[tuple]]:
    """The organisation's allocations, human tasks and case audit entries, with
    database ids written as what they stand for (staff numbers, case IDs)."""
    worker, assignee = aliased(StaffMember), aliased(StaffMember)
    a = CaseAllocation
    with db() as session:
        allocations = session.execute(
            select(a.case_ref, a.case_type, worker.staff_number, a.allocated_on, a.ended_on)
            .add_columns(a.frequency_weeks, a.category)
            .join(worker, worker.id == a.worker_id)
            .where(a.organisation_id == organisation_id)
        ).all()
        tasks = session.execute(
            select(HumanTask.key, HumanTask.kind, HumanTask.lifecycle, HumanTask.subject)
            .add_columns(HumanTask.title)
            .add_columns(assignee.staff_number, HumanTask.opens_on, HumanTask.due_on)
            .add_columns(HumanTask.status)
            .outerjoin(assignee, assignee.id == HumanTask.assignee_id)
            .where(HumanTask.organisation_id == organisation_id)
            # The page reallocates and closes a case in two transactions, the
            # file in one: the task the first opened and the second cancelled
            # is the page's alone.
            .where(HumanTask.status != HumanTaskStatus.CANCELLED)
        ).all()
        refs = {
            str(i): (r, on)
            for i, r, on in session.execute(select(a.id, a.case_ref, a.allocated_on))
        }
        audit = session.execute(
            select(AuditEntry.object_id, AuditEntry.detail, worker.staff_number)
            .join(worker, worker.id == AuditEntry.subject_staff_id)
            .where(AuditEntry.object_type == "case_allocation")
            .where(worker.organisation_id == organisation_id)
        ).all()
    return {
        "allocations": sorted(map(tuple, allocations)),
        "tasks": sorted(map(tuple, tasks), key=repr),
        "audit": sorted({(*refs.get(o, (o,)), d, s) for o, d, s in audit}, key=repr),
    }


def test_a_cases_file_leaves_the_same_tables_as_the_same_changes_made_on_the_admin_page(
    db, two_councils, tmp_path
):
    by_file, by_page = two_councils
    _import(by_file, write_csv(tmp_path / "first.csv", HEADER, FIRST))
    _import(by_file, write_csv(tmp_path / "second.csv", HEADER, SECOND))
    _by_page(db, by_page, FIRST)
    _by_page(db, by_page, SECOND)

    from_file = fingerprint(db, by_file.organisation_id)
    from_page = fingerprint(db, by_page.organisation_id)

    assert from_file == from_page
    assert len(from_file["allocations"]) == 7  # two reallocations start a second row
    assert [r[4] for r in from_file["allocations"] if r[0] == "LCS-100004"] == [
        date(2026, 10, 21),
        date(2026, 10, 30),
    ]
    # Each council has its own task for each case, under the same key.
    assert {t[3] for t in from_file["tasks"]} >= {"LCS-100001", "LCS-100003", "LCS-100005"}
    assert len(from_file["audit"]) == 9  # 4 new; then 2 reallocations, 2 closures, 1 new


def _allocation_writes(db, council: Workforce, path) -> int:
    """How many INSERT and UPDATE statements importing `path` sends to case_allocation."""
    writes = ("INSERT INTO CASE_ALLOCATION", "UPDATE CASE_ALLOCATION")
    return statements_during(db.kw["bind"], lambda: _import(council, path), kinds=writes)[1]


def test_the_statements_writing_allocations_do_not_grow_with_the_file(db, two_councils, tmp_path):
    council = two_councils[0]
    few = [[f"LCS-2{n:05d}", "child_in_need", "E101", "2026-10-01", ""] for n in range(3)]
    many = [[f"LCS-3{n:05d}", "child_in_need", "E102", "2026-10-01", ""] for n in range(90)]
    for_few = _allocation_writes(db, council, write_csv(tmp_path / "few.csv", HEADER, few))
    moved = [[ref, kind, "E103", "2026-10-20", ""] for ref, kind, *_ in few + many]

    for_many = _allocation_writes(db, council, write_csv(tmp_path / "many.csv", HEADER, many))
    for_moves = _allocation_writes(db, council, write_csv(tmp_path / "moved.csv", HEADER, moved))

    assert for_few == for_many == 1  # one INSERT
    assert for_moves == 2  # one UPDATE ending the 93 allocations, one INSERT starting theirs
