"""Staff and relationship files are applied a batch at a time through the
admin pages' own code path: the same changes made one by one on the admin
pages (a new starter, a change of role, of team and line manager, a leaver,
a change of supervisor, a new starter's supervisor, an ended relationship)
leave the same staff, relationships, human tasks and audit trail; and the
statements that write people and relationships do not grow with the file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from models import AppRole, AuditEntry, HumanTask, ServiceArea, StaffMember, StaffRole, Team
from models.actions.admin_relationships import end_relationship, name_supervisor
from models.actions.admin_staff import add_staff, edit_staff, record_leaving
from models.imports.importer import import_file
from models.tables.human_task import HumanTaskStatus
from models.tables.supervision import SupervisionRelationship
from tests.factories.people import (
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)
from tests.models.imports.conftest import STAFF_HEADER, TODAY, a_staff_file, staff_row, write_csv
from tests.statements import statements_sent

RELATIONSHIP_HEADER = ["supervisee", "supervisor", "started_on", "ended_on"]
FIRST_RELATIONSHIPS = [[n, "E100", "2026-01-05", ""] for n in ("E101", "E102", "E103")]
AREA = "Children's Social Care"


def _moved(number: str, manager: str, team: str, **changes) -> list[str]:
    row = staff_row(number, manager, **changes)
    row[7] = team
    return row


# A change of role, of team and line manager (to a new starter in the same
# file), a leaver, and a new starter; E100 as they were.
STAFF_CHANGES = [
    staff_row("E100", role="team_manager"),
    staff_row("E101", "E100", role="iro"),
    _moved("E102", "E104", "Front Door"),
    staff_row("E103", "E100", left="2026-10-31"),
    _moved("E104", "E100", "Front Door", role="team_manager"),
]
# A change of supervisor, a new starter's first, and a relationship that ended.
RELATIONSHIP_CHANGES = [
    ["E102", "E104", "2026-11-01", ""],
    ["E104", "E100", "2026-11-01", ""],
    ["E101", "E100", "2026-01-05", "2026-11-02"],
]


@dataclass
class Workforce:
    organisation_id: int
    user_id: int
    slug: str


def _council(session, name: str) -> Workforce:
    org = make_organisation(session, name=name)
    area = make_service_area(session, org, name=AREA)
    make_team(session, org, name="Assessment", area=area)
    make_team(session, org, name="Front Door", area=area)
    admin = make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT)
    return Workforce(org.id, make_user(session, admin, AppRole.WORKFORCE_TEAM).id, org.slug)


def _import(council: Workforce, kind: str, path) -> None:
    report = import_file(
        kind, path, on=TODAY, organisation_slug=council.slug, actor_user_id=council.user_id
    )
    assert report.exit_status == 0, report.problems


@pytest.fixture
def two_councils(db, tmp_path) -> tuple[Workforce, Workforce]:
    """Two councils with the same four people and three relationships."""
    with db() as session, session.begin():
        councils = _council(session, "Fileshire"), _council(session, "Pageshire")
    relationships = write_csv(tmp_path / "first.csv", RELATIONSHIP_HEADER, FIRST_RELATIONSHIPS)
    for council in councils:
        _import(council, "staff", a_staff_file(tmp_path))
        _import(council, "relationships", relationships)
    return councils


class _Page:
    """The workforce team at the admin pages of one council, each change its
    own action; the ids of the actions' summary audit entries, kept to leave
    out (a file has one summary, about itself)."""

    def __init__(self, db, council: Workforce) -> None:
        self.db, self.council = db, council
        self.summaries: set[int] = set()
        with db() as session:
            self.ids = dict(
                session.execute(
                    select(StaffMember.staff_number, StaffMember.id).where(
                        StaffMember.organisation_id == council.organisation_id
                    )
                ).all()
            )
            self.front_door = session.scalar(
                select(Team.id)
                .join(ServiceArea, ServiceArea.id == Team.service_area_id)
                .where(Team.name == "Front Door")
                .where(ServiceArea.organisation_id == council.organisation_id)
            )

    def change(self, action, **values) -> None:
        action(actor_user_id=self.council.user_id, on=TODAY, **values)
        with self.db() as session:
            self.summaries.add(session.scalar(select(func.max(AuditEntry.id))))


def _by_page(db, council: Workforce) -> set[int]:
    """STAFF_CHANGES then RELATIONSHIP_CHANGES as the workforce team makes
    them on the admin pages; the ids of the pages' summary entries."""
    page = _Page(db, council)
    ids = page.ids
    new = dict(zip(STAFF_HEADER, STAFF_CHANGES[4], strict=True))
    values = {"name": new["name"], "email": new["email"], "role": StaffRole.TEAM_MANAGER}
    values |= {"started_on": date(2026, 1, 5), "left_on": None, "team_id": page.front_door}
    values["line_manager_id"] = ids["E100"]
    page.change(add_staff, staff_number="E104", values=values)
    ids["E104"] = _staff_id(db, council, "E104")
    page.change(edit_staff, staff_id=ids["E101"], values={"role": StaffRole.IRO})
    moved = {"team_id": page.front_door, "line_manager_id": ids["E104"]}
    page.change(edit_staff, staff_id=ids["E102"], values=moved)
    page.change(record_leaving, staff_id=ids["E103"], left_on=date(2026, 10, 31))
    for supervisee, supervisor, reason in (
        ("E102", "E104", "change_of_supervisor"),
        ("E104", "E100", "new_starter"),
    ):
        page.change(
            name_supervisor,
            supervisee_id=ids[supervisee],
            supervisor_id=ids[supervisor],
            reason=reason,
            started_on=date(2026, 11, 1),
        )
    with db() as session:
        ended = session.scalar(
            select(SupervisionRelationship.id).where(
                SupervisionRelationship.supervisee_id == ids["E101"],
                SupervisionRelationship.ended_on.is_(None),
            )
        )
    page.change(end_relationship, relationship_id=ended, ended_on=date(2026, 11, 2))
    return page.summaries


