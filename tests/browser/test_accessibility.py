"""WCAG 2.2 AA: axe-core finds no violation on any page type, in headless
Chromium, and pages print without the header, navigation and filters."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility_pages import (
    case_pages_of_the_supervisor,
    check,
    first_task_link,
    other_record_pages_of_the_supervisor,
    pages_before_signing_in,
    pages_of_the_head_of_service,
    pages_of_the_manager,
    record_pages_of_the_supervisees,
    sampling_pages_of_the_head_of_service,
    session_pages_of_the_supervisor,
)
from tests.browser.conftest import AXE, sign_in, sign_out
from tests.webapp.conftest import PASSWORD

pytestmark = pytest.mark.browser


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


def test_axe_finds_no_wcag_violation_on_any_page_type(axe_page, site):
    page, found = axe_page, {}

    pages_before_signing_in(page, site, found)
    pages_of_the_manager(page, site, found)
    pages_of_the_head_of_service(page, site, found)
    sign_in(page, site, "worker")
    page.goto(f"{site.url}/people/{site.world.worker_id}/opened")
    check(page, "who-opened-with-entries", found)

    problems = {name: v for name, v in found.items() if v}
    assert problems == {}, "\n".join(f"{name}: {v}" for name, v in problems.items())
    assert len(found) >= 20


def test_pages_print_without_the_header_navigation_or_filters(page, site):
    sign_in(page, site, "manager")
    page.emulate_media(media="print")
    for selector in (".govuk-template__header", ".govuk-footer", ".oversight-filter"):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(
        page.get_by_text("Draft and sign the supervision agreement with Sam Worker")
    ).to_be_visible()
    page.goto(f"{site.url}/people/{site.world.worker_id}")
    expect(page.locator(".oversight-timeline")).to_be_visible()
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    assert PASSWORD  # the sign-in used the shared test password


def test_axe_finds_no_wcag_violation_on_the_pages_about_records(axe_page, records_site):
    """Sessions, cases, calendars, observations, the annual review, sampling and
    checks, with their error states, as the person who uses each."""
    page, site, found = axe_page, records_site, {}

    sign_in(page, site, "manager")
    session_pages_of_the_supervisor(page, site, found)
    case_pages_of_the_supervisor(page, site, found)
    other_record_pages_of_the_supervisor(page, site, found)
    sign_out(page)
    record_pages_of_the_supervisees(page, site, found)
    sampling_pages_of_the_head_of_service(page, site, found)

    problems = {name: v for name, v in found.items() if v}
    assert problems == {}, "\n".join(f"{name}: {v}" for name, v in problems.items())
    assert len(found) >= 31


def test_axe_finds_no_wcag_violation_on_the_agreement_pages_of_each_profile(axe_page, site, db):
    """Each profile's agreement form (Lancashire, Bristol, Wokingham, Nottingham,
    North West), and amending an agreement in force with its version history."""
    from models import Organisation
    from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor
    from tests.webapp.conftest import TODAY

    page, w, found = axe_page, site.world, {}
    sign_agreement_as_supervisor(
        relationship_id=w.colleague_rel_id,
        signer_staff_id=w.manager_id,
        content={"length": "Two hours", "venue": "Room 3"},
        frequency_weeks=4,
        on=TODAY,
        session_factory=db,
    )
    countersign_agreement(
        relationship_id=w.colleague_rel_id,
        signer_staff_id=w.colleague_id,
        on=TODAY,
        session_factory=db,
    )
    sign_in(page, site, "manager")
    agreement_url = f"{site.url}/relationships/{w.colleague_rel_id}/agreement"
    page.goto(f"{agreement_url}/amend")
    check(page, "agreement-amend", found)
    page.get_by_role("button", name="Sign the amended agreement").click()
    check(page, "agreement-amend-errors", found)
    page.fill("#amendment_reason", "A new venue.")
    page.fill("#frequency_weeks", "2")
    page.fill("#variation_reason", "Practice issues: fortnightly for three months.")
    for field in ("preparation", "recording", "ad_hoc_recording", "practice_observation"):
        page.fill(f"#{field}", "Agreed.")
    for field in ("confidentiality", "disagreements"):
        page.fill(f"#{field}", "Agreed.")
    page.check("#declaration")
    page.get_by_role("button", name="Sign the amended agreement").click()
    page.goto(agreement_url)
    expect(page.get_by_test_id("agreement-versions")).to_be_visible()
    check(page, "agreement-version-history", found)
    page.goto(f"{agreement_url}?version=1")
    check(page, "agreement-earlier-version", found)

    for profile in ("bristol", "wokingham", "nottingham", "north_west"):
        with db() as session, session.begin():
            session.get(Organisation, w.org_id).profile = profile
        page.goto(f"{site.url}/relationships/{w.rel_id}/agreement/sign")
        check(page, f"agreement-form-{profile}", found)
    page.get_by_role("button", name="Sign the agreement").click()
    check(page, "agreement-form-north_west-errors", found)
    page.fill("#frequency_weeks", "13")
    page.get_by_role("button", name="Sign the agreement").click()
    check(page, "agreement-form-north_west-frequency-error", found)

    problems = {name: v for name, v in found.items() if v}
    assert problems == {}, "\n".join(f"{name}: {v}" for name, v in problems.items())


def test_axe_finds_no_wcag_violation_on_the_group_agreement_pages(axe_page, site, db):
    """Lancashire's group supervision agreement: the list, the form and its
    errors, a new version, the agreement as its supervisor and as a member
    with the sign form and its error, and an earlier version."""
    from tests.browser.conftest import add_team_coordinator

    page, w, found = axe_page, site.world, {}
    coordinator_id = add_team_coordinator(db, w)
    sign_in(page, site, "manager")
    page.get_by_role("link", name="Group supervision", exact=True).click()
    check(page, "group-list-empty", found)
    page.get_by_role("button", name="Draw up a group supervision agreement").click()
    check(page, "group-form", found)
    page.get_by_role("button", name="Sign and issue the agreement").click()
    check(page, "group-form-errors", found)
    page.fill("#name", "Assessment Team group supervision")
    page.fill("#venue", "Room 2, County Hall")
    page.select_option("#coordinator_id", str(coordinator_id))
    page.get_by_label("Sam Worker").check()
    page.get_by_label("Chloe Colleague").check()
    page.fill("#frequency_weeks", "4")
    for field in ("length", "preparation", "recording", "confidentiality", "disagreements"):
        page.fill(f"#{field}", "Agreed.")
    page.check("#declaration")
    page.get_by_role("button", name="Sign and issue the agreement").click()
    check(page, "group-agreement-supervisor", found)
    page.get_by_role("button", name="Issue a new version").click()
    check(page, "group-new-version", found)
    page.fill("#amendment_reason", "Meeting fortnightly for three months.")
    page.fill("#frequency_weeks", "2")
    page.check("#declaration")
    page.get_by_role("button", name="Sign and issue the new version").click()
    check(page, "group-version-history", found)
    page.get_by_role("link", name="Group supervision", exact=True).click()
    check(page, "group-list", found)
    sign_out(page)

    sign_in(page, site, "worker")
    page.get_by_role("link", name=re.compile("Sign the group supervision agreement")).click()
    check(page, "group-sign-task", found)
    page.get_by_role("button", name="Read and sign the group agreement").click()
    check(page, "group-agreement-to-sign", found)
    page.get_by_role("button", name="Sign this agreement").click()
    check(page, "group-sign-errors", found)
    page.goto(f"{page.url.removesuffix('/sign')}?version=1")
    check(page, "group-earlier-version", found)

    problems = {name: v for name, v in found.items() if v}
    assert problems == {}, "\n".join(f"{name}: {v}" for name, v in problems.items())


def test_axe_finds_no_wcag_violation_on_the_group_supervision_attendance_form(axe_page, site, db):
    """Bristol §6.5: the supervisor's group reflective supervision task, its
    form empty and with errors."""
    from models import Organisation
    from models.engine.reconcile import reconcile
    from tests.webapp.conftest import TODAY

    page, w, found = axe_page, site.world, {}
    with db() as session, session.begin():
        session.get(Organisation, w.org_id).profile = "bristol"
    reconcile(
        organisation_id=w.org_id,
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    sign_in(page, site, "manager")
    first_task_link(page, "Record Sam Worker's group reflective supervision").click()
    check(page, "group-attendance-task", found)
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("group reflective supervision")
    check(page, "group-attendance-form", found)
    page.fill("#attended_on-day", "31")
    page.fill("#attended_on-month", "2")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check(page, "group-attendance-form-errors", found)
    expect(page.locator("#attended_on-day")).to_have_value("31")

    problems = {name: v for name, v in found.items() if v}
    assert problems == {}, "\n".join(f"{name}: {v}" for name, v in problems.items())
