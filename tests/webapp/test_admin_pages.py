"""The workforce team's admin pages: each change is checked, then saved by
one action that records the fact, reconciles the people it touches and
writes the audit trail of what changed from what to what."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry, CaseAllocation, HumanTask, Organisation, StaffMember
from models.tables.human_task import OPEN_STATUSES
from models.tables.supervision import SupervisionRelationship
from tests.factories.people import PASSWORD, make_staff, make_user
from tests.webapp.admin_council import build_admin_council, signed_in_client
from tests.webapp.conftest import build_app, login
from tests.webapp.conftest import text_of as page_text


def text_of(response) -> str:
    return html.unescape(page_text(response))


@pytest.fixture
def council(db):
    return build_admin_council(db)


@pytest.fixture
def client(db, tmp_path, council):
    return signed_in_client(db, tmp_path)


def checked_and_confirmed(client, url: str, data: dict):
    """Submit the form, see the answers to check, then confirm them."""
    check = client.post(url, data=data)
    assert check.status_code == 200 and "Check your answers" in text_of(check)
    return client.post(url, data={**data, "confirm": "1"})


def date_fields(name: str, day: date) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def test_adding_a_person_shows_the_answers_then_saves_and_audits_them(db, client, council):
    data = {
        "staff_number": "N900",
        "name": "Nia New",
        "email": "nia@council.example",
        "job_title": "Social worker",
        "role": "social_worker",
        "employment": "permanent",
        "asye": "yes",
        "team": str(council["team"]),
        "line_manager": council["manager_number"],
        **date_fields("started_on", date(2026, 3, 2)),
    }

    check = client.post("/admin/staff/new", data=data)
    assert "Nia New" in text_of(check) and "Confirm and save" in text_of(check)
    with db() as session:
        assert (
            session.scalars(select(StaffMember).where(StaffMember.name == "Nia New")).first()
            is None
        )
    saved = client.post("/admin/staff/new", data={**data, "confirm": "1"})

    assert saved.status_code == 302
    with db() as session:
        nia = session.scalars(select(StaffMember).where(StaffMember.staff_number == "N900")).one()
        assert nia.asye and nia.line_manager_id == council["manager"]
        audit = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.object_type == "staff_member")
        ).all()
        assert any("new N900" in d and "role: (none) -> social_worker" in d for d in audit)


def test_a_line_manager_nobody_has_is_shown_on_the_form_and_nothing_is_saved(db, client, council):
    data = {
        "staff_number": "N901",
        "name": "Nia",
        "email": "nia@council.example",
        "role": "social_worker",
        "employment": "permanent",
        "asye": "no",
        "team": str(council["team"]),
        "line_manager": "NOBODY",
        **date_fields("started_on", date(2026, 3, 2)),
    }

    page = client.post("/admin/staff/new", data={**data, "confirm": "1"})

    assert "There is nobody with employee number NOBODY." in text_of(page)
    with db() as session:
        assert (
            session.scalars(select(StaffMember).where(StaffMember.staff_number == "N901")).first()
            is None
        )


def open_tasks_about(session, staff_id: int) -> list[HumanTask]:
    rel_ids = session.scalars(
        select(SupervisionRelationship.id).where(SupervisionRelationship.supervisee_id == staff_id)
    ).all()
    subjects = [f"staff-{staff_id}", *(f"rel-{r}" for r in rel_ids)]
    return list(
        session.scalars(
            select(HumanTask).where(
                HumanTask.subject.in_(subjects), HumanTask.status.in_(OPEN_STATUSES)
            )
        )
    )


def test_a_supervisor_named_on_the_page_puts_the_agreement_in_an_inbox_and_a_leaver_leaves_it(
    db, client, council
):
    url = f"/admin/staff/{council['worker']}/supervisor"
    named = checked_and_confirmed(
        client,
        url,
        {
            "supervisor": council["manager_number"],
            "reason": "new_starter",
            **date_fields("started_on", date(2026, 2, 16)),
        },
    )
    assert named.status_code == 302
    with db() as session:
        assert any(t.kind == "agreement" for t in open_tasks_about(session, council["worker"]))

    left = checked_and_confirmed(
        client,
        f"/admin/staff/{council['worker']}/leaving",
        date_fields("left_on", date(2026, 2, 27)),
    )

    assert left.status_code == 302
    with db() as session:
        rel = session.scalars(select(SupervisionRelationship)).one()
        assert rel.ended_on == date(2026, 2, 27)
        assert [
            t.kind for t in open_tasks_about(session, council["worker"]) if t.kind == "agreement"
        ] == []
        details = session.scalars(select(AuditEntry.detail)).all()
        assert any(
            f"leaver {council['worker_number']}: left_on: (none) -> 2026-02-27" in d
            for d in details
        )


def test_a_case_is_allocated_by_case_id_and_a_childs_name_is_refused(db, client, council):
    refused = client.post(
        "/admin/cases/allocate",
        data={
            "case_ref": "Alex Smith",
            "case_type": "child_in_need",
            "worker": council["worker_number"],
            **date_fields("allocated_on", date(2026, 2, 2)),
        },
    )
    assert "Do not enter a child's name" in text_of(refused)

    done = checked_and_confirmed(
        client,
        "/admin/cases/allocate",
        {
            "case_ref": "LCS-555123",
            "case_type": "child_in_need",
            "worker": council["worker_number"],
            **date_fields("allocated_on", date(2026, 2, 2)),
        },
    )

    assert done.status_code == 302
    with db() as session:
        allocation = session.scalars(select(CaseAllocation)).one()
        assert (allocation.case_ref, allocation.worker_id) == ("LCS-555123", council["worker"])
        assert session.scalars(select(HumanTask).where(HumanTask.subject == "LCS-555123")).first()


def test_the_staff_list_searches_filters_and_pages_in_the_database(db, client, council):
    with db() as session, session.begin():
        for n in range(60):
            make_staff(session, council["org"], name=f"Bulk Person {n:02d}", team=council["team"])

    first = text_of(client.get("/admin/staff?q=bulk"))
    second = client.get("/admin/staff?q=bulk&page=2").get_data(as_text=True)
    managers = text_of(client.get("/admin/staff?role=team_manager"))

    assert "60 people" in first and "Bulk Person 00" in first and "Bulk Person 55" not in first
    assert "Bulk Person 55" in second and re.search(r"govuk-pagination", second)
    assert "1 person" in managers


def test_a_supervisor_named_by_page_and_by_file_gives_the_same_tables(
    db, client, council, tmp_path
):
    from models.imports.importer import import_file
    from tests.webapp.conftest import TODAY

    with db() as session, session.begin():
        twin = make_staff(
            session, council["org"], team=council["team"], line_manager=council["manager"]
        )
        twin_id, twin_number = twin.id, twin.staff_number
    checked_and_confirmed(
        client,
        f"/admin/staff/{council['worker']}/supervisor",
        {
            "supervisor": council["manager_number"],
            "reason": "new_starter",
            **date_fields("started_on", date(2026, 2, 16)),
        },
    )
    path = tmp_path / "supervisors.csv"
    path.write_text(
        f"supervisee,supervisor,started_on,reason\n"
        f"{twin_number},{council['manager_number']},2026-02-16,new_starter\n"
    )
    with db() as session:
        slug = session.get(Organisation, council["org"]).slug
    assert import_file("relationships", path, on=TODAY, organisation_slug=slug).applied

    def facts(staff_id):
        with db() as session:
            rel = session.scalars(
                select(SupervisionRelationship).where(
                    SupervisionRelationship.supervisee_id == staff_id
                )
            ).one()
            tasks = sorted(
                (t.kind, t.due_on, t.status.value, t.assignee_id)
                for t in open_tasks_about(session, staff_id)
            )
            return (rel.supervisor_id, rel.started_on, rel.ended_on, rel.reason), tasks

    assert facts(twin_id) == facts(council["worker"])
    assert facts(twin_id)[1]  # the agreement is in the supervisor's inbox either way


def test_the_navigation_offers_the_admin_pages_to_the_workforce_team_only(db, tmp_path, council):
    with db() as session, session.begin():
        worker = session.get(StaffMember, council["worker"])
        make_user(session, worker, AppRole.SUPERVISEE, username="wes")
    workforce = signed_in_client(db, tmp_path)
    practitioner = build_app(db).test_client()
    assert login(practitioner, "wes", PASSWORD).status_code == 302

    assert "Staff and cases" in text_of(workforce.get("/inbox"))
    assert "Staff and cases" not in text_of(practitioner.get("/inbox"))
