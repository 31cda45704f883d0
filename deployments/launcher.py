"""Run the whole product on one machine with no servers to install:

    python -m deployments.launcher

In order: bring the app database to the latest schema, load the demo
organisation, start Prefect's own server on its embedded SQLite and a mail
catcher, serve every deployment (the lifecycles on their schedules and event
triggers, the outbox drainer every minute, the mail), start the web app, run
every lifecycle once so the inbox and the Prefect UI have something to show,
then print the addresses and the demo logins. Ctrl-C (or SIGTERM) stops
everything it started.

Environment:
  DATABASE_URL            the app database (default: SQLite under instance/)
  OVERSIGHT_WEB_PORT      the web app's port (default 5000)
  OVERSIGHT_PREFECT_PORT  Prefect's server and UI port (default 4200)
  PREFECT_HOME            Prefect's own files and SQLite (default: .prefect/ in the project)
  OVERSIGHT_LOG_DIR       where the services log (default: instance/logs/)
  OVERSIGHT_SMTP_HOST, OVERSIGHT_SMTP_PORT
                          where mail goes (default localhost:1025, where the launcher
                          starts a mail catcher that prints each message to mail.log)
Everything else (OVERSIGHT_SECRET_KEY, OVERSIGHT_MAIL_FROM, ...) passes through.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from deployments.processes import (
    HOST,
    PROJECT_ROOT,
    LauncherError,
    Service,
    ensure_port_free,
    http_ok,
    port_in_use,
    wait_until,
)

# Only the standard library at import time: Prefect reads its settings from the
# environment when first imported, so it is imported after main() sets them.

PREFECT_START_TIMEOUT = 90.0  # a first start migrates Prefect's own database
WEB_START_TIMEOUT = 30.0
FIRST_RUN_TIMEOUT = 120.0


class Shutdown(Exception):
    """SIGTERM or SIGINT arrived."""


@dataclass(frozen=True)
class Settings:
    web_port: int
    prefect_port: int
    prefect_home: Path
    log_dir: Path
    smtp_host: str = "localhost"
    smtp_port: int = 1025

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    @property
    def prefect_ui_url(self) -> str:
        return f"http://{HOST}:{self.prefect_port}"

    @property
    def prefect_api_url(self) -> str:
        return f"{self.prefect_ui_url}/api"

    @property
    def catches_mail(self) -> bool:
        """Mail goes to this machine, where the launcher's mail catcher listens."""
        return self.smtp_host in ("localhost", "127.0.0.1")


def settings_from_environment(environ: dict[str, str] | os._Environ = os.environ) -> Settings:
    def port(name: str, default: int) -> int:
        raw = environ.get(name, "").strip()
        if not raw:
            return default
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            raise LauncherError(f"{name} must be a port number, not {raw!r}")
        return int(raw)

    return Settings(
        web_port=port("OVERSIGHT_WEB_PORT", 5000),
        prefect_port=port("OVERSIGHT_PREFECT_PORT", 4200),
        prefect_home=Path(environ.get("PREFECT_HOME") or PROJECT_ROOT / ".prefect"),
        log_dir=Path(environ.get("OVERSIGHT_LOG_DIR") or PROJECT_ROOT / "instance" / "logs"),
        smtp_host=environ.get("OVERSIGHT_SMTP_HOST", "").strip() or "localhost",
        smtp_port=port("OVERSIGHT_SMTP_PORT", 1025),
    )


def child_environment(settings: Settings, base: dict[str, str] | os._Environ) -> dict[str, str]:
    """What every child process sees: the caller's environment plus Prefect's
    local settings. DATABASE_URL and the web app's own variables pass through."""
    env = dict(base)
    env.update(
        PREFECT_HOME=str(settings.prefect_home),
        PREFECT_API_URL=settings.prefect_api_url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT="false",
        # The served deployments pick up scheduled runs sooner than the default 10 s.
        PREFECT_RUNNER_POLL_FREQUENCY=env.get("PREFECT_RUNNER_POLL_FREQUENCY", "5"),
        PYTHONUNBUFFERED="1",
    )
    # The link in every mail points at this web app unless told otherwise.
    env.setdefault("OVERSIGHT_BASE_URL", settings.web_url)
    return env


def prefect_server_command(settings: Settings) -> list[str]:
    """Prefect's own server on its embedded SQLite under PREFECT_HOME."""
    return [
        sys.executable, "-m", "prefect", "server", "start",
        "--host", HOST, "--port", str(settings.prefect_port),
    ]  # fmt: skip


