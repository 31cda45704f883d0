"""Browser tests: Playwright driving Debian's Chromium against the app served
on a free local port, over the test database. They need /usr/bin/chromium
(`apt-get install -y chromium`) and skip, saying so, without it; CI installs it."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from models import (
    AppRole,
    CaseAllocation,
    CaseType,
    HumanTask,
    Observation,
    ObservationKind,
    Organisation,
    RecordStatus,
    ServiceArea,
    SessionStatus,
    StaffMember,
    StaffRole,
    SupervisionRelationship,
    SupervisionSession,
    Team,
)
from models.actions.sessions import NewAction, RecordInput, record_session
from models.engine.reconcile import reconcile
from tests.factories import make_staff, make_user
from tests.webapp.conftest import PASSWORD, TODAY, build_app, build_world

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


@pytest.fixture
def site(db):
    """The demo-sized council of the web tests, its agreement tasks from the
    engine, a group task offered to heads of service, and users for every role,
    served with CSRF protection on, as in production."""
    world = build_world(db)
    extra = {}
    with db() as session, session.begin():
        org = session.get(Organisation, world.org_id)
        for role, name in [
            (AppRole.PRINCIPAL_SOCIAL_WORKER, "Priya Principal"),
            (AppRole.WORKFORCE_TEAM, "Wendy Workforce"),
            (AppRole.AUDITOR, "Arthur Auditor"),
        ]:
            person = make_staff(session, org, name=name, role=StaffRole.NON_DIRECT_STAFF)
            account = make_user(session, person, role, username=role.value, password=PASSWORD)
            if role == AppRole.AUDITOR:
                account.access_expires_on = TODAY + timedelta(days=30)
            extra[role.value] = role.value
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    with db() as session, session.begin():
        task = HumanTask(
            organisation_id=world.org_id,
            key="browser:sampling",
            kind="sampling",
            lifecycle="sampling",
            title="Sample this quarter's supervision records",
            subject=f"staff-{world.worker_id}",
            subject_staff_id=world.worker_id,
            assignee_id=None,
            candidate_role=AppRole.HEAD_OF_SERVICE,
            due_on=TODAY + timedelta(days=20),
            rule="sampling.quarterly",
            source="000_b775b8e7712f1ef5.txt §2.1",
            rule_text="Heads of service sample supervision records four times a year.",
            payload={},
            created_by="test",
        )
        session.add(task)
        session.flush()
        group_task_id = task.id
    with _served(db) as url:
        yield Site(url=url, world=world, extra=extra, group_task_id=group_task_id)


@contextmanager
def _served(db):
    """The app over this database, with CSRF protection on as in production,
    on a free local port."""
    app = build_app(db, WTF_CSRF_ENABLED=True, TESTING=False)
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


CASE_REF = "LCS-300001"


@pytest.fixture
def records_site(db):
    """The web tests' council with a year of supervision behind it, for the
    pages about records. Helen heads the service area; Grace has supervised
    Sam and Chloe since June 2025 (each had a session in November 2025, the
    quarter before the sampling quarter); the engine has put "hold
    supervision" in Grace's inbox; Grace signed Chloe's record of 25 February,
    which waits for Chloe's countersignature; Sam has an open child protection
    case and a practice observation by Grace whose first part is his; Helen's
    sampling task for 2026-Q1 is in her inbox."""
    world = build_world(db)
    ids: dict[str, int] = {}
    with db() as session, session.begin():
        area_id = session.scalar(
            select(Team.service_area_id).where(
                Team.id == session.get(StaffMember, world.worker_id).team_id
            )
        )
        session.get(ServiceArea, area_id).head_of_service_id = world.head_id
        for rel_id in (world.rel_id, world.colleague_rel_id):
            session.get(SupervisionRelationship, rel_id).started_on = date(2025, 6, 2)
            session.add(
                SupervisionSession(
                    relationship_id=rel_id,
                    status=SessionStatus.HELD,
                    held_on=date(2025, 11, 3),
                    recorded_on=date(2025, 11, 5),
                    record_status=RecordStatus.SIGNED,
                    duration_minutes=90,
                    record={"sections": {"workload": "Caseload of 12, manageable."}},
                )
            )
        session.add(
            CaseAllocation(
                organisation_id=world.org_id,
                case_ref=CASE_REF,
                case_type=CaseType.CHILD_PROTECTION,
                worker_id=world.worker_id,
                allocated_on=TODAY - timedelta(days=20),
            )
        )
        observation = Observation(
            kind=ObservationKind.PRACTICE,
            staff_id=world.worker_id,
            observer_id=world.manager_id,
            observed_on=TODAY + timedelta(days=7),
        )
        session.add(observation)
        task = HumanTask(
            organisation_id=world.org_id,
            key=f"sampling:staff-{world.head_id}:2026-01-01",
            kind="sampling",
            lifecycle="sampling",
            title="Sample supervision records",
            subject=f"staff-{world.head_id}",
            subject_staff_id=world.head_id,
            assignee_id=world.head_id,
            due_on=date(2026, 3, 31),
            rule="sampling.records",
            source="000_b775b8e7712f1ef5.txt §2.1",
            rule_text="Heads of service sample supervision records four times a year.",
            payload={},
            created_by="test",
        )
        session.add(task)
        session.flush()
        ids.update(observation=observation.id, sampling_task=task.id, area=area_id)
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    signed = record_session(
        relationship_id=world.colleague_rel_id,
        recorder_staff_id=world.manager_id,
        record=RecordInput(
            held_on=date(2026, 2, 25),
            duration_minutes=90,
            sections={"personal": "Well.", "workload": "Caseload of 10."},
            late_reason="Grace was on leave in January.",
            actions=[NewAction("Book court skills training", world.colleague_id, TODAY)],
        ),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    ids["countersign_session"] = signed.session_id
    with _served(db) as url:
        yield RecordsSite(url=url, world=world, ids=ids)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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


def add_team_coordinator(db, world) -> int:
    """Cara Coordinator, in Grace's team with the login "coordinator": with Sam
    and Chloe, enough people for a group supervision agreement."""
    with db() as session, session.begin():
        manager = session.get(StaffMember, world.manager_id)
        org = session.get(Organisation, world.org_id)
        cara = make_staff(
            session,
            org,
            name="Cara Coordinator",
            role=StaffRole.BUSINESS_SUPPORT,
            team=manager.team,
            line_manager=manager,
            job_title="Team Coordinator",
        )
        make_user(session, cara, AppRole.SUPERVISEE, username="coordinator", password=PASSWORD)
        return cara.id
