"""Each role's day in a real browser: sign in as every role, sign an
agreement from both sides (which clears the supervisee's inbox), claim and
release a group task, and do the same by keyboard alone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in, sign_out
from tests.webapp.test_agreements import ANSWERS

pytestmark = pytest.mark.browser

ROLE_USERS = {
    "supervisee": "worker",
    "supervisor": "manager",
    "head_of_service": "head",  # also a line manager
    "principal_social_worker": "principal_social_worker",
    "workforce_team": "workforce_team",
    "auditor": "auditor",
}


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_role_signs_in_to_their_inbox_and_their_supervision_page(page, site, role):
    sign_in(page, site, ROLE_USERS[role])
    assert page.locator("h1").inner_text() == "Your inbox"
    assert page.locator(".govuk-service-navigation").get_by_text("Sign out").is_visible()
    page.get_by_role("link", name="Your supervision").click()
    assert page.locator("h1").inner_text() == "Your supervision"
    page.get_by_role("link", name="People", exact=True).click()
    assert page.locator("h1").inner_text() == "People"
    sign_out(page)


def test_the_supervisor_signs_the_agreement_and_the_supervisee_countersigns_it(page, site):
    sign_in(page, site, "manager")
    page.get_by_role(
        "link", name="Draft and sign the supervision agreement with Sam Worker"
    ).click()
    page.get_by_role("button", name="Draft and sign the agreement").click()
    page.fill("#frequency_weeks", ANSWERS["frequency_weeks"])
    for key, value in ANSWERS.items():
        if key in ("frequency_weeks", "declaration") or not value:
            continue
        page.fill(f"#{key}", value)
    page.check("#declaration")
    page.get_by_role("button", name="Sign the agreement").click()
    page.wait_for_url(f"{site.url}/inbox")
    assert "It is now in Sam Worker's inbox to countersign" in page.inner_text("main")
    sign_out(page)

    sign_in(page, site, "worker")
    page.get_by_role("link", name=re.compile("countersign", re.I)).first.click()
    page.get_by_role("button", name=re.compile("countersign", re.I)).first.click()
    page.check("#declaration")
    page.get_by_role("button", name=re.compile("countersign", re.I)).last.click()
    assert "It is now in force" in page.inner_text("main")
    page.get_by_role("link", name="Inbox", exact=True).click()
    assert page.get_by_test_id("inbox-empty").is_visible()


def test_a_head_of_service_claims_a_group_task_and_releases_it(page, site):
    sign_in(page, site, "head")
    offered = page.get_by_test_id("offered")
    assert offered.get_by_text("Sample this quarter's supervision records").is_visible()
    offered.get_by_role("button", name="Claim: Sample this quarter's supervision records").click()
    assert "You claimed the task" in page.inner_text("main")
    page.get_by_role("button", name="Release it to heads of service").click()
    assert "offered to your group again" in page.inner_text("main")
    assert page.get_by_test_id("offered").get_by_text("Sample this quarter").is_visible()


def test_the_inbox_filters_are_in_the_address_and_can_be_bookmarked(page, site):
    sign_in(page, site, "head")
    page.check("#status-3")  # offered to your group
    page.get_by_role("button", name="Apply filters").click()
    assert "status=offered" in page.url
    bookmarked = page.url
    page.goto(f"{site.url}/inbox")
    page.goto(bookmarked)
    assert page.is_checked("#status-3")
    assert page.get_by_test_id("inbox").count() == 0
    assert page.get_by_test_id("offered").is_visible()


def _focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return (e.innerText || e.value || e.getAttribute('aria-label') || '').trim(); }"
    )


def _tab_to(page, text: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in _focused(page):
            return
    raise AssertionError(f"could not reach {text!r} with the Tab key")


def test_by_keyboard_alone_sign_in_skip_to_content_open_a_task_and_delegate_it(page, site):
    page.goto(f"{site.url}/login")
    _tab_to(page, "Skip to main content")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "username"
    page.keyboard.type("manager")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.url}/inbox")

    page.keyboard.press("Tab")
    assert _focused(page) == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    _tab_to(page, "Draft and sign the supervision agreement with Chloe Colleague")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    _tab_to(page, "Give this task to someone else")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/delegate$"))

    _tab_to(page, "Choose a person")  # the select
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Chloe's agreement is best drafted by Helen this time.")
    page.keyboard.press("Tab")
    assert _focused(page) == "Reassign"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.url}/inbox")
    assert "You gave" in page.inner_text("main")
