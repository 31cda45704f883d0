"""In a real browser: a record typed while the login ended is not lost (type
it, the session ends on the server, send it, sign in, and it is back with a
banner saying so), and "Sign out" stays on one line for the role with the
longest navigation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from models import SignInSession
from models.base import utcnow
from models.engine.reconcile import reconcile
from tests.browser.conftest import Site, _served, sign_in
from tests.factories.people import PASSWORD
from tests.worlds import build_world
from tests.worlds.small_council import TODAY

pytestmark = pytest.mark.browser

TYPED = "Talked through the two assessments due; typed as the login ended."


@pytest.fixture
def quick_autosave_site(db):
    """The small council served with the autosave every second, not twenty."""
    world = build_world(db)
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    with _served(db, DRAFT_AUTOSAVE_SECONDS=1) as url:
        yield Site(url, world, {}, 0, 0)


def test_an_expired_session_keeps_the_agreement_typed_and_shows_it_after_signing_in(page, site, db):
    sign_in(page, site, "manager")
    form_url = f"{site.url}/relationships/{site.world.rel_id}/agreement/sign"
    page.goto(form_url)
    page.fill("#frequency_weeks", "4")
    page.fill("#venue", TYPED)
    with db() as session, session.begin():  # the login ends on the server
        session.execute(update(SignInSession).values(ended_at=utcnow()))

    page.get_by_role("button", name="Sign the agreement").click()

    page.wait_for_url("**/login**")
    assert "What you typed has been kept" in page.inner_text("main")
    page.fill("#username", "manager")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(form_url)
    assert page.input_value("#venue") == TYPED
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "You were signed out before this form was sent" in banner


@pytest.mark.parametrize("width", [1280, 1024])
def test_sign_out_does_not_wrap_with_the_longest_navigation(page, site, width):
    """The workforce team's navigation has every link; "Sign out" is kept
    whole (white-space: nowrap), so it moves as one piece if space runs out."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, site, "workforce_team")
    button = page.locator(".oversight-sign-out button")
    assert button.evaluate("b => getComputedStyle(b).whiteSpace") == "nowrap"
    height = button.evaluate("b => b.getBoundingClientRect().height")
    line = button.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)")
    assert height < line * 1.5, (height, line)


def test_the_script_keeps_a_draft_as_the_supervisor_types_and_a_new_tab_gets_it_back(
    browser, quick_autosave_site
):
    site = quick_autosave_site
    form_url = f"{site.url}/relationships/{site.world.rel_id}/agreement/sign"
    first = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(first, site, "manager")
    first.goto(form_url)
    first.fill("#venue", TYPED)
    expect(first.locator("[data-draft-status]")).to_have_text(re.compile("^Draft saved"))
    first.context.close()  # the tab is closed without sending the form

    second = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(second, site, "manager")
    second.goto(form_url)
    assert second.input_value("#venue") == TYPED
    assert "What you typed on this form is back" in second.inner_text("main")
    second.context.close()
