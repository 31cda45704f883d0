"""Lists, small screens and print in a real browser: a keyboard user reaches
the inbox's first task in a few tabs past the skip link; the People and
Cases filters work at 1280 px; at 375 px no table runs off the page without
a cue (stacked rows, or a box that scrolls with a shadow at its edge); a
printed agreement carries the council, its version and the print date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import make_agreement, make_case
from tests.webapp.conftest import TODAY

pytestmark = pytest.mark.browser

# The skip link, the folded filters, the supervisees link, then the first task.
MOST_TABS_TO_FIRST_TASK = 3

# Every table on the page: wider than the viewport only if it scrolls itself.
OVERFLOWING_TABLES = """() => [...document.querySelectorAll('table')].filter(t => {
  const box = t.getBoundingClientRect();
  const scrolls = getComputedStyle(t).overflowX === 'auto' && t.scrollWidth > t.clientWidth;
  return box.right > window.innerWidth + 1 && !scrolls;
}).map(t => t.dataset.testid || t.className)"""


@pytest.fixture
def cases_site(site, db):
    with db() as session, session.begin():
        for n in range(1, 8):
            worker = site.world.worker_id if n % 2 else site.world.colleague_id
            make_case(
                session, worker, case_ref=f"LCS-80000{n}",
                allocated_on=TODAY - timedelta(days=20 * n),
            )  # fmt: skip
        make_agreement(
            session, site.world.rel_id, signed_on=TODAY - timedelta(days=30),
            in_force_on=TODAY - timedelta(days=30),
        )  # fmt: skip
    return site


def _focused_task(page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('[data-task-id]')")


def test_a_keyboard_user_reaches_the_first_task_in_a_few_tabs(page, site):
    sign_in(page, site, "manager")
    page.keyboard.press("Tab")
    assert "Skip to main content" in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    tabs = 0
    while tabs < MOST_TABS_TO_FIRST_TASK and not _focused_task(page):
        page.keyboard.press("Tab")
        tabs += 1
    assert _focused_task(page), f"the first task is not within {MOST_TABS_TO_FIRST_TASK} tabs"
    # The filters open from the keyboard.
    page.locator("summary", has_text="Filter tasks").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()


def test_people_and_cases_filter_and_page_at_desktop_width(page, cases_site):
    sign_in(page, cases_site, "manager")
    page.goto(f"{cases_site.url}/people")
    page.fill("#q", "sam")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("people").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("people-count")).to_contain_text("Showing 1 to 1 of 1 person")
    page.goto(f"{cases_site.url}/cases")
    expect(page.get_by_test_id("overseen-cases").locator("tbody tr")).to_have_count(7)
    page.fill("#q", "LCS-800003")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("overseen-cases").locator("tbody tr")).to_have_count(1)
    page.goto(f"{cases_site.url}/supervisees")
    expect(page.get_by_test_id("supervisees").locator("tbody tr")).to_have_count(2)


@pytest.mark.parametrize("width", [1280, 375])
def test_no_table_runs_off_the_page_without_a_cue(browser, cases_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, cases_site, "manager")
        for path in ("/inbox", "/people", "/cases", "/team", "/supervisees",
                     f"/people/{cases_site.world.worker_id}"):  # fmt: skip
            page.goto(cases_site.url + path)
            assert page.evaluate(OVERFLOWING_TABLES) == [], path
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= width + 1, f"{path} is {wide} px wide at {width} px"
        if width == 375:
            # A stacked row labels each value, as the column heading did.
            page.goto(cases_site.url + "/cases")
            cell = page.get_by_test_id("overseen-cases").locator("td[data-label='Type']").first
            label = cell.evaluate("c => getComputedStyle(c, '::before').content")
            assert label == '"Type"'
    finally:
        context.close()


def test_a_printed_agreement_shows_the_council_version_and_print_date(page, cases_site):
    sign_in(page, cases_site, "manager")
    page.goto(f"{cases_site.url}/relationships/{cases_site.world.rel_id}/agreement")
    header = page.get_by_test_id("print-header")
    expect(header).to_be_hidden()
    page.emulate_media(media="print")
    expect(header).to_be_visible()
    expect(header).to_contain_text("Testshire County Council.")
    expect(header).to_contain_text("version 1")
    expect(header).to_contain_text("Printed 2 March 2026.")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
