"""Browser tests: Playwright driving Debian's Chromium against the app served
on a free local port, over the test database. They need /usr/bin/chromium
(`apt-get install -y chromium`) and skip, saying so, without it; CI installs it."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from models import AppRole
from models.engine.reconcile import reconcile
from tests.factories.people import PASSWORD
from tests.webapp.conftest import build_app
from tests.worlds import Council, build_world
from tests.worlds.small_council import TODAY, add_every_role
from tests.worlds.small_council import add_team_coordinator as add_team_coordinator
from tests.worlds.year_of_records import CASE_REF as CASE_REF
from tests.worlds.year_of_records import add_a_year_of_records

CHROMIUM = Path("/usr/bin/chromium")
PROJECT = Path(__file__).resolve().parents[2]
AXE = PROJECT / "node_modules/axe-core/axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="needs Debian's Chromium at /usr/bin/chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@dataclass
class Site:
    url: str
    world: object
    extra: dict  # role -> username for the roles the web tests' world lacks
    group_task_id: int
    # An escalation in the manager's inbox that may be handed on (an agreement
    # to sign may not: only the named supervisor signs it).
    handable_task_id: int


@pytest.fixture
def site(db):
    """The small council of the web tests, its agreement tasks from the
    engine, a group task offered to heads of service, and users for every role,
    served with CSRF protection on, as in production."""
    world = build_world(db)
    extra = add_every_role(db, world)
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    with db() as session, session.begin():
        group_task_id = (
            Council.of(session, world.org_id)
            .task(
                kind="sampling",
                key="browser:sampling",
                title="Sample this quarter's supervision records",
                subject_staff=world.worker_id,
                candidate_role=AppRole.HEAD_OF_SERVICE,
                due_on=TODAY + timedelta(days=20),
                rule="sampling.quarterly",
                source="000_b775b8e7712f1ef5.txt §2.1",
                rule_text="Heads of service sample supervision records four times a year.",
            )
            .id
        )
        handable_task_id = (
            Council.of(session, world.org_id)
            .task(
                kind="escalation",
                lifecycle="personal_supervision",
                key="browser:escalation",
                title="Overdue supervision: Chloe Colleague",
                assignee=world.manager_id,
                subject_staff=world.colleague_id,
                relationship=world.colleague_rel_id,
                due_on=TODAY,
                rule="personal_supervision.escalation",
                source="000_b775b8e7712f1ef5.txt §1.10",
                rule_text="Supervision will take place at least every 4 weeks.",
            )
            .id
        )
    with _served(db) as url:
        yield Site(url, world, extra, group_task_id, handable_task_id)


@contextmanager
def _served(db, **config):
    """The app over this database, with CSRF protection on as in production,
    on a free local port (`config` overrides, e.g. the demo's today)."""
    app = build_app(db, **{"WTF_CSRF_ENABLED": True, "TESTING": False, **config})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@dataclass
class RecordsSite:
    url: str
    world: object
    ids: dict  # name -> id of the records below


@pytest.fixture
def records_site(db):
    """The small council with a year of supervision behind it
    (tests/worlds/year_of_records.py), served."""
    world = build_world(db)
    ids = add_a_year_of_records(db, world)
    with _served(db) as url:
        yield RecordsSite(url=url, world=world, ids=ids)


@pytest.fixture(scope="package")
def chromium():
    """One Chromium for the browser tests: starting Playwright's driver and the
    browser costs one to two seconds, once here instead of once a test. Each test
    still gets contexts of its own (`browser`). Package scope, not session: while
    Playwright's sync API is running it marks an asyncio loop as running in this
    thread, which would break asyncio.run() in the other packages' tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser(chromium):
    """The shared Chromium; every context (cookies, storage, cache) a test opens
    is closed after it, so no test sees another's sign-in."""
    already_open = set(chromium.contexts)
    yield chromium
    for context in chromium.contexts:
        if context not in already_open:
            context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, site: Site, username: str) -> None:
    page.goto(f"{site.url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in'), input[type=submit]")
    page.wait_for_url(f"{site.url}/inbox")


def sign_out(page) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/login**")
