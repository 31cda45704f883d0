"""The workforce team's capacity and evidence pages on a phone (375 px): the
capacity table turns each team into a block of labelled figures, with or
without another council's policy to compare, so nothing runs off the screen
and no caption is squeezed; the evidence pack's form fits."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

# Elements of the page's main part whose right edge is past the screen's.
PAST_THE_EDGE = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40))"""


@pytest.mark.parametrize(
    "path", ["/dashboard/capacity", "/dashboard/capacity?compare=bristol", "/dashboard/evidence"]
)
def test_the_capacity_and_evidence_pages_fit_a_375_px_screen(browser, site, path):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, site, site.extra["workforce_team"])
        response = page.goto(site.url + path)
        assert response.status == 200
        assert page.evaluate(PAST_THE_EDGE) == []
        if "capacity" in path:
            caption = page.locator("[data-testid=capacity-by-team] caption")
            # The caption is a full-width line, not a column a word wide.
            assert caption.bounding_box()["width"] > 300
            label = page.locator("[data-testid=capacity-by-team] td[data-label]").first
            assert "contracted hours" in page.evaluate(
                "e => getComputedStyle(e, '::before').content", label.element_handle()
            )
    finally:
        context.close()
