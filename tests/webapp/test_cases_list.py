"""The cases of the people someone oversees, at a council's size: pages of
50 in case ID order counted by the database, search by case ID, filters
(team, worker's role, case type, open or closed, overdue supervision), a
clear error for a filter value the list cannot use, and each viewer's scope."""

from __future__ import annotations

import re
from datetime import timedelta

from models import CaseType
from tests.factories import make_case, make_human_task
from tests.webapp.conftest import TODAY, login, text_of
from tests.worlds.builder import Council


def _listed(response) -> list[str]:
    html = response.get_data(as_text=True)
    table = re.search(r'data-testid="overseen-cases".*?</table>', html, flags=re.S)
    return re.findall(r'href="/cases/([A-Z0-9-]+)"', table.group(0)) if table else []


def _add_cases(db, world, count: int = 120) -> dict:
    """`count` cases, alternately Sam's and Chloe's (Chloe moved to the
    Fostering team); every third a child protection case, every eleventh
    closed, every eighth open one overdue for supervision."""
    made = {"cp": set(), "closed": set(), "overdue": set(), "chloe": set()}
    with db() as session, session.begin():
        council = Council.of(session, world.org_id)
        chloe = council.staff(world.colleague_id)
        chloe.team_id = council.team("Fostering Team").id
        made["fostering_id"] = chloe.team_id
        for n in range(1, count + 1):
            ref = f"LCS-{500000 + n}"
            worker = world.colleague_id if n % 2 else world.worker_id
            case_type = CaseType.CHILD_PROTECTION if n % 3 == 0 else CaseType.CHILD_IN_NEED
            ended = {"ended_on": TODAY - timedelta(days=5)} if n % 11 == 0 else {}
            make_case(
                session, worker, case_ref=ref, case_type=case_type,
                allocated_on=TODAY - timedelta(days=100), **ended,
            )  # fmt: skip
            if ended:
                made["closed"].add(ref)
                continue
            if case_type == CaseType.CHILD_PROTECTION:
                made["cp"].add(ref)
            if worker == world.colleague_id:
                made["chloe"].add(ref)
            if n % 8 == 0:
                make_human_task(
                    session, world.org_id, kind="case_supervision", subject=ref,
                    due_on=TODAY - timedelta(days=3), assignee=world.manager_id,
                    subject_staff=worker,
                )  # fmt: skip
                made["overdue"].add(ref)
    return made


def test_the_overseen_cases_come_fifty_a_page_in_case_id_order(client, world, db):
    _add_cases(db, world)
    login(client, world.manager)
    first = client.get("/cases")
    # 120 cases less the 10 closed.
    assert "Showing 1 to 50 of 110 cases, by case ID." in text_of(first)
    assert _listed(first) == sorted(_listed(first)) and len(_listed(first)) == 50
    last = client.get("/cases?page=3")
    assert "Showing 101 to 110 of 110 cases" in text_of(last)
    pages = [_listed(client.get(f"/cases?page={p}")) for p in (1, 2, 3)]
    assert len({ref for page in pages for ref in page}) == 110
    assert 'aria-label="Pages of cases"' in first.get_data(as_text=True)


def test_search_and_filters_narrow_the_cases_and_the_page_links_keep_them(client, world, db):
    made = _add_cases(db, world)
    login(client, world.manager)
    assert _listed(client.get("/cases?q=lcs-50001")) == [
        f"LCS-5000{n}" for n in range(10, 20) if n % 11
    ]
    assert set(_listed(client.get("/cases?type=child_protection"))) == made["cp"]
    assert set(_listed(client.get("/cases?overdue=yes"))) == made["overdue"]
    assert set(_listed(client.get("/cases?status=closed"))) == made["closed"]
    team = client.get(f"/cases?team={made['fostering_id']}")
    assert f"Showing 1 to 50 of {len(made['chloe'])} cases that match" in text_of(team)
    pages = team.get_data(as_text=True).split("Pages of cases")[1]
    assert f"team={made['fostering_id']}" in pages
    overdue = client.get("/cases?overdue=yes").get_data(as_text=True)
    assert overdue.count("govuk-tag--red") >= len(made["overdue"])


def test_a_closed_case_reallocated_to_someone_is_open_not_closed(client, world, db):
    with db() as session, session.begin():
        make_case(
            session, world.worker_id, case_ref="LCS-700001",
            allocated_on=TODAY - timedelta(days=90), ended_on=TODAY - timedelta(days=30),
        )  # fmt: skip
        make_case(
            session, world.colleague_id, case_ref="LCS-700001",
            allocated_on=TODAY - timedelta(days=30),
        )  # fmt: skip
    login(client, world.manager)
    assert _listed(client.get("/cases?status=closed")) == []
    assert _listed(client.get("/cases")) == ["LCS-700001"]


def test_a_case_filter_value_the_list_cannot_use_is_named_in_an_error_summary(client, world, db):
    _add_cases(db, world, 3)
    login(client, world.manager)
    response = client.get("/cases?type=dragons&status=ajar&page=x&team=99999")
    assert response.status_code == 200
    text = text_of(response)
    for message in (
        "Case type: choose one of the options in the list",
        "Status: choose one of the options in the list",
        "Page: the page number must be a whole number from 1",
        "Team: choose one of the options in the list",
    ):
        assert message in text
    assert len(_listed(response)) == 3  # the filters it could not use are left off


def test_a_worker_sees_only_their_own_cases_and_no_overseen_list(client, world, db):
    _add_cases(db, world, 4)
    login(client, world.worker)
    page = client.get("/cases")
    assert _listed(page) == []
    assert "Cases of the people you oversee" not in text_of(page)
    mine = re.findall(r'href="/cases/(LCS-\d+)"', page.get_data(as_text=True))
    assert sorted(mine) == ["LCS-500002", "LCS-500004"]


def test_a_head_of_service_sees_the_cases_of_their_area_in_the_list(client, world, db):
    _add_cases(db, world, 4)
    login(client, world.head)
    assert len(_listed(client.get("/cases"))) == 4
