"""The workforce team's pages for absences and cover, logins and their roles
(an invitation, never a typed password), and service areas and teams: each
checked, then saved by one action that announces and audits it."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry, StaffMember, StaffRole, Team, UserAccount
from models.actions.accounts import invitation_token_hash
from models.base import utcnow
from models.tables.mail import MailMessage
from models.tables.org import LoginInvitation, ServiceArea
from models.tables.outbox import OutboxEvent
from models.tables.oversight import Absence, CoverArrangement
from tests.factories.people import PASSWORD, make_service_area, make_staff, make_team, make_user
from tests.webapp.admin_council import build_admin_council, signed_in_client
from tests.webapp.conftest import build_app, login
from tests.webapp.conftest import text_of as page_text

NEW_PASSWORD = "three random words here"


def text_of(response) -> str:
    return html.unescape(page_text(response))


@pytest.fixture
def council(db):
    return build_admin_council(db)


@pytest.fixture
def client(db, tmp_path, council):
    return signed_in_client(db, tmp_path)


def checked_and_confirmed(client, url: str, data: dict):
    check = client.post(url, data=data)
    assert check.status_code == 200 and "Check your answers" in text_of(check), text_of(check)
    return client.post(url, data={**data, "confirm": "1"})


def date_fields(name: str, day: date) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def test_an_absence_without_cover_is_recorded_announced_and_audited(db, client, council):
    done = checked_and_confirmed(
        client,
        f"/admin/staff/{council['manager']}/absence",
        {**date_fields("starts_on", date(2026, 3, 9)), "reason": "Annual leave"},
    )

    assert done.status_code == 302
    with db() as session:
        absence = session.scalars(select(Absence)).one()
        assert (absence.staff_id, absence.starts_on, absence.ends_on) == (
            council["manager"],
            date(2026, 3, 9),
            None,
        )
        assert session.scalars(select(OutboxEvent.event)).all() == ["oversight.absence.recorded"]
        assert session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "absence")
        ).first()


def test_cover_arranged_on_the_admin_page_follows_the_team_pages_eligibility(db, client, council):
    with db() as session, session.begin():
        colleague = make_staff(session, council["org"], role=StaffRole.TEAM_MANAGER)
        make_user(session, colleague, AppRole.SUPERVISOR, username="cole")
        number = colleague.staff_number
    url = f"/admin/staff/{council['manager']}/absence"
    dates = {
        **date_fields("starts_on", date(2026, 3, 9)),
        **date_fields("ends_on", date(2026, 4, 3)),
    }

    # The worker the manager supervises may not cover for them (eligibility.py).
    refused = client.post(url, data={**dates, "cover": council["worker_number"], "confirm": "1"})
    done = checked_and_confirmed(client, url, {**dates, "cover": number})

    assert "cannot cover" in text_of(refused)
    assert done.status_code == 302
    with db() as session:
        arrangement = session.scalars(select(CoverArrangement)).one()
        assert arrangement.absent_supervisor_id == council["manager"]
        assert arrangement.cover_supervisor_id == colleague.id


def invitation_link(db, staff_id: int) -> str:
    with db() as session:
        body = session.scalars(
            select(MailMessage.body).where(
                MailMessage.recipient_id == staff_id, MailMessage.kind == "invitation"
            )
        ).one()
    return re.search(r"/admin/set-password/\S+", body).group(0)


def test_a_login_is_given_by_invitation_and_the_person_sets_their_own_password(db, client, council):
    done = checked_and_confirmed(
        client,
        f"/admin/staff/{council['worker']}/login",
        {"username": "wendy", "roles": ["supervisee", "supervisor"], "active": "yes"},
    )
    assert done.status_code == 302
    link = invitation_link(db, council["worker"])
    token = link.rsplit("/", 1)[1]
    with db() as session:
        account = session.scalars(select(UserAccount).where(UserAccount.username == "wendy")).one()
        assert account.role_names == {"supervisee", "supervisor"}
        stored = session.scalars(select(LoginInvitation.token_hash)).one()
        assert stored == invitation_token_hash(token) and token not in stored
    person = build_app(db).test_client()
    assert login(person, "wendy", "!").status_code == 200  # no password works yet

    too_short = person.post(link, data={"password": "short"})
    set_it = person.post(link, data={"password": NEW_PASSWORD})
    again = person.get(link)

    assert "at least 12 characters" in text_of(too_short)
    assert set_it.status_code == 302 and again.location.startswith("/login")
    assert login(person, "wendy", NEW_PASSWORD).status_code == 302


def test_an_out_of_date_invitation_sets_no_password(db, client, council):
    checked_and_confirmed(
        client,
        f"/admin/staff/{council['worker']}/login",
        {"username": "wendy", "roles": ["supervisee"], "active": "yes"},
    )
    link = invitation_link(db, council["worker"])
    with db() as session, session.begin():
        session.scalars(select(LoginInvitation)).one().expires_at = utcnow() - timedelta(minutes=1)

    refused = build_app(db).test_client().post(link, data={"password": NEW_PASSWORD})

    assert refused.status_code == 302 and refused.location.startswith("/login")
    with db() as session:
        assert (
            session.scalars(
                select(UserAccount.password_hash).where(UserAccount.username == "wendy")
            ).one()
            == "!"
        )


def test_a_head_of_service_gives_only_the_roles_of_practice_in_their_own_area(
    db, council, tmp_path
):
    with db() as session, session.begin():
        head = make_staff(session, council["org"], role=StaffRole.SENIOR_MANAGER)
        session.get(Team, council["team"]).service_area.head_of_service_id = head.id
        make_user(session, head, AppRole.HEAD_OF_SERVICE, username="hana")
    hana = build_app(db, INSTANCE_PATH=str(tmp_path)).test_client()
    assert login(hana, "hana", PASSWORD).status_code == 302
    url = f"/admin/staff/{council['worker']}/login"

    refused = hana.post(
        url,
        data={"username": "wendy", "roles": ["workforce_team"], "active": "yes", "confirm": "1"},
    )
    given = checked_and_confirmed(
        hana, url, {"username": "wendy", "roles": ["supervisee"], "active": "yes"}
    )

    assert "roles of practice only" in text_of(refused)
    assert given.status_code == 302


def test_a_team_moves_to_another_area_with_its_people_and_closes_only_once_empty(
    db, client, council
):
    with db() as session, session.begin():
        other = make_service_area(session, council["org"], name="Early help")
        spare = make_team(session, council["org"], name="Spare", area=other)
        other_id, spare_id = other.id, spare.id

    moved = checked_and_confirmed(
        client,
        f"/admin/teams/{council['team']}",
        {"name": "Assessment East", "area": str(other_id)},
    )
    listing = text_of(client.get("/admin/teams"))
    staff_list = text_of(client.get("/admin/staff"))
    not_empty = client.post(
        f"/admin/teams/{council['team']}/close",
        data={**date_fields("closed_on", date(2026, 3, 31)), "confirm": "1"},
    )
    closed = checked_and_confirmed(
        client, f"/admin/teams/{spare_id}/close", date_fields("closed_on", date(2026, 3, 31))
    )

    assert moved.status_code == 302 and closed.status_code == 302
    assert "Assessment East" in listing and "Early help" in listing
    assert "Assessment East (Early help)" in staff_list
    assert "still in Assessment East" in text_of(not_empty)
    with db() as session:
        assert session.get(Team, spare_id).closed_on == date(2026, 3, 31)
        assert session.get(Team, council["team"]).closed_on is None
        worker = session.get(StaffMember, council["worker"])
        assert session.get(ServiceArea, worker.team.service_area_id).name == "Early help"
        details = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.object_type == "team")
        ).all()
        assert any("name: Assessment -> Assessment East" in d for d in details)
