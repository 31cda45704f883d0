"""The Oversight web app: sign in, the inbox, and the forms behind it."""

from __future__ import annotations

import os
from datetime import timedelta
from importlib import import_module
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from webapp import database, drafts, security
from webapp.dates import is_overdue, long_date, long_datetime, today
from webapp.escalations import escalation_for_page
from webapp.extensions import csrf, login_manager
from webapp.links import may_open
from webapp.policy_text import adopted_policy, citation, for_our_organisation, profile_rule
from webapp.record_versions import observation_version, review_version
from webapp.session_actions.queries import action_of_task

DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "oversight_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "OVERSIGHT_TODAY": None,
    # Sign-in throttling: lock for LOCKOUT_MINUTES after MAX_FAILED_LOGINS failures...
    "MAX_FAILED_LOGINS": 5,
    "LOCKOUT_MINUTES": 15,
    # ...and pause an address after this many failures (any accounts) in that window.
    "MAX_FAILED_LOGINS_PER_IP": 20,
    "SERVICE_NAME": "Oversight",
}

# Each area's blueprint: webapp/<area>/routes.py's `bp`.
AREAS = (
    "main",
    "auth",
    "inbox",
    "agreements",
    "observations",
    "reviews",
    "sampling",
    "checks",
    "asye",
    "record_audits",
    "session_actions",
    "missed_sessions",
    "case_oversight",
    "people",
    "team",
    "api",
    "sessions",
    "cases",
    "calendar",
    "group_agreements",
    "dashboard",
    "admin",
    "form_drafts",
    "exports",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    config = dict(config or {})
    app = Flask(
        __name__,
        instance_path=config.pop("INSTANCE_PATH", None),
        instance_relative_config=True,
    )
    app.config.update(DEFAULTS)
    app.config.update(config)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = security.secret_key(app.instance_path)
    _set_up_templates(app)
    _trust_proxies(app)

    # IDs in URLs fit a database integer column, so a huge guess is a 404, not an error.
    app.url_map.converters["int"] = Int32Converter
    database.init_app(app)
    login_manager.init_app(app)
    # Before the CSRF check: a long form posted after the login ended is kept.
    drafts.init_app(app)
    csrf.init_app(app)
    security.init_app(app)

    from webapp import users  # noqa: F401  (registers the user loader)

    for area in AREAS:
        app.register_blueprint(import_module(f"webapp.{area}.routes").bp)

    @app.context_processor
    def _layout_values() -> dict[str, Any]:
        from flask_login import current_user

        signed_in = current_user.is_authenticated
        return {
            "council_name": current_user.organisation_name if signed_in else "Oversight",
            "service_name": app.config["SERVICE_NAME"],
            "today": today(),
            "manages_anyone": signed_in and _manages_anyone(),
        }

    _register_error_pages(app)
    return app


def _set_up_templates(app: Flask) -> None:
    """Our templates first, then GOV.UK Frontend's Jinja macros, and the filters."""
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["long_datetime"] = long_datetime
    app.jinja_env.globals["is_overdue"] = is_overdue
    app.jinja_env.globals["escalation_for_page"] = escalation_for_page
    app.jinja_env.globals["action_of_task"] = action_of_task
    app.jinja_env.globals["profile_rule"] = profile_rule
    app.jinja_env.globals["adopted_policy"] = adopted_policy
    app.jinja_env.globals["observation_version"] = observation_version
    app.jinja_env.globals["review_version"] = review_version
    app.jinja_env.globals["may_open"] = may_open
    app.jinja_env.filters["citation"] = citation
    app.jinja_env.filters["for_our_organisation"] = for_our_organisation
    WTFormsHelpers(app)


def proxy_count(app: Flask) -> int:
    """How many reverse proxies in front of the app to trust: OVERSIGHT_PROXY_FIX
    from the config, else from the environment; 0 (trust none) when unset."""
    raw = app.config.get("OVERSIGHT_PROXY_FIX")
    if raw is None:
        raw = os.environ.get("OVERSIGHT_PROXY_FIX", "")
    text = str(raw).strip()
    if not text:
        return 0
    if not text.isdigit() or int(text) > 10:
        raise ValueError(
            f"OVERSIGHT_PROXY_FIX must be the number of reverse proxies in front of the app "
            f"(for example 1), not {text!r}."
        )
    return int(text)


def _trust_proxies(app: Flask) -> None:
    """Behind a reverse proxy, take the client's address, scheme and host from
    the X-Forwarded-* headers the proxies set (only as many hops as configured),
    so sign-in throttling by address counts the person, not the proxy."""
    count = proxy_count(app)
    if count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )


class Int32Converter(IntegerConverter):
    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", database.MAX_ID)
        super().__init__(map, *args, **kwargs)


def _manages_anyone() -> bool:
    """Whether the navigation offers "Your team" (once per request)."""
    from flask import g
    from flask_login import current_user

    from webapp import scope

    if "manages_anyone" not in g:
        g.manages_anyone = scope.manages_anyone(current_user)
    return g.manages_anyone


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(400)
    def _bad_request(error):
        return render_template("errors/400.html"), 400

    @app.errorhandler(403)
    def _forbidden(error):
        return render_template("errors/404.html"), 403

    @app.errorhandler(404)
    def _not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def _method_not_allowed(error):
        return render_template("errors/404.html"), 405

    @app.errorhandler(500)
    def _server_error(error):
        return render_template("errors/500.html"), 500
