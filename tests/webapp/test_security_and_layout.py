"""Cross-cutting checks: every route declares who may use it, security
headers and CSRF everywhere, and pages that are GOV.UK Frontend but a
council's own (no crown, no GOV.UK logo, Arial, no inline scripts)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.webapp.conftest import TODAY, build_app, login, make_task
from webapp.access import public, rule_for

PROJECT = Path(__file__).resolve().parents[2]


def _endpoints(app):
    return [r for r in app.url_map.iter_rules() if not r.endpoint.endswith("static")]


def _example_url(url_rule) -> str:
    """The route with each argument filled in: 1 for a number, "x" otherwise."""
    return re.sub(
        r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>",
        lambda m: "1" if m.group(1) == "int" else "x",
        url_rule.rule,
    )


def test_every_route_declares_who_may_use_it(app):
    undeclared = [
        r.endpoint for r in _endpoints(app) if rule_for(app.view_functions[r.endpoint]) is None
    ]
    assert undeclared == [], f"routes without an access rule: {undeclared}"


def test_the_url_map_walk_would_catch_a_route_without_a_rule(db):
    app = build_app(db)

    @app.route("/forgotten")
    def forgotten():  # no @rule
        return "oops"

    assert rule_for(app.view_functions["forgotten"]) is None


def test_only_sign_in_the_health_check_and_the_api_description_are_public(app):
    public_endpoints = sorted(
        r.endpoint for r in _endpoints(app) if rule_for(app.view_functions[r.endpoint]) is public
    )
    assert public_endpoints == ["api.openapi", "auth.login", "main.healthz"]


def _non_public_routes():
    from webapp import create_app

    app = create_app({"SECRET_KEY": "x", "SESSION_FACTORY": object()})
    for url_rule in _endpoints(app):
        if rule_for(app.view_functions[url_rule.endpoint]) is public:
            continue
        for method in sorted(url_rule.methods - {"HEAD", "OPTIONS"}):
            yield pytest.param(method, _example_url(url_rule), id=f"{method} {url_rule.rule}")


@pytest.mark.parametrize(("method", "url"), list(_non_public_routes()))
def test_a_signed_out_visitor_is_sent_to_sign_in_from_every_other_route(client, world, method, url):
    response = client.open(url, method=method)
    if url.startswith("/api/"):
        # The API answers in JSON rather than redirecting a script to a page.
        assert response.status_code == 401
        assert response.is_json
        return
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_the_health_check_needs_no_sign_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def _pages(client, world, db):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        relationship_id=world.rel_id,
    )
    yield "sign-in page", client.get("/login")
    yield "health check", client.get("/healthz")
    yield "not found", client.get("/no-such-page")
    login(client, world.manager)
    yield "inbox", client.get("/inbox")
    yield "task", client.get(f"/tasks/{task_id}")
    yield "agreement form", client.get(f"/relationships/{world.rel_id}/agreement/sign")
    yield "agreement", client.get(f"/relationships/{world.rel_id}/agreement")
    yield "stylesheet", client.get("/static/css/oversight.css")


def test_every_response_carries_the_security_headers(client, world, db):
    for name, response in _pages(client, world, db):
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, name
        assert "frame-ancestors 'none'" in csp, name
        assert "unsafe-inline" not in csp, name
        assert headers.get("X-Content-Type-Options") == "nosniff", name
        assert headers.get("X-Frame-Options") == "DENY", name
        assert headers.get("Referrer-Policy") == "same-origin", name


def test_pages_with_personal_data_are_not_cached(client, world, db):
    login(client, world.manager)
    assert client.get("/inbox").headers.get("Cache-Control") == "no-store"


def test_hsts_is_sent_when_cookies_are_secure(db):
    client = build_app(db, SESSION_COOKIE_SECURE=True).test_client()
    assert "max-age=" in client.get("/healthz").headers.get("Strict-Transport-Security", "")


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/login", {"username": "worker", "password": "correct horse battery staple"}),
        ("/logout", {}),
    ],
)
def test_a_post_without_a_csrf_token_is_refused(db, world, url, data):
    client = build_app(db, WTF_CSRF_ENABLED=True).test_client()
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_a_post_with_a_forged_csrf_token_is_refused(db, world):
    client = build_app(db, WTF_CSRF_ENABLED=True).test_client()
    client.get("/login")
    response = client.post(
        "/login", data={"username": "worker", "password": "x", "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_every_form_on_a_page_carries_a_csrf_token(db, world):
    from tests.webapp.conftest import csrf_token_from

    client = build_app(db, WTF_CSRF_ENABLED=True).test_client()
    login(
        client,
        world.manager,
        csrf_token=csrf_token_from(client.get("/login").get_data(as_text=True)),
    )
    for url in ("/inbox", f"/relationships/{world.rel_id}/agreement/sign"):
        html = client.get(url).get_data(as_text=True)
        forms = re.findall(r"<form\b.*?</form>", html, flags=re.S)
        assert forms, url
        for form in forms:
            if re.match(r'<form[^>]*method="get"', form):
                continue  # a filter form changes nothing; its values live in the address
            assert 'name="csrf_token"' in form, url


@pytest.fixture
def signed_in_pages(client, world, db):
    task_id = make_task(
        db,
        organisation_id=world.org_id,
        assignee_id=world.manager_id,
        due_on=TODAY,
        relationship_id=world.rel_id,
    )
    pages = {"sign in": client.get("/login").get_data(as_text=True)}
    login(client, world.manager)
    pages["inbox"] = client.get("/inbox").get_data(as_text=True)
    pages["task"] = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    pages["form"] = client.get(f"/relationships/{world.rel_id}/agreement/sign").get_data(
        as_text=True
    )
    return pages


def test_pages_are_built_from_gov_uk_frontend_components(signed_in_pages):
    for name, html in signed_in_pages.items():
        assert 'class="govuk-template"' in html, name
        assert "govuk-template__body" in html, name
        assert "govuk-width-container" in html, name
        assert "govuk-main-wrapper" in html, name
        assert "govuk-service-navigation" in html, name
        assert "/static/govuk/govuk-frontend.min.css" in html, name
    assert "govuk-textarea" in signed_in_pages["form"]
    assert "govuk-checkboxes__input" in signed_in_pages["form"]
    assert "govuk-button" in signed_in_pages["form"]


def test_the_header_is_the_councils_own_with_no_crown_or_gov_uk_logo(signed_in_pages):
    for name, html in signed_in_pages.items():
        lowered = html.lower()
        assert "crown" not in lowered, name
        assert "govuk-logo" not in lowered, name
        assert 'class="govuk-header' not in lowered, name
        assert "gov.uk" not in lowered, name
        header = lowered.split("<header", 1)[1].split("</header>", 1)[0]
        assert "<svg" not in header and "<img" not in header, name
        assert "govuk-generic-header" in html, name
    assert "Testshire County Council" in signed_in_pages["inbox"]
    # Before signing in, the header names the service.
    assert "Oversight" in signed_in_pages["sign in"]


def test_there_are_no_inline_scripts_and_gov_uk_frontend_is_started_from_a_file(
    signed_in_pages,
):
    for name, html in signed_in_pages.items():
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script on the {name} page: {tag}"
        assert re.search(r"<script[^>]*\bon\w+=", html) is None
        assert '<script type="module" src="/static/js/init.mjs">' in html, name
    init = (PROJECT / "webapp/static/js/init.mjs").read_text()
    assert "initAll()" in init


def test_the_font_is_arial_not_gds_transport_and_pages_have_a_print_stylesheet(
    signed_in_pages,
):
    css = (PROJECT / "webapp/static/css/oversight.css").read_text()
    assert "font-family: Arial, sans-serif" in css
    assert '[class*=" govuk-"]' in css
    for name, html in signed_in_pages.items():
        assert 'href="/static/css/print.css" media="print"' in html, name
    print_css = (PROJECT / "webapp/static/css/print.css").read_text()
    assert ".govuk-template__header" in print_css
    assert "display: none" in print_css


def test_the_asset_build_fails_clearly_when_node_modules_is_missing(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(PROJECT / "scripts/build_assets.sh", tmp_path / "scripts/build_assets.sh")
    shutil.copy(PROJECT / "package.json", tmp_path / "package.json")
    result = subprocess.run(
        ["bash", str(tmp_path / "scripts/build_assets.sh")],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    assert result.returncode != 0
    assert "npm ci" in result.stderr


@pytest.mark.skipif(
    not (PROJECT / "node_modules/govuk-frontend/dist/govuk").is_dir(),
    reason="needs `npm ci` (node_modules/govuk-frontend)",
)
def test_the_asset_build_copies_gov_uk_frontend_and_is_idempotent(tmp_path):
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    (root / "webapp/static").mkdir(parents=True)
    shutil.copy(PROJECT / "scripts/build_assets.sh", root / "scripts/build_assets.sh")
    shutil.copy(PROJECT / "package.json", root / "package.json")
    (root / "node_modules").symlink_to(PROJECT / "node_modules")
    for _ in range(2):
        result = subprocess.run(
            ["bash", str(root / "scripts/build_assets.sh")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    built = root / "webapp/static/govuk"
    assert (built / "govuk-frontend.min.css").is_file()
    assert (built / "govuk-frontend.min.js").is_file()
    assert (built / "assets").is_dir()
    assert (built / ".built").is_file()
    assert "url(/assets/" not in (built / "govuk-frontend.min.css").read_text()
    assert [p.name for p in (root / "webapp/static").iterdir()] == ["govuk"]


def _navigation(html: str) -> str:
    return html.split('class="govuk-service-navigation', 1)[1].split("</nav>", 1)[0]


def _current_section(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"\s+aria-current="true"', _navigation(html))


def test_the_navigation_links_to_cases_and_calendar_and_marks_the_current_one(client, world):
    login(client, world.worker)
    cases = client.get("/cases").get_data(as_text=True)
    for href, text in (("/inbox", "Inbox"), ("/cases", "Cases"), ("/calendar", "Calendar")):
        assert re.search(rf'href="{href}"[^>]*>\s*(<strong[^>]*>)?\s*{text}', _navigation(cases))
    assert _current_section(cases) == ["/cases"]
    assert _current_section(client.get("/calendar").get_data(as_text=True)) == ["/calendar"]
    assert _current_section(client.get("/inbox").get_data(as_text=True)) == ["/inbox"]


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S)[1].strip()


DASH = "\N{EN DASH}"  # the GOV.UK title separator


def test_the_page_title_names_the_service_once_and_the_council_once_signed_in(client, world):
    assert _title(client.get("/login")) == f"Sign in {DASH} Oversight"
    login(client, world.manager)
    title = _title(client.get("/inbox"))
    assert title.count("Oversight") == 1
    assert title.endswith(f"{DASH} Oversight {DASH} Testshire County Council")
