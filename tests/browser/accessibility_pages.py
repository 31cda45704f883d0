"""The walks through the app that tests/browser/test_accessibility.py runs
axe-core on. `check` runs axe on the page in front of it and keeps a
screenshot; each walk visits the pages one person uses, in order (a page
often follows from the one before), checking each under its own name."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.conftest import AXE, CASE_REF, sign_in, sign_out

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path("/tmp/oversight-screenshots")


def violations(page) -> list[str]:
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


def check(page, name: str, found: dict) -> None:
    page.wait_for_load_state("load")
    found[name] = violations(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def first_task_link(page, text: str):
    return page.get_by_role("link", name=re.compile(text)).first


def pages_before_signing_in(page, site, found: dict) -> None:
    """Signing in, with a wrong password, and a page that is not there."""
    page.goto(f"{site.url}/login")
    check(page, "sign-in", found)
    page.fill("#username", "worker")
    page.fill("#password", "wrong")
    page.click("button:has-text('Sign in')")
    check(page, "sign-in-error", found)
    page.goto(f"{site.url}/no-such-page")
    check(page, "not-found", found)


def pages_of_the_manager(page, site, found: dict) -> None:
    """The inbox and a task, delegating it, the agreement form, people and
    arranging cover, with their error states; signs out at the end."""
    w = site.world
    sign_in(page, site, "manager")
    check(page, "inbox", found)
    page.goto(f"{site.url}/inbox?kind=agreement&due=overdue&status=escalated")
    check(page, "inbox-filtered", found)
    first_task_link(page, "Sam Worker").click()
    check(page, "task", found)
    page.goto(f"{site.url}/tasks/{site.handable_task_id}/delegate")
    check(page, "delegate", found)
    page.get_by_role("button", name="Reassign").click()
    check(page, "delegate-errors", found)
    page.goto(f"{site.url}/relationships/{w.rel_id}/agreement/sign")
    check(page, "agreement-form", found)
    page.get_by_role("button", name="Sign the agreement").click()
    check(page, "agreement-form-errors", found)
    page.goto(f"{site.url}/relationships/{w.rel_id}/agreement")
    check(page, "agreement", found)
    page.goto(f"{site.url}/people")
    check(page, "people", found)
    page.goto(f"{site.url}/people/{w.worker_id}")
    check(page, "person", found)
    page.goto(f"{site.url}/people/{w.manager_id}/opened")
    check(page, "who-opened", found)
    sign_out(page)


def pages_of_the_head_of_service(page, site, found: dict) -> None:
    """The inbox with group tasks, the team page and its errors, a group task
    and an escalation; opens the worker's page (for the worker's "who opened"
    list) and signs out."""
    sign_in(page, site, "head")
    check(page, "inbox-with-group-tasks", found)
    page.goto(f"{site.url}/team")
    check(page, "team", found)
    page.get_by_role("button", name="Reassign the selected tasks").click()
    check(page, "team-errors", found)

    page.goto(f"{site.url}/tasks/{site.group_task_id}")
    check(page, "group-task", found)
    first_task_link(page, "Back to your inbox").click()
    page.get_by_role("link", name=re.compile("Overdue supervision agreement")).first.click()
    check(page, "escalation", found)
    page.goto(f"{site.url}/people/{site.world.worker_id}")
    # Cover for an absent supervisor is arranged by their manager.
    page.goto(f"{site.url}/people/{site.world.manager_id}/cover")
    check(page, "cover", found)
    page.fill("#starts_on-day", "31")
    page.fill("#starts_on-month", "2")
    page.fill("#starts_on-year", "2026")
    page.get_by_role("button", name="Arrange cover").click()
    check(page, "cover-errors", found)
    sign_out(page)


def session_pages_of_the_supervisor(page, site, found: dict) -> None:
    """From the inbox: recording a session and its errors, a session, amending
    it, the schedule, planning a year and cancelling a session."""
    page.get_by_role("link", name=re.compile("Hold supervision with Sam Worker")).first.click()
    check(page, "task-hold-supervision", found)
    page.get_by_role("button", name="Record the session").click()
    check(page, "record-form", found)
    page.fill("#held_on-day", "31")
    page.get_by_role("button", name="Sign and share the record").click()
    check(page, "record-form-errors", found)
    session_id = site.ids["countersign_session"]
    page.goto(f"{site.url}/sessions/{session_id}")
    check(page, "session-view", found)
    page.goto(f"{site.url}/sessions/{session_id}/amend")
    check(page, "amend", found)
    page.goto(f"{site.url}/relationships/{site.world.colleague_rel_id}/sessions")
    check(page, "schedule", found)
    page.get_by_role("button", name="Plan the next 12 months").click()
    check(page, "schedule-planned", found)
    page.get_by_role("link", name=re.compile("^Cancel")).first.click()
    check(page, "cancel-session", found)


def case_pages_of_the_supervisor(page, site, found: dict) -> None:
    """The cases, a case, supervising it (and its errors), allocating one,
    its supervision frequency and reallocating it."""
    url = site.url
    page.goto(f"{url}/cases")
    check(page, "cases", found)
    page.goto(f"{url}/cases/{CASE_REF}")
    check(page, "case", found)
    page.goto(f"{url}/cases/{CASE_REF}/supervise")
    check(page, "case-supervise", found)
    page.get_by_role("button", name="Record the case direction").click()
    check(page, "case-supervise-errors", found)
    page.goto(f"{url}/cases/allocate")
    check(page, "case-allocate", found)
    page.goto(f"{url}/cases/{CASE_REF}/frequency")
    check(page, "case-frequency", found)
    page.goto(f"{url}/cases/{CASE_REF}/reallocate")
    check(page, "case-reallocate", found)


def other_record_pages_of_the_supervisor(page, site, found: dict) -> None:
    """A person with records, the calendar and a calendar link, an
    observation, and checks with their errors."""
    w, url = site.world, site.url
    page.goto(f"{url}/people/{w.colleague_id}")
    check(page, "person-with-records", found)
    page.goto(f"{url}/calendar")
    check(page, "calendar", found)
    page.get_by_role("button", name="Create a calendar link").click()
    check(page, "calendar-link", found)
    page.goto(f"{url}/observations/{site.ids['observation']}")
    check(page, "observation", found)
    page.goto(f"{url}/staff/{w.worker_id}/checks")
    check(page, "checks", found)
    page.get_by_role("button", name="Record the check").click()
    check(page, "checks-errors", found)


def record_pages_of_the_supervisees(page, site, found: dict) -> None:
    """Countersigning a session (the colleague); the supervisee's part of an
    observation and the annual review questionnaire (the worker); each with
    its errors."""
    w, ids, url = site.world, site.ids, site.url
    sign_in(page, site, "colleague")
    page.goto(f"{url}/sessions/{ids['countersign_session']}/countersign")
    check(page, "countersign", found)
    page.get_by_role("button", name=re.compile("Countersign")).click()
    check(page, "countersign-errors", found)
    sign_out(page)

    sign_in(page, site, "worker")
    page.goto(f"{url}/observations/{ids['observation']}/parts/before")
    check(page, "observation-part", found)
    page.get_by_role("button", name=re.compile("Save")).click()
    check(page, "observation-part-errors", found)
    page.goto(f"{url}/relationships/{w.rel_id}/review-questionnaire")
    check(page, "review-questionnaire", found)
    page.get_by_role("button", name="Sign and send to your supervisor").click()
    check(page, "review-questionnaire-errors", found)
    sign_out(page)


def sampling_pages_of_the_head_of_service(page, site, found: dict) -> None:
    """The sampling task, drawing a sample, the sample, an item of it and its
    errors."""
    sign_in(page, site, "head")
    page.goto(f"{site.url}/tasks/{site.ids['sampling_task']}/sampling")
    check(page, "sampling-task", found)
    page.get_by_role("button", name="Draw this quarter's sample").click()
    page.get_by_role("link", name=re.compile("Open|sample", re.I)).last.click()
    check(page, "sample", found)
    page.locator("[data-testid=sample-items] a").first.click()
    check(page, "sample-item", found)
    page.get_by_role("button", name=re.compile("Save")).click()
    check(page, "sample-item-errors", found)
