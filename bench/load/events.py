"""Event latency: from a sign-off in the web app to the next person's inbox,
and to the subject's Prefect flow run finishing.

    .venv/bin/python -m bench.load.events --samples 20

Starts Prefect's server on its own SQLite under a temporary PREFECT_HOME and
serves the deployments (deployments/launcher.py's pieces, as `make run` does),
starts gunicorn as docker-compose.yml does, adds new starters to the demo
council, then for each: the team manager signs the first agreement through
the web app (HTTP, signed in), the measurement polls the new starter's inbox
(the JSON API) until the countersignature task is there, delivers the outbox
to Prefect, and polls Prefect's API until the agreement deployment's run for
that relationship is Completed. Prints p50/p95/max and writes
bench/results/events.json and .md.

--drainer inline (the default) calls the outbox drainer's own function right
after each sign-off instead of waiting up to a minute for its schedule; the
drainer's delay is reported on its own either way. The mail, digest, weekly
catch-up, retention and sampling deployments are paused: on this database
their scheduled runs would compose mail for every synthetic escalation and
load the two cores the measurement shares."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from bench.load.common import DEFAULT_DATABASE, database_url, gunicorn_command, web_environment
from deployments.launcher import (
    PREFECT_START_TIMEOUT,
    LauncherError,
    Service,
    Settings,
    child_environment,
    deployment_registered,
    ensure_port_free,
    http_ok,
    prefect_server_command,
    serve_command,
    wait_until,
)
from models.db import normalise_url

QUIET = (
    "digest-daily",
    "escalation-mail",
    "every-lifecycle-weekly",
    "retention-nightly",
    "sampling-quarterly",
)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    url = args.url = normalise_url(database_url(args.database))
    # SIGTERM (a timeout, a closed terminal) unwinds like Ctrl-C, so the servers stop in order.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    home = Path(tempfile.mkdtemp(prefix="oversight-events-"))
    settings = Settings(
        web_port=args.web_port,
        prefect_port=args.prefect_port,
        prefect_home=home / "prefect",
        log_dir=home / "logs",
    )
    settings.prefect_home.mkdir(parents=True)
    env = child_environment(settings, web_environment(url))
    # This process delivers the outbox with Prefect's client, so it needs the same
    # settings before Prefect is first imported (tasks.outbox, deployments.serve).
    os.environ.update(env)
    ensure_port_free(settings.prefect_port, "Prefect's server", "--prefect-port")
    ensure_port_free(settings.web_port, "the web app", "--web-port")

    from bench.load.measure_events import measure, prepare_database, report

    today = datetime.now(ZoneInfo("Europe/London")).date()
    starters, weeks = prepare_database(url, args.samples, today)
    services = _services(settings, env)
    try:
        _start(services, settings)
        samples = measure(args, settings, url, starters, weeks, paused=QUIET)
    except (LauncherError, RuntimeError, httpx.HTTPError) as error:
        print(f"Stopped: {type(error).__name__}: {error}", file=sys.stderr)
        print(f"Logs: {settings.log_dir}", file=sys.stderr)
        return 1
    finally:
        for service in reversed(services):
            service.stop()
    report(args, url, env, samples, paused=QUIET)
    if args.keep:
        print(f"Kept Prefect's files and the logs in {home}")
    else:
        shutil.rmtree(home, ignore_errors=True)
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="name on 127.0.0.1, or a URL")
    parser.add_argument("--samples", type=int, default=20, help="sign-offs to measure")
    parser.add_argument("--drainer", choices=("inline", "schedule"), default="inline")
    parser.add_argument("--web-port", type=int, default=8100)
    parser.add_argument("--prefect-port", type=int, default=4300)
    parser.add_argument("--poll", type=float, default=0.01, help="seconds between inbox polls")
    parser.add_argument("--timeout", type=float, default=180, help="seconds per sign-off")
    parser.add_argument("--name", default="events", help="results file name in bench/results")
    parser.add_argument("--keep", action="store_true", help="keep Prefect's files and logs")
    return parser.parse_args(argv)


def _services(settings: Settings, env: dict[str, str]) -> list[Service]:
    logs = settings.log_dir
    return [
        Service("Prefect server", prefect_server_command(settings), env, logs / "prefect.log"),
        Service("Lifecycle deployments", serve_command(), env, logs / "deployments.log"),
        Service("gunicorn", gunicorn_command(settings.web_port), env, logs / "web.log"),
    ]


def _start(services: list[Service], settings: Settings) -> None:
    server, deployments, web = services
    print(f"Starting Prefect's server on {settings.prefect_ui_url} ({settings.prefect_home})")
    server.start()
    wait_until(
        lambda: http_ok(f"{settings.prefect_api_url}/health"),
        timeout=PREFECT_START_TIMEOUT,
        service=server,
        failure="Prefect's server did not answer",
    )
    from deployments.serve import DEPLOYMENTS

    print(f"Serving {len(DEPLOYMENTS)} deployments (python -m deployments.serve)")
    deployments.start()
    last = DEPLOYMENTS[-1].full_name
    wait_until(
        lambda: deployment_registered(settings, last),
        timeout=PREFECT_START_TIMEOUT,
        service=deployments,
        failure=f"The deployment {last!r} was not registered",
    )
    print(f"Starting gunicorn on {settings.web_url}")
    web.start()
    wait_until(
        lambda: http_ok(f"{settings.web_url}/login"),
        timeout=60,
        service=web,
        failure="gunicorn did not answer",
    )


if __name__ == "__main__":
    sys.exit(main())
