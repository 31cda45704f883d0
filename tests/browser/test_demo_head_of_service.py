"""The demo's head of service, as a new user meets her: her quarterly sample
holds records from her service area, and she reads one and records a finding."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from models.demo import DEMO_PASSWORD, load_demo
from models.engine.reconcile import reconcile
from tests.browser.conftest import _served

pytestmark = pytest.mark.browser

# Within the sampling task's lead time before the quarter ends (models/engine/lead_times.py).
DEMO_TODAY = date(2026, 12, 7)


@pytest.fixture
def demo_url(db):
    summary = load_demo(today=DEMO_TODAY, session_factory=db)
    reconcile(
        organisation_id=summary.organisation_id,
        lifecycles={"sampling"},
        as_of=DEMO_TODAY,
        session_factory=db,
    )
    with _served(db, OVERSIGHT_TODAY=DEMO_TODAY.isoformat()) as url:
        yield url


def test_the_demo_head_of_service_reads_a_sample_with_records_in_it(page, demo_url):
    page.goto(f"{demo_url}/login")
    page.fill("#username", "priya.shah")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{demo_url}/inbox")
    page.get_by_role("link", name="Sample supervision records").first.click()
    page.get_by_role("button", name="Open this quarter's sample").click()
    link = page.get_by_role("link", name=re.compile(r"Read the sample of \d+ records"))
    assert link.inner_text() == "Read the sample of 10 records"
    link.click()
    assert "10 (up to 10)" in page.inner_text("main")
    assert "Sample of supervision records from" in page.inner_text("main")
    assert "Priya Shah" not in page.inner_text("[data-testid=sample-items]")
    items = page.locator("[data-testid=sample-items] tbody tr")
    expect(items.first).to_be_visible()
    assert items.count() == 10
    items.first.get_by_role("link").click()
    page.get_by_label("Yes").check()
    page.fill("#finding", "Clear record, signed by both within the week.")
    page.get_by_role("button", name="Save the finding").click()
    assert "Finding saved" in page.inner_text("main")
    assert page.get_by_text("Meets the standard").count() == 1
    assert page.get_by_text("To read").count() == 9
