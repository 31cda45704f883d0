"""The dashboard reads the figures kept for the period it opens on and says
when they were computed; another period is computed live and says so; the
workforce team can have them computed again, nobody else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AppRole, StaffMember, StaffRole, Team
from models.engine.reconcile_runs import reconcile_organisation
from models.reports.summary import kept_figures, refresh_summary
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
    return org_id


def _as_of_line(html: str) -> str:
    return re.search(r'data-testid="figures-as-of">([^<]*)<', html).group(1)


def test_the_page_reads_the_kept_figures_and_says_when_they_were_computed(db, busy):
    refresh_summary(busy, TODAY, session_factory=db)
    with db() as session:
        team = session.scalars(select(Team).where(Team.name == "Busy Assessment Team")).one()
        manager = session.scalars(select(StaffMember).where(StaffMember.name == "Busy Manager"))
        assert manager.one().role == StaffRole.TEAM_MANAGER
    client = build_app(db).test_client()
    login(client, "wft")
    html = client.get("/dashboard").get_data(as_text=True)
    assert re.fullmatch(
        r"Figures as of \d{1,2} \w+ \d{4} at \d{1,2}:\d\d[ap]m: .*", _as_of_line(html)
    )
    assert overdue_shown(html) == overdue_counted_here(db) > 0
    client = build_app(db).test_client()
    login(client, "tm")
    html = client.get("/dashboard").get_data(as_text=True)
    assert _as_of_line(html).startswith("Figures as of ")
    assert overdue_shown(html) == overdue_counted_here(db, team.id)


def test_a_period_the_kept_figures_do_not_cover_is_computed_live_and_says_so(db, busy):
    client = build_app(db).test_client()
    login(client, "wft")
    never = client.get("/dashboard").get_data(as_text=True)
    assert _as_of_line(never).startswith("Computed live: no figures have been kept")
    refresh_summary(busy, TODAY, session_factory=db)
    earlier = TODAY - timedelta(days=40)
    html = client.get(
        f"/dashboard?as_of={earlier.day}&as_of={earlier.month}&as_of={earlier.year}"
    ).get_data(as_text=True)
    assert _as_of_line(html).startswith("Computed live for this period: the figures kept")
    assert _as_of_line(client.get("/dashboard").get_data(as_text=True)).startswith("Figures as of")


def test_the_workforce_team_has_the_figures_computed_again_and_a_team_manager_may_not(db, busy):
    manager = build_app(db).test_client()
    login(manager, "tm")
    assert "Compute the figures again now" not in manager.get("/dashboard").get_data(as_text=True)
    assert manager.post("/dashboard/refresh").status_code == 404
    with db() as session:
        assert kept_figures(session, busy) is None
    client = build_app(db).test_client()
    login(client, "wft")
    assert "Compute the figures again now" in client.get("/dashboard").get_data(as_text=True)
    response = client.post("/dashboard/refresh")
    assert response.status_code == 302 and response.location.endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "The figures were computed again" in page
    assert _as_of_line(page).startswith("Figures as of ")
    with db() as session:
        assert kept_figures(session, busy).period.as_of == TODAY
