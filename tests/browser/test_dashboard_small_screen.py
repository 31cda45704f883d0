"""The dashboard on a phone (375 px): its charts shrink to the column and
its tables scroll in their own boxes, so the page is never wider than the
screen, and every table's caption is shown whole, wrapped, not cut off."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

# Captions whose text runs past the right edge of the screen.
CUT_CAPTIONS = """() => [...document.querySelectorAll('caption')]
  .filter(c => c.getBoundingClientRect().right > window.innerWidth + 1)
  .map(c => c.textContent.trim())"""
WIDE_CHARTS = """() => [...document.querySelectorAll('svg.oversight-chart')]
  .filter(s => s.getBoundingClientRect().right > window.innerWidth + 1).length"""


@pytest.mark.parametrize("username", ["manager", "workforce_team"])
def test_the_dashboard_fits_a_375_px_screen_with_its_charts_and_captions(browser, site, username):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, site, username)
        page.goto(site.url + "/dashboard")
        assert page.locator("svg.oversight-chart").count() >= 1
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= 376, f"/dashboard is {wide} px wide at 375 px"
        assert page.evaluate(WIDE_CHARTS) == 0
        assert page.evaluate(CUT_CAPTIONS) == []
    finally:
        context.close()
