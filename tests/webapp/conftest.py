"""Fixtures for the web app: an app over the `db` fixture's database, the
small council of tests/worlds/small_council.py as `world`, and helpers to
sign in, read pages, and put a human task straight into someone's inbox."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from jinja2 import BytecodeCache

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


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept for the whole run. Each test builds an app of
    its own, whose Jinja environment would parse and compile again every template it
    renders: about a third of the web tests' time. Jinja compiles a template again
    when its source's checksum differs from the one it was compiled from."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = _CompiledTemplates()


def _compile_each_url_builder_once() -> None:
    """Werkzeug turns each URL rule of an app into a Python function (built as code and
    compiled) that url_for calls: 40 ms of the 45 it takes to build an app, and the
    suite builds two thousand. The function depends only on the rule, its parsed parts,
    its defaults and its converters' types (the converters themselves are looked up when
    it runs), so one compiled for a rule exactly like it is reused."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    compiled: dict[tuple, object] = {}

    def compile_once(rule: Rule, append_unknown: bool = True):
        key = (
            rule.rule,
            rule.subdomain,
            rule.host,
            repr(sorted((rule.defaults or {}).items())),
            tuple(rule._trace),
            tuple((name, type(converter)) for name, converter in rule._converters.items()),
            append_unknown,
        )
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]

    Rule._compile_builder = compile_once


_compile_each_url_builder_once()


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
    app = create_app(config)
    app.jinja_env.bytecode_cache = _COMPILED_TEMPLATES
    return app


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