def _staff_id(db, council: Workforce, number: str) -> int:
    with db() as session:
        return session.scalar(
            select(StaffMember.id).where(
                StaffMember.organisation_id == council.organisation_id,
                StaffMember.staff_number == number,
            )
        )


class _Names:
    """Database ids written as what they stand for: staff numbers, team
    names, a relationship as supervisee<supervisor@start."""

    def __init__(self, session, organisation_id: int) -> None:
        people = session.execute(
            select(StaffMember.id, StaffMember.staff_number, StaffMember.team_id).where(
                StaffMember.organisation_id == organisation_id
            )
        ).all()
        self.staff = {str(i): n for i, n, _ in people}
        self.teams = {str(i): name for i, name in session.execute(select(Team.id, Team.name)).all()}
        supervisor, supervisee = aliased(StaffMember), aliased(StaffMember)
        rel = SupervisionRelationship
        self.rels = {
            str(i): f"{a}<{b}@{on}"
            for i, a, b, on in session.execute(
                select(rel.id, supervisee.staff_number, supervisor.staff_number, rel.started_on)
                .join(supervisee, supervisee.id == rel.supervisee_id)
                .join(supervisor, supervisor.id == rel.supervisor_id)
                .where(supervisee.organisation_id == organisation_id)
            ).all()
        }

    def text(self, words: str) -> str:
        words = re.sub(r"staff-(\d+)", lambda m: f"staff-{self.staff[m[1]]}", words)
        words = re.sub(r"rel-(\d+)", lambda m: f"rel-{self.rels[m[1]]}", words)
        words = re.sub(r"relationship (\d+)", lambda m: f"relationship {self.rels[m[1]]}", words)
        for field, names in (("line_manager_id", self.staff), ("team_id", self.teams)):
            words = re.sub(
                rf"{field}: (\S+) -> ([^;]+)",
                lambda m, field=field, names=names: (
                    f"{field}: {names.get(m[1], m[1])} -> {names.get(m[2], m[2])}"
                ),
                words,
            )
        return words


def fingerprint(db, organisation_id: int, leave_out: set[int] = frozenset()) -> dict:
    """The organisation's people, relationships, human tasks and the audit
    entries of its people and relationships, ids written as names."""
    person, other, assignee = aliased(StaffMember), aliased(StaffMember), aliased(StaffMember)
    rel = SupervisionRelationship
    with db() as session:
        names = _Names(session, organisation_id)
        staff = session.execute(
            select(person.staff_number, person.name, person.role, person.started_on)
            .add_columns(person.left_on, Team.name, other.staff_number)
            .outerjoin(Team, Team.id == person.team_id)
            .outerjoin(other, other.id == person.line_manager_id)
            .where(person.organisation_id == organisation_id)
            .where(person.staff_number.like("E1%"))  # the files' people, not the factory's login
        ).all()
        relationships = session.execute(
            select(person.staff_number, other.staff_number, rel.started_on, rel.ended_on)
            .add_columns(rel.reason)
            .join(person, person.id == rel.supervisee_id)
            .join(other, other.id == rel.supervisor_id)
            .where(person.organisation_id == organisation_id)
        ).all()
        tasks = session.execute(
            select(HumanTask.key, HumanTask.kind, HumanTask.lifecycle, HumanTask.subject)
            .add_columns(HumanTask.title, assignee.staff_number, HumanTask.opens_on)
            .add_columns(HumanTask.due_on, HumanTask.status)
            .outerjoin(assignee, assignee.id == HumanTask.assignee_id)
            .where(HumanTask.organisation_id == organisation_id)
            .where(HumanTask.status != HumanTaskStatus.CANCELLED)
        ).all()
        audit = session.execute(
            select(AuditEntry.id, AuditEntry.object_type, AuditEntry.object_id)
            .add_columns(AuditEntry.detail, person.staff_number)
            .join(person, person.id == AuditEntry.subject_staff_id)
            .where(AuditEntry.object_type.in_(["staff_member", "supervision_relationship"]))
            .where(person.organisation_id == organisation_id)
        ).all()
    ids = {"staff_member": names.staff, "supervision_relationship": names.rels}
    return {
        "staff": sorted(map(tuple, staff)),
        "relationships": sorted(map(tuple, relationships)),
        "tasks": sorted(
            ((names.text(k), kind, lc, names.text(s), *rest) for k, kind, lc, s, *rest in tasks),
            key=repr,
        ),
        "audit": sorted(
            (kind, ids[kind].get(o, o), names.text(detail), number)
            for i, kind, o, detail, number in audit
            if i not in leave_out
        ),
    }


