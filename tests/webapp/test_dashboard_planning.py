"""The dashboard's planning pages as the workforce team, a head of service
and a team manager use them: the hours the policy demands by team (the same
as the what-if computed here over the same facts), compared with another
council's policy; and the inspection evidence pack downloaded, its
production audited; bad input gets an error summary; others are not shown them."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry, StaffMember, Team
from models.engine.facts_loader import load_facts
from models.engine.reconcile_runs import reconcile_organisation
from models.reports.capacity import capacity
from policy import load_profile
from policy.keys import team_fact_id
from tests.factories import make_user
from tests.webapp.conftest import TODAY, build_app, login
from tests.worlds.busy_organisation import build_organisation


@pytest.fixture
def busy(db):
    org_id = build_organisation(db, profile="wokingham", as_of=TODAY, name="Busy")
    reconcile_organisation(org_id, as_of=TODAY - timedelta(days=30), session_factory=db)
    with db() as session, session.begin():
        people = {s.name: s for s in session.scalars(select(StaffMember))}
        make_user(session, people["Busy Deputy"], AppRole.WORKFORCE_TEAM, username="wft")
        make_user(session, people["Busy Head"], AppRole.HEAD_OF_SERVICE, username="hos")
        make_user(session, people["Busy Manager"], AppRole.SUPERVISOR, username="tm")
        worker = next(p for p in people.values() if p.role.value == "social_worker")
        make_user(session, worker, AppRole.SUPERVISEE, username="someone")
    return org_id


def _client(db, username):
    client = build_app(db).test_client()
    login(client, username)
    return client


def _cells(html: str, testid: str) -> list[list[str]]:
    table = html.split(f'data-testid="{testid}"')[1].split("</table>")[0]
    rows = table.split("<tbody")[1].split("</tr>")[:-1]
    return [re.findall(r">\s*([^<>]+?)\s*</t[hd]>", row) for row in rows]


def _expected(db, org_id, profile):
    with db() as session:
        facts = load_facts(session, org_id)
        team = session.scalars(select(Team)).one()
    return capacity(load_profile(profile), facts, TODAY), team_fact_id(team.id)


def test_the_workforce_team_sees_the_hours_demanded_by_team_and_beside_another_policy(db, busy):
    page = _client(db, "wft").get(
        f"/dashboard/capacity?compare=bristol&as_of={TODAY.day}&as_of={TODAY.month}"
        f"&as_of={TODAY.year}"
    )
    assert page.status_code == 200
    rows = _cells(page.get_data(as_text=True), "capacity-by-team")
    ours, team = _expected(db, busy, "wokingham")
    theirs, _ = _expected(db, busy, "bristol")
    total = rows[-1]
    assert total[0] == "The whole organisation"
    assert [float(x) for x in total[2:4]] == pytest.approx(
        [ours.total()[0], theirs.total()[0]], abs=0.05
    )
    assert float(total[4]) == pytest.approx(theirs.total()[0] - ours.total()[0], abs=0.05)
    assert ours.teams()[team][0] != theirs.teams()[team][0]


def test_a_team_manager_sees_only_their_teams_hours(db, busy):
    html = _client(db, "tm").get("/dashboard/capacity").get_data(as_text=True)
    rows = _cells(html, "capacity-by-team")
    ours, team = _expected(db, busy, "wokingham")
    assert [r[0] for r in rows] == ["Busy Assessment Team"]
    assert float(rows[0][2]) == pytest.approx(ours.teams()[team][0], abs=0.05)
    assert 'data-testid="capacity-total"' not in html


def test_an_unknown_policy_to_compare_with_gets_an_error_summary(db, busy):
    page = _client(db, "wft").get("/dashboard/capacity?compare=atlantis")
    assert page.status_code == 400 and "govuk-error-summary" in page.get_data(as_text=True)


def test_the_evidence_pack_downloads_as_a_zip_and_its_production_is_audited(db, busy):
    client = _client(db, "wft")
    form = client.get("/dashboard/evidence").get_data(as_text=True)
    assert "The whole organisation" in form
    start = TODAY - timedelta(days=90)
    response = client.get(
        f"/dashboard/evidence?area=all&starts_on={start.day}&starts_on={start.month}"
        f"&starts_on={start.year}&ends_on={TODAY.day}&ends_on={TODAY.month}&ends_on={TODAY.year}"
    )
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert {"report.xlsx", "escalation-log.csv", "policy-profile.html"} <= names
    with db() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "evidence_pack")
        ).all()
    assert len(entries) == 1 and entries[0].actor_user_id is not None


def test_a_head_of_service_may_choose_only_the_areas_they_head(db, busy):
    html = _client(db, "hos").get("/dashboard/evidence").get_data(as_text=True)
    assert "Busy" in html and "The whole organisation" not in html


def test_an_evidence_pack_with_no_dates_gets_an_error_summary_not_a_zip(db, busy):
    page = _client(db, "wft").get("/dashboard/evidence?area=all")
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "govuk-error-summary" in html
    assert "Enter the start of the date range" in html


def test_a_team_manager_and_a_practitioner_are_not_shown_the_evidence_pack(db, busy):
    assert _client(db, "tm").get("/dashboard/evidence").status_code == 404
    assert _client(db, "someone").get("/dashboard/capacity").status_code == 404
