"""A council for the admin pages' tests: one service area and team, a team
manager, a worker they manage, and a workforce-team login ("fay")."""

from __future__ import annotations

from models import AppRole, StaffRole
from tests.factories.people import (
    PASSWORD,
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)
from tests.webapp.conftest import build_app, login


def build_admin_council(db) -> dict:
    with db() as session, session.begin():
        org = make_organisation(session)
        area = make_service_area(session, org)
        team = make_team(session, org, name="Assessment", area=area)
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
        worker = make_staff(session, org, team=team, line_manager=manager)
        admin = make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT, team=team)
        make_user(session, admin, AppRole.WORKFORCE_TEAM, username="fay")
        return {
            "org": org.id,
            "team": team.id,
            "manager": manager.id,
            "worker": worker.id,
            "manager_number": manager.staff_number,
            "worker_number": worker.staff_number,
        }


def signed_in_client(db, instance_path):
    """The workforce team's browser, signed in; uploads wait in `instance_path`."""
    client = build_app(db, INSTANCE_PATH=str(instance_path)).test_client()
    assert login(client, "fay", PASSWORD).status_code == 302
    return client
