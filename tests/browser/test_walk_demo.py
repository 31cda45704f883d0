"""A new user's walk through the demo council in Chromium, at a desktop width
and at 375 px: a team manager opens her overdue action and reads what was
agreed, when and by whom, then marks it done; the head of service opens each
escalation and reads what is wrong, who owes it, and follows the link to the
work; printed observations and annual reviews carry the council, their
version and the print date; every page says whose policy it follows."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import Observation, ReviewQuestionnaire
from models.demo import DEMO_PASSWORD, load_demo
from models.engine.reconcile import reconcile
from policy.engine import LIFECYCLES
from tests.browser.conftest import _served

pytestmark = pytest.mark.browser

DEMO_TODAY = date(2026, 12, 7)
PHONE = {"width": 375, "height": 800}
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


@pytest.fixture
def demo_url(db):
    summary = load_demo(today=DEMO_TODAY, session_factory=db)
    reconcile(organisation_id=summary.organisation_id, lifecycles=set(LIFECYCLES),
              as_of=DEMO_TODAY, session_factory=db)  # fmt: skip
    with _served(db, OVERSIGHT_TODAY=DEMO_TODAY.isoformat()) as url:
        yield url


def _sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{url}/inbox")


def _fits(page) -> None:
    """Nothing runs off the side of the page."""
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_action_task_page_quotes_the_action_and_leads_to_marking_it_done(browser, demo_url):
    page = browser.new_context(viewport=PHONE).new_page()
    _sign_in(page, demo_url, "grace.adeyemi")
    page.get_by_role("link", name=re.compile("Complete an action agreed in Ben Foster")).click()
    action = page.locator("[data-testid=agreed-action]")
    text = re.sub(r"\s+", " ", action.inner_text())
    assert "What was agreed Ask the family support service for a parenting course place" in text
    assert "Agreed in Ben Foster's supervision with Grace Adeyemi, held 16 November 2026" in text
    assert "Owner Grace Adeyemi" in text and "To be done by 30 November 2026" in text
    _fits(page)
    page.get_by_role("button", name="Mark the action done").click()
    expect(
        page.get_by_role("heading", name=re.compile("Mark done: Ask the family"))
    ).to_be_visible()
    page.fill("#done_on-day", "4")
    page.fill("#done_on-month", "12")
    page.fill("#done_on-year", "2026")
    page.fill("#note", "Place booked for January.")
    page.get_by_role("button", name="Mark it done").click()
    assert "You marked “Ask the family support service" in page.inner_text("main")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE])
def test_each_escalation_says_what_is_wrong_who_owes_it_and_links_to_the_work(
    browser, demo_url, viewport
):
    page = browser.new_context(viewport=viewport).new_page()
    _sign_in(page, demo_url, "priya.shah")
    page.goto(f"{demo_url}/inbox?kind=escalation")
    links = page.locator("main a[href^='/tasks/']")
    hrefs = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
    assert len(hrefs) >= 3
    kinds_seen = set()
    for href in hrefs:
        page.goto(demo_url + href)
        cause = page.locator("[data-testid=escalation-cause]").inner_text()
        assert re.search(r"\d{1,2} [A-Z][a-z]+ 2026", cause), cause
        assert not ISO_DATE.search(page.inner_text("main"))
        owner = page.locator("dt:has-text('Waiting for') + dd").inner_text().splitlines()[0]
        owner_name = owner.split(",")[0]
        assert owner_name in cause and owner_name != "Priya Shah"
        rule = page.locator("[data-testid=escalation-rule]").inner_text()
        assert rule and rule not in cause
        assert "(adopted by Demo County Council)" in page.inner_text("main")
        kinds_seen.add(page.locator("h1").inner_text().split(":")[0].split(" of ")[0])
        _fits(page)
        work = page.locator("[data-testid=escalation-work]")
        response = page.request.get(demo_url + work.get_attribute("href"))
        assert response.status == 200, work.get_attribute("href")
    assert {"Overdue supervision", "Overdue case supervision"} <= kinds_seen


def _records(db) -> list[tuple[str, str]]:
    """One signed observation and every annual review the demo holds: their pages."""
    with db() as session:
        observation = session.scalars(
            select(Observation).where(Observation.signatures.any()).order_by(Observation.id)
        ).first()
        reviews = session.scalars(select(ReviewQuestionnaire.id)).all()
    return [f"/observations/{observation.id}"] + [f"/review-questionnaires/{r}" for r in reviews]


# What each state of a record says, and the version it has reached there.
VERSIONS = {
    "signed by both": 6,  # planned, the form's three parts written, two signatures
    "waiting for the supervisor": 1,  # the supervisee's signature
    "forwarded to the line manager": 2,
    "read by the line manager": 3,
}


def test_printed_observations_and_reviews_carry_the_council_version_and_print_date(
    browser, demo_url, db
):
    page = browser.new_context(viewport=PHONE).new_page()
    _sign_in(page, demo_url, "helen.brooks")  # the principal social worker sees every team
    page.emulate_media(media="print")
    states = set()
    for path in _records(db):
        page.goto(demo_url + path)
        header = page.locator("[data-testid=print-header]")
        expect(header).to_be_visible()
        text = re.sub(r"\s+", " ", header.inner_text())
        assert text.startswith("Demo County Council. ") and text.endswith(
            "Printed 7 December 2026."
        )
        found = re.search(r"record (\d+), version (\d+): ([a-z ]+)\.", text)
        assert found and found.group(1) == path.rsplit("/", 1)[1], text
        states.add(found.group(3))
        assert int(found.group(2)) == VERSIONS[found.group(3)], text
    assert {"signed by both", "waiting for the supervisor", "read by the line manager"} <= states
