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
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

# Only the standard library at import time: Prefect reads its settings from the
# environment when first imported, so it is imported after main() sets them.

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PREFECT_START_TIMEOUT = 90.0  # a first start migrates Prefect's own database
WEB_START_TIMEOUT = 30.0
FIRST_RUN_TIMEOUT = 120.0
STOP_TIMEOUT = 15.0


class LauncherError(RuntimeError):
    """Startup cannot go on; the message says why and what to do."""


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


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False


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


def ensure_port_free(port: int, what: str, variable: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise LauncherError(
                f"Port {port} on {HOST} is already in use ({error.strerror}), so {what} "
                f"cannot start. Stop whatever is using it (another launcher?) or choose "
                f"another port: {variable}=<port>."
            ) from None


def redacted(url: str) -> str:
    """A database URL fit to print: any password replaced."""
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return url


class Service:
    """A child process in its own process group, logging to a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path: Path):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Own process group: a terminal's Ctrl-C reaches only the launcher, which
            # then stops each service in order, including any processes it spawned.
            start_new_session=True,
            # If the launcher itself is killed outright, its services go with it.
            preexec_fn=_die_with_parent,
        )

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        if self.process is not None and self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(5)
        if self.process is not None:
            # Anything the service itself spawned (Prefect's server runs workers) goes too.
            self._signal_group(signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _signal_group(self, signum: int) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


def wait_until(
    ready: Callable[[], bool],
    *,
    timeout: float,
    service: Service,
    failure: str,
    interval: float = 0.5,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if service.exited() is not None:
            raise LauncherError(
                f"{service.name} stopped during startup (exit code {service.exited()}). "
                f"Last lines of {service.log_path}:\n{service.log_tail()}"
            )
        time.sleep(interval)
    raise LauncherError(
        f"{failure} after {timeout:.0f} s. Last lines of {service.log_path}:\n{service.log_tail()}"
    )


def http_ok(url: str, *, method: str = "GET", body: dict | None = None) -> bool:
    """True when the URL answers (any status below 500)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (urllib.error.URLError, OSError):
        return False


def deployment_registered(settings: Settings, full_name: str) -> bool:
    flow_name, deployment_name = full_name.split("/", 1)
    quoted = "/".join(urllib.parse.quote(part, safe="") for part in (flow_name, deployment_name))
    url = f"{settings.prefect_api_url}/deployments/name/{quoted}"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
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

    from models.db import database_url
    from models.demo import load_demo
    from models.migrate import upgrade

    ensure_port_free(settings.prefect_port, "Prefect's server", "OVERSIGHT_PREFECT_PORT")
    ensure_port_free(settings.web_port, "the web app", "OVERSIGHT_WEB_PORT")

    say(f"Bringing the database to the latest schema: {redacted(database_url())}")
    upgrade()
    say(f"Loading the demo organisation (as of {as_of.isoformat()})")
    demo = load_demo(today=as_of)

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
    server, deployments, web = services
    mail = f"{settings.smtp_host}:{settings.smtp_port}"
    if settings.catches_mail and not port_in_use(settings.smtp_port):
        catcher = Service("Mail catcher", mail_catcher_command(settings), env,
                          settings.log_dir / "mail.log")  # fmt: skip
        services.insert(0, catcher)
        mail = f"caught on {mail}, printed to {catcher.log_path}"
    elif settings.catches_mail:
        mail = f"{mail} (something is already listening there; mail goes to it)"
    try:
        if services[0] is not server:
            say(f"Starting a mail catcher on {HOST}:{settings.smtp_port}")
            services[0].start()
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
        first_run = run_first_flow(EVERY_LIFECYCLE_WEEKLY.full_name, as_of)

        print(banner(settings, list(demo.logins), first_run, mail), flush=True)
        supervise(services)
    finally:
        # A second Ctrl-C must not cut the clean stop short.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        for service in reversed(services):
            if service.process is not None:
                say(f"Stopping {service.name}")
                service.stop()


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


def _die_with_parent() -> None:
    """Linux: ask the kernel to SIGTERM this child when the launcher dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
