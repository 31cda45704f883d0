"""Fixtures for the web app: an app over the `db` fixture's database, the
small council of tests/worlds/small_council.py as `world`, and helpers to
sign in, read pages, and put a human task straight into someone's inbox."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from models.passwords import hash_password
from tests.factories import make_human_task
from tests.factories.people import PASSWORD
from tests.worlds.small_council import TODAY, World, build_world  # the web tests import these here
from webapp import create_app

_keys = itertools.count(1)
_HASHES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _hash_each_password_once(monkeypatch):
    """Argon2 is slow on purpose; the world's five accounts share one password,
    so hash it once per run (the hash is still a real Argon2id hash)."""
    import tests.factories.people

    def cached(password: str) -> str:
        if password not in _HASHES:
            _HASHES[password] = hash_password(password)
        return _HASHES[password]

    monkeypatch.setattr(tests.factories.people, "hash_password", cached)


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


@pytest.fixture
def world(db) -> World:
    return build_world(db)


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
    """Put one human task straight into the database (for inbox-only tests):
    in the agreement lifecycle, whatever its kind, citing Lancashire §1.4."""
    n = next(_keys)
    with db() as session, session.begin():
        return make_human_task(
            session,
            organisation_id,
            kind=kind,
            lifecycle="agreement",
            key=key or f"test:{kind}:{n}",
            title=title or f"Task {n}",
            subject=f"rel-{relationship_id}" if relationship_id else f"staff-{assignee_id}",
            relationship=relationship_id,
            subject_staff=subject_staff_id,
            assignee=assignee_id,
            due_on=due_on,
            status=status,
            rule="agreement.deadline",
            source=source,
            rule_text=rule_text,
            payload=payload or {},
        ).id


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
