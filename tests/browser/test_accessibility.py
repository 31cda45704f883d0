"""WCAG 2.2 AA: axe-core finds no violation on any page type, in headless
Chromium, and pages print without the header, navigation and filters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import AXE, sign_in, sign_out
from tests.webapp.conftest import PASSWORD

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path("/tmp/oversight-screenshots")


@pytest.fixture
def axe_page(browser):
    if not AXE.exists():
        pytest.skip("needs `npm ci` (node_modules/axe-core)")
    # axe is injected as an inline script, which the app's CSP forbids: let the
    # test (only) bypass it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
    ]


def _check(page, name: str, found: dict) -> None:
    page.wait_for_load_state("load")
    found[name] = _violations(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _first_task_link(page, text: str):
    return page.get_by_role("link", name=re.compile(text)).first


def test_axe_finds_no_wcag_violation_on_any_page_type(axe_page, site):
    page, w, found = axe_page, site.world, {}

    page.goto(f"{site.url}/login")
    _check(page, "sign-in", found)
    page.fill("#username", "worker")
    page.fill("#password", "wrong")
    page.click("button:has-text('Sign in')")
    _check(page, "sign-in-error", found)
    page.goto(f"{site.url}/no-such-page")
    _check(page, "not-found", found)

    sign_in(page, site, "manager")
    _check(page, "inbox", found)
    page.goto(f"{site.url}/inbox?kind=agreement&due=overdue&status=escalated")
    _check(page, "inbox-filtered", found)
    _first_task_link(page, "Sam Worker").click()
    _check(page, "task", found)
    task_url = page.url
    page.goto(f"{task_url}/delegate")
    _check(page, "delegate", found)
    page.get_by_role("button", name="Reassign").click()
    _check(page, "delegate-errors", found)
    page.goto(f"{site.url}/relationships/{w.rel_id}/agreement/sign")
    _check(page, "agreement-form", found)
    page.get_by_role("button", name="Sign the agreement").click()
    _check(page, "agreement-form-errors", found)
    page.goto(f"{site.url}/relationships/{w.rel_id}/agreement")
    _check(page, "agreement", found)
    page.goto(f"{site.url}/people")
    _check(page, "people", found)
    page.goto(f"{site.url}/people/{w.worker_id}")
    _check(page, "person", found)
    page.goto(f"{site.url}/people/{w.manager_id}/opened")
    _check(page, "who-opened", found)
    page.goto(f"{site.url}/people/{w.manager_id}/cover")
    _check(page, "cover", found)
    page.fill("#starts_on-day", "31")
    page.fill("#starts_on-month", "2")
    page.fill("#starts_on-year", "2026")
    page.get_by_role("button", name="Arrange cover").click()
    _check(page, "cover-errors", found)
    sign_out(page)

    sign_in(page, site, "head")
    _check(page, "inbox-with-group-tasks", found)
    page.goto(f"{site.url}/team")
    _check(page, "team", found)
    page.get_by_role("button", name="Reassign the selected tasks").click()
    _check(page, "team-errors", found)

    page.goto(f"{site.url}/tasks/{site.group_task_id}")
    _check(page, "group-task", found)
    _first_task_link(page, "Back to your inbox").click()
    page.get_by_role("link", name=re.compile("Overdue supervision agreement")).first.click()
    _check(page, "escalation", found)
    page.goto(f"{site.url}/people/{w.worker_id}")
    sign_out(page)

    sign_in(page, site, "worker")
    page.goto(f"{site.url}/people/{w.worker_id}/opened")
    _check(page, "who-opened-with-entries", found)

    problems = {name: v for name, v in found.items() if v}
    assert problems == {}, "\n".join(f"{name}: {v}" for name, v in problems.items())
    assert len(found) >= 20


def test_pages_print_without_the_header_navigation_or_filters(page, site):
    sign_in(page, site, "manager")
    page.emulate_media(media="print")
    for selector in (".govuk-template__header", ".govuk-footer", ".oversight-filter"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").is_visible()
    assert page.get_by_text("Draft and sign the supervision agreement with Sam Worker").is_visible()
    page.goto(f"{site.url}/people/{site.world.worker_id}")
    assert page.locator(".oversight-timeline").is_visible()
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert PASSWORD  # the sign-in used the shared test password
