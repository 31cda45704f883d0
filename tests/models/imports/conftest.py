"""A council to import into: an organisation with one service area and team,
a head of service and a workforce-team login; and files written as a
council's systems would write them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import AppRole, AuditEntry, StaffRole
from models.base import Base
from tests.factories.people import (
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)

TODAY = date(2026, 11, 2)
STAFF_HEADER = [
    "staff_number",
    "name",
    "email",
    "role",
    "started_on",
    "left_on",
    "service_area",
    "team",
    "line_manager",
]


@dataclass
class Council:
    slug: str
    organisation_id: int
    workforce_user_id: int
    head_staff_id: int


@pytest.fixture
def council(db) -> Council:
    with db() as session, session.begin():
        org = make_organisation(session)
        area = make_service_area(session, org, name="Children's Social Care")
        make_team(session, org, name="Assessment", area=area)
        head = make_staff(session, org, role=StaffRole.SENIOR_MANAGER)
        area.head_of_service_id = head.id
        admin = make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT)
        user = make_user(session, admin, AppRole.WORKFORCE_TEAM)
        return Council(org.slug, org.id, user.id, head.id)


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding="utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def staff_row(number: str, manager: str = "", left: str = "", role: str = "social_worker"):
    return [
        number,
        f"Worker {number}",
        f"{number.lower()}@council.example",
        role,
        "2026-01-05",
        left,
        "Children's Social Care",
        "Assessment",
        manager,
    ]


def a_staff_file(tmp_path: Path, name: str = "staff.csv") -> Path:
    """A team manager and three social workers who report to them."""
    return write_csv(
        tmp_path / name,
        STAFF_HEADER,
        [
            staff_row("E100", role="team_manager"),
            staff_row("E101", "E100"),
            staff_row("E102", "E100"),
            staff_row("E103", "E100"),
        ],
    )


def table_counts(session) -> dict[str, int]:
    """Every table's row count: what "nothing changed" is checked against."""
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def audit_count(session) -> int:
    return session.scalar(select(func.count(AuditEntry.id)))