def test_staff_and_relationship_files_leave_the_same_tables_as_the_admin_pages(
    db, two_councils, tmp_path
):
    by_file, by_page = two_councils
    _import(by_file, "staff", write_csv(tmp_path / "staff.csv", STAFF_HEADER, STAFF_CHANGES))
    _import(
        by_file,
        "relationships",
        write_csv(tmp_path / "rels.csv", RELATIONSHIP_HEADER, RELATIONSHIP_CHANGES),
    )
    summaries = _by_page(db, by_page)

    from_file = fingerprint(db, by_file.organisation_id)
    from_page = fingerprint(db, by_page.organisation_id, leave_out=summaries)

    assert from_file == from_page
    staff = {row[0]: row for row in from_file["staff"]}
    assert staff["E102"][5:] == ("Front Door", "E104")
    assert staff["E103"][4] == date(2026, 10, 31)
    ended = {(r[0], r[1]): r[3] for r in from_file["relationships"]}
    assert ended == {
        ("E101", "E100"): date(2026, 11, 2),
        ("E102", "E100"): date(2026, 11, 1),
        ("E102", "E104"): None,
        ("E103", "E100"): date(2026, 10, 31),  # the leaver's, on their last day
        ("E104", "E100"): None,
    }
    assert any(t[3] == "rel-E104<E100@2026-11-01" for t in from_file["tasks"])
    outcomes = [detail.split(" ")[0] for _, _, detail, _ in from_file["audit"]]
    assert sorted(set(outcomes)) == ["changed", "ended", "leaver", "new"]


def _people_writes(db, council: Workforce, kind: str, path) -> list[str]:
    """The INSERT and UPDATE statements importing `path` sends to the people's
    and relationships' tables, each as its verb and table ("UPDATE STAFF_MEMBER")."""
    tables = ("STAFF_MEMBER", "SUPERVISION_RELATIONSHIP")
    starts = tuple(f"{verb} {table}" for verb in ("INSERT INTO", "UPDATE") for table in tables)
    _, sent = statements_sent(db.kw["bind"], lambda: _import(council, kind, path), kinds=starts)
    return [re.match(r"\s*(INSERT INTO|UPDATE) \w+", s.upper())[0].strip() for s in sent]


def _files(tmp_path, name: str, numbers: list[str]):
    """New people reporting to E100, each supervised by E100; then each
    moved to E101 and supervised by them, and leaving."""
    staff = [staff_row(n, "E100") for n in numbers]
    moved = [staff_row(n, "E101", left="2026-11-30") for n in numbers]
    rels = [[n, "E100", "2026-02-01", ""] for n in numbers]
    changed_rels = [[n, "E101", "2026-03-01", ""] for n in numbers]
    return [
        ("staff", write_csv(tmp_path / f"{name}-staff.csv", STAFF_HEADER, staff)),
        ("relationships", write_csv(tmp_path / f"{name}-rels.csv", RELATIONSHIP_HEADER, rels)),
        (
            "relationships",
            write_csv(tmp_path / f"{name}-moved-rels.csv", RELATIONSHIP_HEADER, changed_rels),
        ),
        ("staff", write_csv(tmp_path / f"{name}-moved.csv", STAFF_HEADER, moved)),
    ]


def test_the_statements_writing_people_and_relationships_do_not_grow_with_the_file(
    db, two_councils, tmp_path
):
    council = two_councils[0]
    sent = {}
    for name, numbers in (("few", ["F1", "F2"]), ("many", [f"M{n}" for n in range(60)])):
        files = _files(tmp_path, name, numbers)
        sent[name] = [_people_writes(db, council, kind, path) for kind, path in files]

    assert sent["few"] == sent["many"]
    assert sent["many"] == [
        ["INSERT INTO STAFF_MEMBER"],
        ["INSERT INTO SUPERVISION_RELATIONSHIP"],
        # The relationships in force end, the new ones start.
        ["UPDATE SUPERVISION_RELATIONSHIP", "INSERT INTO SUPERVISION_RELATIONSHIP"],
        # The people change; their relationships end as they leave.
        ["UPDATE STAFF_MEMBER", "UPDATE SUPERVISION_RELATIONSHIP"],
    ]
