"""Each role's day in a real browser: sign in as every role, sign an
agreement from both sides (which clears the supervisee's inbox), claim and
release a group task, and do the same by keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

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
    expect(page.locator(".govuk-service-navigation").get_by_text("Sign out")).to_be_visible()
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
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()


def test_a_head_of_service_claims_a_group_task_and_releases_it(page, site):
    sign_in(page, site, "head")
    offered = page.get_by_test_id("offered")
    expect(offered.get_by_text("Sample this quarter's supervision records")).to_be_visible()
    offered.get_by_role("button", name="Claim: Sample this quarter's supervision records").click()
    assert "You claimed the task" in page.inner_text("main")
    page.get_by_role("button", name="Release it to heads of service").click()
    assert "offered to your group again" in page.inner_text("main")
    expect(page.get_by_test_id("offered").get_by_text("Sample this quarter")).to_be_visible()


def test_the_inbox_filters_are_in_the_address_and_can_be_bookmarked(page, site):
    sign_in(page, site, "head")
    page.get_by_text("Filter tasks").click()  # the filters are folded away until asked for
    page.check("#status-3")  # offered to your group
    page.get_by_role("button", name="Apply filters").click()
    assert "status=offered" in page.url
    bookmarked = page.url
    page.goto(f"{site.url}/inbox")
    page.goto(bookmarked)
    assert page.is_checked("#status-3")
    assert page.get_by_test_id("inbox").count() == 0
    expect(page.get_by_test_id("offered")).to_be_visible()


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
    _tab_to(page, "Overdue supervision: Chloe Colleague")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    _tab_to(page, "Give this task to someone else")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/delegate$"))

    _tab_to(page, "Choose a person")  # the select
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Helen will take up Chloe's missed supervision this week.")
    page.keyboard.press("Tab")
    assert _focused(page) == "Reassign"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.url}/inbox")
    assert "You gave" in page.inner_text("main")


# --- filing a record, and a head of service's sample (records_site) ------------------

SECTIONS = {
    "s_review": "First session since November.",
    "s_personal": "Well; leave booked for April.",
    "s_role": "Settling in to the assessment team.",
    "s_development": "Wants court skills training.",
    "s_workload": "Caseload of 14; two assessments due.",
    "s_children": "Case LCS-300001 discussed.",
}


def _inbox_titles(page) -> str:
    page.get_by_role("link", name="Inbox", exact=True).click()
    return page.inner_text("main")


def test_the_supervisor_files_a_record_from_the_inbox_and_the_supervisee_countersigns_it(
    page, records_site
):
    site = records_site
    sign_in(page, site, "manager")
    page.get_by_role("link", name=re.compile("Hold supervision with Sam Worker")).first.click()
    held_task = page.url.removeprefix(site.url)  # /tasks/<id>
    page.get_by_role("button", name="Record the session").click()
    assert page.locator("h1").inner_text() == "Record supervision with Sam Worker"
    page.fill("#late_reason", "Grace was on leave in January.")
    for field, text in SECTIONS.items():
        page.fill(f"#{field}", text)
    page.fill("#actions-0-description", "Book court skills training")
    page.select_option("#actions-0-owner", label="Sam Worker")
    page.fill("#actions-0-due_on-day", "20")
    page.fill("#actions-0-due_on-month", "3")
    page.fill("#actions-0-due_on-year", "2026")
    page.get_by_role("button", name="Sign and share the record").click()
    main = page.inner_text("main")
    assert "It is now in Sam Worker's inbox to countersign" in main
    assert "Book court skills training" in main
    inbox = _inbox_titles(page)
    assert page.locator(f'main a[href="{held_task}"]').count() == 0
    # The engine already owes the next session, four weeks on.
    assert "Hold supervision with Sam Worker\n\nDue 30 March 2026" in inbox
    sign_out(page)

    sign_in(page, site, "worker")
    page.get_by_role("link", name=re.compile("countersign your supervision record")).click()
    countersign_task = page.url.removeprefix(site.url)
    page.get_by_role("button", name="Read and countersign the record").click()
    assert "Caseload of 14; two assessments due." in page.inner_text("main")
    page.check("#declaration")
    page.get_by_role("button", name="Countersign the record").click()
    assert "Both of you have now signed it" in page.inner_text("main")
    assert "Signed by both" in page.inner_text("main")
    assert "countersign your supervision record" not in _inbox_titles(page)
    assert page.locator(f'main a[href="{countersign_task}"]').count() == 0


def test_the_head_of_service_draws_the_sample_and_records_a_finding_on_each_record(
    page, records_site
):
    site = records_site
    sign_in(page, site, "head")
    page.get_by_role("link", name="Sample supervision records").click()
    page.get_by_role("button", name="Open this quarter's sample").click()
    page.get_by_role("button", name="Draw this quarter's sample").click()
    assert "ready to read" in page.inner_text("main")
    page.get_by_role("link", name=re.compile(r"Read the sample of \d+ records")).click()
    items = page.locator("[data-testid=sample-items] tbody tr")
    # Wait for the sample's page before counting its rows: count() does not wait.
    expect(items.first).to_be_visible()
    count = items.count()
    assert count >= 2  # Sam's and Chloe's November records, at least
    for n in range(count):
        page.locator("[data-testid=sample-items] tbody tr").nth(n).get_by_role("link").click()
        page.get_by_label("Yes").check()
        page.fill("#finding", f"Record {n + 1} read: clear and signed.")
        page.get_by_role("button", name="Save the finding").click()
        assert "Finding saved" in page.inner_text("main")
    assert "is complete" in page.inner_text("main")
    assert "Complete on 2 March 2026" in page.inner_text("main")
    assert page.get_by_text("To read").count() == 0
    assert "Sample supervision records" not in _inbox_titles(page)


def _tab_to_id(page, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    raise AssertionError(f"could not reach #{element_id} with the Tab key")


def _sign_in_by_keyboard(page, site, username: str) -> None:
    page.goto(f"{site.url}/login")
    _tab_to_id(page, "username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.url}/inbox")


def test_by_keyboard_alone_a_supervisee_answers_the_annual_review_with_its_radios(
    page, records_site
):
    from policy import load_profile

    REVIEW_STATEMENTS = load_profile("lancashire").document("review_questionnaire").statements
    site = records_site
    _sign_in_by_keyboard(page, site, "worker")
    page.goto(f"{site.url}/relationships/{site.world.rel_id}/review-questionnaire")

    # Sending it unanswered: the error summary takes focus and names statement 1.
    _tab_to_id(page, "submit", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    # GOV.UK Frontend moves focus when its module script runs, which can be a
    # moment after the summary is in the page: wait for it, within the timeout.
    page.wait_for_function(
        "() => document.activeElement.classList.contains('govuk-error-summary')", timeout=5000
    )
    _tab_to(page, "Select usually, sometimes or never for statement 1,")  # its first link
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "statement_1"

    # Space picks the focused answer ("Usually"); an arrow key moves to the next
    # answer and picks it ("Sometimes" for the even statements). Tab goes on.
    page.keyboard.press("Space")
    for n in range(2, len(REVIEW_STATEMENTS) + 1):
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == f"statement_{n}"
        page.keyboard.press("ArrowDown" if n % 2 == 0 else "Space")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "improve_1"
    page.keyboard.type("More time to reflect on cases")
    _tab_to_id(page, "declaration")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert _focused(page) == "Sign and send to your supervisor"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/review-questionnaires/\d+$"))
    main = page.inner_text("main")
    assert "You signed your annual supervision review" in main
    assert "More time to reflect on cases" in main
    assert main.count("Sometimes") >= len(REVIEW_STATEMENTS) // 2


def test_by_keyboard_alone_the_supervisor_files_a_record_from_the_inbox(page, records_site):
    site = records_site
    _sign_in_by_keyboard(page, site, "manager")
    _tab_to(page, "Hold supervision with Sam Worker")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    _tab_to(page, "Record the session")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/sessions/new\?.*"))

    _tab_to_id(page, "late_reason")
    page.keyboard.type("Grace was on leave in January.")
    for field, text in SECTIONS.items():
        _tab_to_id(page, field)
        page.keyboard.type(text)
    _tab_to_id(page, "actions-0-description")
    page.keyboard.type("Book court skills training")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "actions-0-owner"
    page.keyboard.press("ArrowDown")  # Grace Manager
    page.keyboard.press("ArrowDown")  # Sam Worker
    assert page.input_value("#actions-0-owner") == str(site.world.worker_id)
    for part, value in (("day", "20"), ("month", "3"), ("year", "2026")):
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == f"actions-0-due_on-{part}"
        page.keyboard.type(value)
    _tab_to(page, "Sign and share the record")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/sessions/\d+$"))
    main = page.inner_text("main")
    assert "It is now in Sam Worker's inbox to countersign" in main
    assert "Book court skills training \u2013 Sam Worker, by 20 March 2026" in main


# --- Lancashire's group supervision agreement (site) --------------------------------


def test_the_supervisor_draws_up_a_group_agreement_and_two_members_sign_from_their_inboxes(
    page, site, db
):
    from tests.browser.conftest import add_team_coordinator

    coordinator_id = add_team_coordinator(db, site.world)
    sign_in(page, site, "manager")
    page.get_by_role("link", name="Group supervision", exact=True).click()
    page.get_by_role("button", name="Draw up a group supervision agreement").click()
    page.fill("#name", "Assessment Team group supervision")
    page.fill("#venue", "Room 2, County Hall")
    page.select_option("#coordinator_id", str(coordinator_id))
    page.get_by_label("Sam Worker").check()
    page.get_by_label("Chloe Colleague").check()
    page.fill("#frequency_weeks", "4")
    page.fill("#length", "90 minutes")
    page.fill("#preparation", "Each supervisee brings one case, by case ID only.")
    page.fill("#recording", "Recorded in the Workbook by the team coordinator.")
    page.fill("#confidentiality", "What is said stays in the group.")
    page.fill("#disagreements", "Raised with Grace, then the head of service.")
    page.check("#declaration")
    page.get_by_role("button", name="Sign and issue the agreement").click()
    main = page.inner_text("main")
    assert "in the inboxes of the team coordinator and each supervisee" in main
    assert "Waiting for 3 signatures" in main
    sign_out(page)

    # The team coordinator, by mouse.
    sign_in(page, site, "coordinator")
    page.get_by_role("link", name=re.compile("Sign the group supervision agreement")).click()
    page.get_by_role("button", name="Read and sign the group agreement").click()
    page.check("#declaration")
    page.get_by_role("button", name="Sign this agreement").click()
    assert "You signed the group supervision agreement" in page.inner_text("main")
    assert "Sign the group supervision agreement" not in _inbox_titles(page)
    sign_out(page)

    # Sam, by keyboard alone.
    _sign_in_by_keyboard(page, site, "worker")
    _tab_to(page, "Sign the group supervision agreement for Assessment Team group supervision")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    _tab_to(page, "Read and sign the group agreement")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/group-agreements/\d+$"))
    _tab_to_id(page, "declaration", limit=120)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert _focused(page) == "Sign this agreement"
    # The page it sends from has the same address as the one it ends on, so the
    # test waits for the navigation itself, not for the address.
    with page.expect_navigation(url=re.compile(r".*/group-agreements/\d+$")):
        page.keyboard.press("Enter")
    main = page.inner_text("main")
    assert "You signed the group supervision agreement" in main
    assert "Waiting for 1 signature" in main
    assert "Chloe Colleague: Not signed yet" in main