def serve_command() -> list[str]:
    return [sys.executable, "-m", "deployments.serve"]


def mail_catcher_command(settings: Settings) -> list[str]:
    return [sys.executable, "-m", "deployments.mailcatcher", "--port", str(settings.smtp_port)]


def web_app_factory(today: date | None = None) -> str:
    """The web app's development config, passed as the factory's argument (Flask
    evaluates it as a literal): session cookies over plain http on 127.0.0.1,
    and the launcher's --today, if given, as the web app's today."""
    config: dict[str, object] = {"SESSION_COOKIE_SECURE": False}
    if today is not None:
        config["OVERSIGHT_TODAY"] = today.isoformat()
    return f"webapp:create_app({config!r})"


def web_command(settings: Settings, today: date | None = None) -> list[str]:
    return [
        sys.executable, "-m", "flask", "--app", web_app_factory(today), "run",
        "--host", HOST, "--port", str(settings.web_port),
    ]  # fmt: skip


def today_in_london() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def redacted(url: str) -> str:
    """A database URL fit to print: any password replaced."""
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return url


def deployment_registered(settings: Settings, full_name: str) -> bool:
    flow_name, deployment_name = full_name.split("/", 1)
    quoted = "/".join(urllib.parse.quote(part, safe="") for part in (flow_name, deployment_name))
    url = f"{settings.prefect_api_url}/deployments/name/{quoted}"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310 # an http URL built from our own settings
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _raise_shutdown(signum: int, _frame) -> None:
    raise Shutdown(signal.Signals(signum).name)


def banner(
    settings: Settings, logins: list[tuple[str, str, str]], first_run: str, mail: str = ""
) -> str:
    width = max([len(u) for u, _, _ in logins] + [8])
    lines = [
        "",
        "=" * 72,
        "Oversight is running.",
        "",
        f"  Web app:    {settings.web_url}",
        f"  Prefect UI: {settings.prefect_ui_url}",
        "",
        f"  Mail:       {mail or f'{settings.smtp_host}:{settings.smtp_port}'}",
        "",
        f"  First run of every lifecycle: {first_run}",
        "",
        "Demo logins:",
    ]
    lines += [f"  {u:<{width}}  {p}    {d}" for u, p, d in logins]
    lines += [
        "",
        f"Logs: {settings.log_dir}",
        "Press Ctrl-C to stop.",
        "=" * 72,
        "",
    ]
    return "\n".join(lines)


def run(settings: Settings, *, as_of: date, fixed_today: bool = False) -> None:
    os.environ.update(child_environment(settings, os.environ))
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    ensure_port_free(settings.prefect_port, "Prefect's server", "OVERSIGHT_PREFECT_PORT")
    ensure_port_free(settings.web_port, "the web app", "OVERSIGHT_WEB_PORT")
    logins = prepare_database(as_of)
    env = dict(os.environ)
    if fixed_today:
        # Served runs judge by the same day as the web app (flows/lifecycle.py).
        env["OVERSIGHT_TODAY"] = as_of.isoformat()
    services = [
        Service("Prefect server", prefect_server_command(settings), env,
                settings.log_dir / "prefect-server.log"),
        Service("Lifecycle deployments", serve_command(), env,
                settings.log_dir / "deployments.log"),
        Service("Web app", web_command(settings, as_of if fixed_today else None), env,
                settings.log_dir / "web.log"),
    ]  # fmt: skip
    mail = f"{settings.smtp_host}:{settings.smtp_port}"
    if settings.catches_mail and not port_in_use(settings.smtp_port):
        catcher = Service("Mail catcher", mail_catcher_command(settings), env,
                          settings.log_dir / "mail.log")  # fmt: skip
        services.insert(0, catcher)
        mail = f"caught on {mail}, printed to {catcher.log_path}"
    elif settings.catches_mail:
        mail = f"{mail} (something is already listening there; mail goes to it)"
    try:
        first_run = start(settings, services, as_of)
        print(banner(settings, logins, first_run, mail), flush=True)
        supervise(services)
    finally:
        # A second Ctrl-C must not cut the clean stop short.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        for service in reversed(services):
            if service.process is not None:
                say(f"Stopping {service.name}")
                service.stop()


