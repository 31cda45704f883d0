"""WCAG 2.2 AA: axe-core finds no violation on any page type, in headless
Chromium, and pages print without the header, navigation and filters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, CASE_REF, sign_in, sign_out
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
    w, ids, url = site.world, site.ids, site.url

    sign_in(page, site, "manager")
    page.get_by_role("link", name=re.compile("Hold supervision with Sam Worker")).first.click()
    _check(page, "task-hold-supervision", found)
    page.get_by_role("button", name="Record the session").click()
    _check(page, "record-form", found)
    page.fill("#held_on-day", "31")
    page.get_by_role("button", name="Sign and share the record").click()
    _check(page, "record-form-errors", found)
    session_id = ids["countersign_session"]
    page.goto(f"{url}/sessions/{session_id}")
    _check(page, "session-view", found)
    page.goto(f"{url}/sessions/{session_id}/amend")
    _check(page, "amend", found)
    page.goto(f"{url}/relationships/{w.colleague_rel_id}/sessions")
    _check(page, "schedule", found)
    page.get_by_role("button", name="Plan the next 12 months").click()
    _check(page, "schedule-planned", found)
    page.get_by_role("link", name=re.compile("^Cancel")).first.click()
    _check(page, "cancel-session", found)
    page.goto(f"{url}/cases")
    _check(page, "cases", found)
    page.goto(f"{url}/cases/{CASE_REF}")
    _check(page, "case", found)
    page.goto(f"{url}/cases/{CASE_REF}/supervise")
    _check(page, "case-supervise", found)
    page.get_by_role("button", name="Record the case direction").click()
    _check(page, "case-supervise-errors", found)
    page.goto(f"{url}/cases/allocate")
    _check(page, "case-allocate", found)
    page.goto(f"{url}/cases/{CASE_REF}/frequency")
    _check(page, "case-frequency", found)
    page.goto(f"{url}/cases/{CASE_REF}/reallocate")
    _check(page, "case-reallocate", found)
    page.goto(f"{url}/people/{w.colleague_id}")
    _check(page, "person-with-records", found)
    page.goto(f"{url}/calendar")
    _check(page, "calendar", found)
    page.get_by_role("button", name="Create a calendar link").click()
    _check(page, "calendar-link", found)
    page.goto(f"{url}/observations/{ids['observation']}")
    _check(page, "observation", found)
    page.goto(f"{url}/staff/{w.worker_id}/checks")
    _check(page, "checks", found)
    page.get_by_role("button", name="Record the check").click()
    _check(page, "checks-errors", found)
    sign_out(page)

    sign_in(page, site, "colleague")
    page.goto(f"{url}/sessions/{session_id}/countersign")
    _check(page, "countersign", found)
    page.get_by_role("button", name=re.compile("Countersign")).click()
    _check(page, "countersign-errors", found)
    sign_out(page)

    sign_in(page, site, "worker")
    page.goto(f"{url}/observations/{ids['observation']}/parts/before")
    _check(page, "observation-part", found)
    page.get_by_role("button", name=re.compile("Save")).click()
    _check(page, "observation-part-errors", found)
    page.goto(f"{url}/relationships/{w.rel_id}/review-questionnaire")
    _check(page, "review-questionnaire", found)
    page.get_by_role("button", name="Sign and send to your supervisor").click()
    _check(page, "review-questionnaire-errors", found)
    sign_out(page)

    sign_in(page, site, "head")
    page.goto(f"{url}/tasks/{ids['sampling_task']}/sampling")
    _check(page, "sampling-task", found)
    page.get_by_role("button", name="Draw this quarter's sample").click()
    page.get_by_role("link", name=re.compile("Open|sample", re.I)).last.click()
    _check(page, "sample", found)
    page.locator("[data-testid=sample-items] a").first.click()
    _check(page, "sample-item", found)
    page.get_by_role("button", name=re.compile("Save")).click()
    _check(page, "sample-item-errors", found)

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
    _check(page, "agreement-amend", found)
    page.get_by_role("button", name="Sign the amended agreement").click()
    _check(page, "agreement-amend-errors", found)
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
    _check(page, "agreement-version-history", found)
    page.goto(f"{agreement_url}?version=1")
    _check(page, "agreement-earlier-version", found)

    for profile in ("bristol", "wokingham", "nottingham", "north_west"):
        with db() as session, session.begin():
            session.get(Organisation, w.org_id).profile = profile
        page.goto(f"{site.url}/relationships/{w.rel_id}/agreement/sign")
        _check(page, f"agreement-form-{profile}", found)
    page.get_by_role("button", name="Sign the agreement").click()
    _check(page, "agreement-form-north_west-errors", found)
    page.fill("#frequency_weeks", "13")
    page.get_by_role("button", name="Sign the agreement").click()
    _check(page, "agreement-form-north_west-frequency-error", found)

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
    _check(page, "group-list-empty", found)
    page.get_by_role("button", name="Draw up a group supervision agreement").click()
    _check(page, "group-form", found)
    page.get_by_role("button", name="Sign and issue the agreement").click()
    _check(page, "group-form-errors", found)
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
    _check(page, "group-agreement-supervisor", found)
    page.get_by_role("button", name="Issue a new version").click()
    _check(page, "group-new-version", found)
    page.fill("#amendment_reason", "Meeting fortnightly for three months.")
    page.fill("#frequency_weeks", "2")
    page.check("#declaration")
    page.get_by_role("button", name="Sign and issue the new version").click()
    _check(page, "group-version-history", found)
    page.get_by_role("link", name="Group supervision", exact=True).click()
    _check(page, "group-list", found)
    sign_out(page)

    sign_in(page, site, "worker")
    page.get_by_role("link", name=re.compile("Sign the group supervision agreement")).click()
    _check(page, "group-sign-task", found)
    page.get_by_role("button", name="Read and sign the group agreement").click()
    _check(page, "group-agreement-to-sign", found)
    page.get_by_role("button", name="Sign this agreement").click()
    _check(page, "group-sign-errors", found)
    page.goto(f"{page.url.removesuffix('/sign')}?version=1")
    _check(page, "group-earlier-version", found)

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
    _first_task_link(page, "Record Sam Worker's group reflective supervision").click()
    _check(page, "group-attendance-task", found)
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("group reflective supervision")
    _check(page, "group-attendance-form", found)
    page.fill("#attended_on-day", "31")
    page.fill("#attended_on-month", "2")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    _check(page, "group-attendance-form-errors", found)
    expect(page.locator("#attended_on-day")).to_have_value("31")

    problems = {name: v for name, v in found.items() if v}
    assert problems == {}, "\n".join(f"{name}: {v}" for name, v in problems.items())
