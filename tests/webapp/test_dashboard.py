"""The dashboard as the workforce team, a head of service and a team manager
see it: each their scope's figures, agreeing with counts made here from the
table's rows; a number opens the people behind it, linked to their pages;
bad dates get an error summary; others are not shown it."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import AppRole, StaffMember, StaffRole, Team
from models.engine.reconcile_runs import reconcile_organisation
from models.reports.workbook import ABOUT_SHEET
from tests.factories import make_user
from tests.webapp.conftest import TODAY, build_app, login
from tests.webapp.dashboard_counts import overdue_counted_here, overdue_shown
from tests.worlds.busy_organisation import build_organisation


@pytest.fixture
def busy(db):
    org_id = build_organisation(db, profile="wokingham", as_of=TODAY, name="Busy")
    reconcile_organisation(org_id, as_of=TODAY - timedelta(days=30), session_factory=db)
    reconcile_organisation(org_id, as_of=TODAY, session_factory=db)
    with db() as session, session.begin():
        people = {s.name: s for s in session.scalars(select(StaffMember))}
        make_user(session, people["Busy Head"], AppRole.WORKFORCE_TEAM, username="wft")
        make_user(session, people["Busy Manager"], AppRole.SUPERVISOR, username="tm")
        worker = next(p for p in people.values() if p.role == StaffRole.SOCIAL_WORKER)
        make_user(session, worker, AppRole.SUPERVISEE, username="someone")
    return org_id


def test_the_workforce_team_sees_the_whole_organisations_figures_with_a_chart_and_table(db, busy):
    client = build_app(db).test_client()
    login(client, "wft")
    page = client.get("/dashboard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("<svg") >= 5 and 'role="img"' in html
    assert overdue_shown(html) == overdue_counted_here(db) > 0
    assert 'href="/dashboard"' in client.get("/inbox").get_data(as_text=True)


def test_a_team_manager_sees_their_teams_figures_and_a_number_opens_the_people_behind_it(db, busy):
    with db() as session:
        team = session.scalars(select(Team).where(Team.name == "Busy Assessment Team")).one()
    client = build_app(db).test_client()
    login(client, "tm")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Busy Assessment Team" in html
    assert overdue_shown(html) == overdue_counted_here(db, team.id)
    link = re.search(r'data-testid="count-open_tasks-overdue" href="([^"]+)"', html)
    items = client.get(link.group(1).replace("&amp;", "&"))
    assert items.status_code == 200
    listed = items.get_data(as_text=True)
    assert re.search(r'href="/people/\d+"', listed)


def test_someone_who_is_not_a_manager_is_not_shown_the_dashboard(db, busy):
    client = build_app(db).test_client()
    login(client, "someone")
    assert client.get("/dashboard").status_code == 404
    assert client.get("/dashboard/report?month=2026-01").status_code == 404
    assert 'href="/dashboard"' not in client.get("/inbox").get_data(as_text=True)


def test_a_date_range_that_ends_before_it_starts_gets_an_error_summary_not_a_crash(db, busy):
    client = build_app(db).test_client()
    login(client, "wft")
    page = client.get(
        "/dashboard?starts_on=1&starts_on=6&starts_on=2026&ends_on=1&ends_on=1&ends_on=2026"
        "&as_of=31&as_of=2&as_of=2026"
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "govuk-error-summary" in html and "on or after its start" in html
    assert "Day the figures are seen as of must be a real date" in html  # 31 February


def test_the_months_report_downloads_as_a_workbook_with_a_sheet_per_figure(db, busy):
    client = build_app(db).test_client()
    login(client, "wft")
    response = client.get(f"/dashboard/report?month={TODAY:%Y-%m}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == ABOUT_SHEET and "open_tasks" in book.sheetnames
    bad = client.get("/dashboard/report?month=2026-13")
    assert bad.status_code == 400 and "govuk-error-summary" in bad.get_data(as_text=True)