def prepare_database(as_of: date) -> list[tuple[str, str, str]]:
    """The latest schema and the demo organisation; the demo's logins."""
    from models.db import database_url
    from models.demo import load_demo
    from models.migrate import upgrade

    say(f"Bringing the database to the latest schema: {redacted(database_url())}")
    upgrade()
    say(f"Loading the demo organisation (as of {as_of.day} {as_of:%B %Y})")
    return list(load_demo(today=as_of).logins)


def start(settings: Settings, services: list[Service], as_of: date) -> str:
    """Start the services in order, each once the one before answers, then run
    every lifecycle once; what the first run came to."""
    *catcher, server, deployments, web = services
    for service in catcher:
        say(f"Starting a mail catcher on {HOST}:{settings.smtp_port}")
        service.start()
    say(f"Starting Prefect's server on {settings.prefect_ui_url}")
    say(f"Prefect keeps its own SQLite in {settings.prefect_home}")
    server.start()
    wait_until(
        lambda: http_ok(f"{settings.prefect_api_url}/health"),
        timeout=PREFECT_START_TIMEOUT,
        service=server,
        failure=f"Prefect's server did not answer on {settings.prefect_api_url}/health",
    )

    from deployments.serve import DEPLOYMENTS, EVERY_LIFECYCLE_WEEKLY

    say(f"Serving {len(DEPLOYMENTS)} deployments: every lifecycle, the drainer and the mail")
    deployments.start()
    last = DEPLOYMENTS[-1].full_name
    wait_until(
        lambda: deployment_registered(settings, last),
        timeout=PREFECT_START_TIMEOUT,
        service=deployments,
        failure=f"The deployment {last!r} was not registered",
    )
    say(f"Starting the web app on {settings.web_url}")
    web.start()
    wait_until(
        lambda: http_ok(settings.web_url + "/"),
        timeout=WEB_START_TIMEOUT,
        service=web,
        failure=f"The web app did not answer on {settings.web_url}",
    )
    say("Running every lifecycle once, so every inbox is current")
    return run_first_flow(EVERY_LIFECYCLE_WEEKLY.full_name, as_of)


def run_first_flow(full_name: str, as_of: date) -> str:
    from prefect.deployments import run_deployment

    flow_run = run_deployment(
        full_name,
        parameters={"as_of": as_of.isoformat()},
        timeout=FIRST_RUN_TIMEOUT,
        poll_interval=1,
        as_subflow=False,
    )
    state = flow_run.state
    name = state.name if state else "Scheduled"
    if state is not None and state.is_final():
        return f"{flow_run.name}: {name}"
    return f"{flow_run.name}: {name} (still going; see the Prefect UI)"


def supervise(services: list[Service]) -> None:
    """Wait for a signal; if a service dies on its own, say so and stop the rest."""
    while True:
        for service in services:
            code = service.exited()
            if code is not None:
                raise LauncherError(
                    f"{service.name} stopped unexpectedly (exit code {code}). "
                    f"Last lines of {service.log_path}:\n{service.log_tail()}"
                )
        time.sleep(1)


def say(message: str) -> None:
    print(f"[oversight] {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        help="pretend today is this day, YYYY-MM-DD (default: today in Europe/London)",
    )
    args = parser.parse_args(argv)
    # SIGHUP too: closing the terminal must stop the services, not orphan them.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _raise_shutdown)
    try:
        run(
            settings_from_environment(),
            as_of=args.today or today_in_london(),
            fixed_today=args.today is not None,
        )
    except Shutdown:
        say("Stopped.")
        return 0
    except LauncherError as error:
        print(f"[oversight] {error}", file=sys.stderr, flush=True)
        return 1
    except BaseException as error:
        # A stop that arrived inside a library (Prefect's client runs the
        # first flow on an event loop, which wraps what interrupts it) is still
        # a stop: say so, without a traceback.
        if not _is_a_stop(error):
            raise
        say("Stopped.")
        return 0
    return 0


def _is_a_stop(error: BaseException | None, seen: int = 0) -> bool:
    """Shutdown or Ctrl-C, or an error it caused (its cause, context or group)."""
    if error is None or seen > 20:
        return False
    if isinstance(error, Shutdown | KeyboardInterrupt):
        return True
    grouped = getattr(error, "exceptions", None) or ()
    return any(_is_a_stop(e, seen + 1) for e in grouped) or _is_a_stop(
        error.__cause__ or error.__context__, seen + 1
    )


if __name__ == "__main__":
    sys.exit(main())
