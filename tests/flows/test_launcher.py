"""The launcher's pieces that need no servers; the whole launcher is tried by
hand (it starts three long-running services)."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import pytest

from deployments.launcher import (
    PROJECT_ROOT,
    LauncherError,
    banner,
    child_environment,
    ensure_port_free,
    mail_catcher_command,
    prefect_server_command,
    redacted,
    settings_from_environment,
    web_app_factory,
    web_command,
)


def test_ports_and_prefects_home_have_local_defaults():
    settings = settings_from_environment({})

    assert (settings.web_port, settings.prefect_port) == (5000, 4200)
    assert settings.prefect_home == PROJECT_ROOT / ".prefect"
    assert settings.web_url == "http://127.0.0.1:5000"
    assert settings.prefect_api_url == "http://127.0.0.1:4200/api"


def test_ports_come_from_the_environment():
    settings = settings_from_environment(
        {"OVERSIGHT_WEB_PORT": "5050", "OVERSIGHT_PREFECT_PORT": "4300", "PREFECT_HOME": "/tmp/p"}
    )

    assert (settings.web_port, settings.prefect_port) == (5050, 4300)
    assert settings.prefect_home == Path("/tmp/p")
    assert "--port 4300" in " ".join(prefect_server_command(settings))
    assert "--port 5050" in " ".join(web_command(settings))


def test_a_port_that_is_not_a_number_is_refused_by_name():
    with pytest.raises(LauncherError, match="OVERSIGHT_WEB_PORT must be a port number"):
        settings_from_environment({"OVERSIGHT_WEB_PORT": "web"})


def test_children_get_prefects_local_settings_and_keep_the_callers_environment():
    settings = settings_from_environment({"OVERSIGHT_PREFECT_PORT": "4300"})
    base = {"DATABASE_URL": "sqlite:////tmp/x.sqlite", "OVERSIGHT_SECRET_KEY": "s"}

    env = child_environment(settings, base)

    assert env["DATABASE_URL"] == "sqlite:////tmp/x.sqlite"
    assert env["OVERSIGHT_SECRET_KEY"] == "s"
    assert env["PREFECT_API_URL"] == "http://127.0.0.1:4300/api"
    assert env["PREFECT_HOME"] == str(PROJECT_ROOT / ".prefect")
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"


def test_the_web_app_runs_with_cookies_over_http_and_the_launchers_today():
    settings = settings_from_environment({})

    plain = web_command(settings)
    fixed = web_command(settings, date(2026, 12, 1))

    assert plain[plain.index("--app") + 1] == "webapp:create_app({'SESSION_COOKIE_SECURE': False})"
    factory = fixed[fixed.index("--app") + 1]
    assert "'OVERSIGHT_TODAY': '2026-12-01'" in factory
    assert web_app_factory() in plain


def test_a_port_in_use_is_reported_with_the_variable_that_changes_it():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(LauncherError, match=f"Port {port} .* OVERSIGHT_PREFECT_PORT=<port>"):
            ensure_port_free(port, "Prefect's server", "OVERSIGHT_PREFECT_PORT")


def test_a_database_password_is_never_printed():
    assert redacted("postgresql://app:s3cret@db:5432/oversight") == (
        "postgresql://app:***@db:5432/oversight"
    )
    assert redacted("sqlite:////tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"


def test_the_banner_gives_both_addresses_and_the_demo_logins():
    settings = settings_from_environment({})
    logins = [("grace.adeyemi", "demo-oversight", "team manager"), ("sam.okafor", "pw", "new")]

    text = banner(settings, logins, "agreement-2026-12-01: Completed")

    assert "Web app:    http://127.0.0.1:5000" in text
    assert "Prefect UI: http://127.0.0.1:4200" in text
    assert "grace.adeyemi  demo-oversight    team manager" in text
    assert "agreement-2026-12-01: Completed" in text


def test_mail_goes_to_the_launchers_catcher_on_localhost_unless_configured_elsewhere():
    local = settings_from_environment({})
    relay = settings_from_environment(
        {"OVERSIGHT_SMTP_HOST": "relay.council.example", "OVERSIGHT_SMTP_PORT": "25"}
    )

    assert (local.smtp_host, local.smtp_port, local.catches_mail) == ("localhost", 1025, True)
    assert (relay.smtp_port, relay.catches_mail) == (25, False)
    assert mail_catcher_command(local)[-2:] == ["--port", "1025"]
    assert "Mail:       caught on localhost:1025" in banner(
        local, [], "x", "caught on localhost:1025"
    )
