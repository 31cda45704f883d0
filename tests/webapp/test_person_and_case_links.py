"""The person page links to the person's supervision actions (where the
council's policy owes actions: Wokingham standard 6, Lancashire record §1) and,
for a supervisor, to the audits of the records they keep (Wokingham "Supervision
Audits", Nottingham Appendix 6); the case page links to its management
oversight (Wokingham standards 25-27, for the case types the rule names). Each
link shows only where the policy has the page and the page's own access rule
lets the viewer in (webapp/links.py), and it opens."""

from __future__ import annotations

import re
from datetime import date

import pytest

from models import Organisation
from tests.factories import make_case
from tests.webapp.conftest import login
from tests.worlds.small_council import add_every_role


def _council(db, world, profile: str) -> None:
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = profile


def _links(client, path: str) -> set[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return set(re.findall(r'href="([^"]+)"', response.get_data(as_text=True)))


def test_a_supervisors_page_links_to_their_actions_and_the_audits_of_their_records(
    client, world, db
):
    _council(db, world, "wokingham")
    login(client, world.head)
    links = _links(client, f"/people/{world.manager_id}")
    audits, actions = (
        f"/staff/{world.manager_id}/record-audits",
        f"/staff/{world.manager_id}/actions",
    )
    assert {audits, actions} <= links
    assert client.get(audits).status_code == 200 and client.get(actions).status_code == 200


def test_a_supervisee_sees_their_own_actions_but_no_audits_as_they_keep_no_records(
    client, world, db
):
    _council(db, world, "wokingham")
    login(client, world.worker)
    links = _links(client, f"/people/{world.worker_id}")
    assert f"/staff/{world.worker_id}/actions" in links
    assert not any("record-audits" in link for link in links)
    page = client.get(f"/people/{world.worker_id}").get_data(as_text=True)
    assert "Actions agreed in your supervision" in page


@pytest.mark.parametrize(
    ("profile", "actions", "audits"),
    [("lancashire", True, False), ("nottingham", False, True), ("north_west", True, False)],
)
def test_the_links_follow_what_the_councils_policy_owes(
    client, world, db, profile, actions, audits
):
    _council(db, world, profile)
    login(client, world.manager)
    links = _links(client, f"/people/{world.manager_id}")
    assert (f"/staff/{world.manager_id}/actions" in links) is actions
    assert (f"/staff/{world.manager_id}/record-audits" in links) is audits


@pytest.fixture
def cases(world, db):
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = "wokingham"
        for ref, kind in (("EH100200", "early_help"), ("CIN300400", "child_in_need")):
            make_case(session, world.worker_id, case_ref=ref, case_type=kind,
                      allocated_on=date(2026, 1, 5))  # fmt: skip
    return world


@pytest.mark.parametrize("who", ["manager", "worker", "head"])
def test_an_early_help_case_page_links_to_its_management_oversight(client, cases, who):
    login(client, getattr(cases, who))
    assert "/cases/EH100200/oversight" in _links(client, "/cases/EH100200")
    assert client.get("/cases/EH100200/oversight").status_code == 200


def test_a_child_in_need_case_has_no_alternate_month_oversight_to_link(client, cases):
    """Standard 24: Children in Need cases have oversight at decision points instead."""
    login(client, cases.manager)
    assert "/cases/CIN300400/oversight" not in _links(client, "/cases/CIN300400")


def test_under_a_council_without_the_standard_the_case_page_has_no_oversight_link(
    client, cases, db
):
    _council(db, cases, "lancashire")
    login(client, cases.manager)
    assert "/cases/EH100200/oversight" not in _links(client, "/cases/EH100200")


def test_the_workforce_team_finds_a_persons_whole_file_on_their_page_and_a_supervisor_does_not(
    client, world, db
):
    add_every_role(db, world)
    download = f"/exports/people/{world.worker_id}"
    login(client, "workforce_team")
    assert download in _links(client, f"/people/{world.worker_id}")
    assert client.get(download).status_code == 200
    client.post("/logout")
    login(client, world.manager)
    assert download not in _links(client, f"/people/{world.worker_id}")
