"""The inbox in pages in a real browser: the counts at the top, the GOV.UK
pagination links (reached and followed by keyboard alone), and axe finds no
WCAG violation on a middle page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility_pages import violations
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import axe_page  # noqa: F401
from tests.browser.test_journeys import _tab_to
from tests.webapp.conftest import TODAY, make_task

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_site(site, db):
    """Grace has her 2 agreement tasks from the engine, the site's escalation
    and 57 more: 3 pages."""
    for n in range(57):
        make_task(
            db,
            organisation_id=site.world.org_id,
            assignee_id=site.world.manager_id,
            due_on=TODAY + timedelta(days=n % 20),
            title=f"Paged task {n}",
        )
    return site


def _shown(page) -> int:
    return page.locator("[data-task-id]").count()


def test_the_inbox_pages_forward_and_back_by_keyboard_with_its_counts_on_top(page, busy_site):
    sign_in(page, busy_site, "manager")
    counts = page.get_by_test_id("inbox-counts")
    expect(counts.locator('[data-count="total"]')).to_have_text("60")
    expect(counts.locator('[data-count="overdue"]')).to_have_text("2")
    assert _shown(page) == 25
    pagination = page.get_by_role("navigation", name="Pages of your inbox")
    expect(pagination.get_by_role("link", name="Previous page")).to_have_count(0)

    for shown in (25, 10):
        _tab_to(page, "Next")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert _shown(page) == shown
    expect(pagination.get_by_role("link", name="Next page")).to_have_count(0)

    for shown in (25, 25):
        with page.expect_navigation():
            pagination.get_by_role("link", name="Previous page").click()
        assert _shown(page) == shown
    expect(pagination.get_by_role("link", name="Previous page")).to_have_count(0)


def test_axe_finds_no_wcag_violation_on_a_middle_page_of_the_inbox(axe_page, busy_site):  # noqa: F811
    page = axe_page
    sign_in(page, busy_site, "manager")
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**cursor=*")
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()
    assert violations(page) == []
