"""Fixtures for the web app: an app over the `db` fixture's database, a small
council (a head of service, a team manager who supervises two social workers,
and a second team's manager and worker), and helpers to sign in and to put a
human task straight into someone's inbox."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

import pytest

from models import AppRole, HumanTask, StaffRole
from models.passwords import hash_password
from tests.factories import (
    make_organisation,
    make_relationship,
    make_staff,
    make_team,
    make_user,
)
from webapp import create_app

TODAY = date(2026, 3, 2)
PASSWORD = "correct horse battery staple"
_keys = itertools.count(1)
_HASHES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _hash_each_password_once(monkeypatch):
    """Argon2 is slow on purpose; the world's five accounts share one password,
    so hash it once per run (the hash is still a real Argon2id hash)."""
    import tests.factories

    def cached(password: str) -> str:
        if password not in _HASHES:
            _HASHES[password] = hash_password(password)
        return _HASHES[password]

    monkeypatch.setattr(tests.factories, "hash_password", cached)


def build_app(db, **overrides):
    config = {
        "SECRET_KEY": "test-secret-key",
        "SESSION_FACTORY": db,
        "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "OVERSIGHT_TODAY": TODAY.isoformat(),
        "TESTING": True,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(db):
    return build_app(db)


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass(frozen=True)
class World:
    org_id: int
    other_org_id: int
    head_id: int
    manager_id: int  # team manager: supervises worker and colleague; line manager of both
    worker_id: int  # a new starter; supervisee in rel_id
    colleague_id: int  # another supervisee of the same manager, in colleague_rel_id
    rel_id: int
    colleague_rel_id: int
    outsider_id: int  # a worker in another council
    outsider_rel_id: int

    # Usernames are the staff emails' local part, see _user().
    head: str = "head"
    manager: str = "manager"
    worker: str = "worker"
    colleague: str = "colleague"
    outsider: str = "outsider"


@pytest.fixture
def world(db) -> World:
    return build_world(db)


def build_world(db) -> World:
    with db() as session, session.begin():
        org = make_organisation(session, name="Testshire")
        team = make_team(session, org)
        head = make_staff(session, org, name="Helen Head", role=StaffRole.SENIOR_MANAGER)
        manager = make_staff(
            session,
            org,
            name="Grace Manager",
            role=StaffRole.TEAM_MANAGER,
            line_manager=head,
            team=team,
            job_title="Team manager",
        )
        worker = make_staff(
            session,
            org,
            name="Sam Worker",
            line_manager=manager,
            team=team,
            job_title="Social worker",
        )
        colleague = make_staff(
            session, org, name="Chloe Colleague", line_manager=manager, team=team
        )
        rel = make_relationship(session, manager, worker)
        colleague_rel = make_relationship(session, manager, colleague)

        other_org = make_organisation(session, name="Elsewhere")
        other_manager = make_staff(
            session, other_org, name="Olga Other", role=StaffRole.TEAM_MANAGER
        )
        outsider = make_staff(session, other_org, name="Oscar Outsider", line_manager=other_manager)
        outsider_rel = make_relationship(session, other_manager, outsider)

        make_user(session, head, AppRole.HEAD_OF_SERVICE, AppRole.LINE_MANAGER, username="head")
        make_user(session, manager, AppRole.SUPERVISOR, AppRole.LINE_MANAGER, username="manager")
        make_user(session, worker, AppRole.SUPERVISEE, username="worker")
        make_user(session, colleague, AppRole.SUPERVISEE, username="colleague")
        make_user(session, outsider, AppRole.SUPERVISEE, username="outsider")
        return World(
            org_id=org.id,
            other_org_id=other_org.id,
            head_id=head.id,
            manager_id=manager.id,
            worker_id=worker.id,
            colleague_id=colleague.id,
            rel_id=rel.id,
            colleague_rel_id=colleague_rel.id,
            outsider_id=outsider.id,
            outsider_rel_id=outsider_rel.id,
        )


def make_task(
    db,
    *,
    organisation_id: int,
    assignee_id: int | None,
    due_on: date,
    kind: str = "agreement",
    title: str | None = None,
    status: str = "open",
    relationship_id: int | None = None,
    subject_staff_id: int | None = None,
    rule_text: str = "Every member of staff will have a named supervisor and a supervision "
    "agreement, drawn up within 6 weeks of starting their job.",
    source: str = "000_b775b8e7712f1ef5.txt §1.4",
    payload: dict | None = None,
    key: str | None = None,
) -> int:
    """Put one human task straight into the database (for inbox-only tests)."""
    n = next(_keys)
    with db() as session, session.begin():
        task = HumanTask(
            organisation_id=organisation_id,
            key=key or f"test:{kind}:{n}",
            kind=kind,
            lifecycle="agreement",
            title=title or f"Task {n}",
            subject=f"rel-{relationship_id}" if relationship_id else f"staff-{assignee_id}",
            relationship_id=relationship_id,
            subject_staff_id=subject_staff_id,
            assignee_id=assignee_id,
            due_on=due_on,
            status=status,
            rule="agreement.deadline",
            source=source,
            rule_text=rule_text,
            payload=payload or {},
            created_by="test",
        )
        session.add(task)
        session.flush()
        return task.id


def login(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def text_of(response) -> str:
    """The page's text with tags stripped and whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
