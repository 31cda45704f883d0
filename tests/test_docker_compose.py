"""docker-compose.yml is production: PostgreSQL for the app and for Prefect.
Docker has no engine here, so the file is checked by parsing it."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} and ${VAR:?error} with nothing set: the default, or a
    placeholder for the required ones."""
    value = re.sub(r"\$\{(\w+):-([^}]*)\}", r"\2", value)
    return re.sub(r"\$\{(\w+):\?[^}]*\}", r"<\1>", value)


@pytest.fixture(scope="module")
def services() -> dict:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return compose["services"]


def env(service: dict) -> dict[str, str]:
    return {k: interpolate(str(v)) for k, v in (service.get("environment") or {}).items()}


def command(service: dict) -> str:
    raw = service.get("command", "")
    return " ".join(raw) if isinstance(raw, list) else raw


def test_production_has_postgres_prefect_the_flow_runner_and_the_web_app(services):
    assert {"db", "prefect-server", "flows", "web"} <= set(services)


def test_the_database_is_postgres_16_on_a_volume_with_a_healthcheck(services):
    db = services["db"]
    assert db["image"] == "postgres:16"
    assert any(str(v).endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "pg_isready" in str(db["healthcheck"]["test"])


def test_prefects_own_database_is_created_on_first_start(services):
    mounts = [str(v).split(":")[0] for v in services["db"]["volumes"]]
    scripts = [ROOT / m for m in mounts if m.startswith("./")]
    assert any("CREATE DATABASE prefect" in s.read_text() for s in scripts)


@pytest.mark.parametrize("name", ["web", "flows"])
def test_the_web_app_and_the_flows_use_the_postgres_app_database(services, name):
    url = urlsplit(env(services[name])["DATABASE_URL"])
    assert url.scheme == "postgresql"
    assert (url.hostname, url.path) == ("db", "/oversight")


def test_prefects_server_keeps_its_state_in_postgres(services):
    url = urlsplit(env(services["prefect-server"])["PREFECT_API_DATABASE_CONNECTION_URL"])
    assert url.scheme == "postgresql+asyncpg"
    assert (url.hostname, url.path) == ("db", "/prefect")
    # `prefect server start` with the scheduler fix for SQLAlchemy 2.1
    assert command(services["prefect-server"]).startswith("prefect server start")


def test_the_flow_runner_serves_the_deployments_against_the_prefect_server(services):
    flows = services["flows"]
    assert command(flows) == "python -m deployments.serve"
    assert env(flows)["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    assert flows["depends_on"]["prefect-server"]["condition"] == "service_healthy"


def test_the_web_app_serves_the_app_factory_after_migrations(services):
    web = services["web"]
    assert "webapp:create_app()" in command(web)
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert command(services["migrate"]) == "python -m models.migrate"
    assert env(web)["OVERSIGHT_SECRET_KEY"] == "<OVERSIGHT_SECRET_KEY>"


def test_every_long_running_service_has_a_healthcheck_and_waits_for_the_database(services):
    for name in ("prefect-server", "flows", "web"):
        assert "healthcheck" in services[name], name
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy", name


def test_the_services_build_from_the_projects_dockerfile(services):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", dockerfile, re.MULTILINE)
    assert "gunicorn" in dockerfile
    for name in ("prefect-server", "flows", "web", "migrate"):
        assert services[name]["build"] == ".", name


def test_the_flow_runner_sends_mail_through_a_relay_that_must_be_named(services):
    flows = env(services["flows"])
    assert flows["OVERSIGHT_SMTP_HOST"] == "<OVERSIGHT_SMTP_HOST>"  # required, no default
    assert flows["OVERSIGHT_MAIL_FROM"] == "<OVERSIGHT_MAIL_FROM>"
    assert flows["OVERSIGHT_SMTP_PORT"] == "25"
    assert flows["DATABASE_URL"].startswith("postgresql://")  # the app's settings still apply
    assert flows["PREFECT_API_URL"] == "http://prefect-server:4200/api"
