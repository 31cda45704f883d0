"""Run the load test against the production WSGI server:

    .venv/bin/python -m bench.load.run --users 50 --duration 120

Brings the prepared database (bench/load/prepare.py) to the latest schema,
reopens the escalations an earlier run completed (so every run starts from
the same rows), starts gunicorn exactly as docker-compose.yml's web service
(3 workers, `webapp:create_app()`), runs locust headless with one client per
login for a fixed time, stops both, and prints and writes p50/p95/p99 for the
inbox page, the API list and completion, with requests per second and the
machine: bench/results/<name>.json and <name>.md."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.load.common import (
    DEFAULT_DATABASE,
    MARK,
    USERNAME_PREFIX,
    database_url,
    gunicorn_command,
    machine,
    web_environment,
    write_results,
)
from bench.load.cpu import snapshot, used
from bench.load.report import render, results
from deployments.launcher import LauncherError, Service, ensure_port_free, http_ok, wait_until
from models.db import normalise_url
from models.migrate import upgrade

HERE = Path(__file__).resolve().parent
WEB_START_TIMEOUT = 60.0
SETTLE = 5  # seconds after the last client started before measuring


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    url = normalise_url(database_url(args.database))
    # SIGTERM (a timeout, a closed terminal) unwinds like Ctrl-C, so the servers stop in order.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"Bringing {args.database} to the latest schema (the inbox indexes may be new)")
    upgrade(url)
    reopened = _reset(url) if args.reset else 0
    users = pick_users(url, args.users)
    if len(users) < args.users:
        print(f"Only {len(users)} synthetic logins: run bench/load/prepare.py first.")
        return 2
    database = describe_database(url)
    print(f"{database['rows']:,} human tasks, {database['open']:,} open; {reopened:,} reopened")
    work = Path(tempfile.mkdtemp(prefix="oversight-load-"))
    (work / "users.json").write_text(json.dumps(users))
    web = Service(
        "gunicorn", gunicorn_command(args.port), web_environment(url), work / "gunicorn.log"
    )
    host = f"http://127.0.0.1:{args.port}"
    load_before = os.getloadavg()[0]
    try:
        ensure_port_free(args.port, "gunicorn", "--port")
        web.start()
        wait_until(
            lambda: http_ok(f"{host}/login"),
            timeout=WEB_START_TIMEOUT,
            service=web,
            failure=f"gunicorn did not answer on {host}",
        )
        cpu = _run_locust(args, host, web, url, work)
    except LauncherError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        web.stop()
    measured = results(json.loads((work / "samples.json").read_text()), cpu)
    data = {
        "what": "inbox and completion latency under load (bench/load)",
        "machine": machine(url, load_before),
        "database": database,
        "load": {
            "clients": args.users,
            "spawn_rate": args.spawn_rate,
            "duration_s": args.duration,
            "think_time_s": args.wait,
            "server": " ".join(gunicorn_command(args.port)[2:]),
            "logins": users,
        },
        **measured,
    }
    markdown = render(data)
    print(markdown)
    json_path, md_path = write_results(args.name, data, markdown)
    print(f"Wrote {json_path} and {md_path}; logs in {work}")
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="name on 127.0.0.1, or a URL")
    parser.add_argument("--users", type=int, default=50, help="concurrent clients")
    parser.add_argument("--spawn-rate", type=float, default=10, help="clients started a second")
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--wait", default="0.5,2.0", help="think time between actions, min,max")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--name", default="load", help="results file name in bench/results")
    parser.add_argument(
        "--no-reset", dest="reset", action="store_false", help="keep earlier completions"
    )
    return parser.parse_args(argv)


def _run_locust(args, host: str, web: Service, url: str, work: Path) -> dict | None:
    """Run locust to the end; the server's CPU time over the measured window."""
    env = web_environment("unused")
    env.pop("DATABASE_URL")
    env.update(
        OVERSIGHT_LOAD_USERS=str(work / "users.json"),
        OVERSIGHT_LOAD_SAMPLES=str(work / "samples.json"),
        OVERSIGHT_LOAD_WAIT=args.wait,
        OVERSIGHT_LOAD_SETTLE=str(SETTLE),
    )
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
        "--headless", "--host", host, "--users", str(args.users),
        "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.duration}s",
        "--stop-timeout", "10", "--only-summary", "--csv", str(work / "locust"),
    ]  # fmt: skip
    locust = Service("locust", command, env, work / "locust.log")
    print(f"locust: {args.users} clients for {args.duration} s against {host} (log {work})")
    locust.start()
    started = time.monotonic()
    # The clients' own recording starts once all have signed in and settled.
    warm = args.users / args.spawn_rate + SETTLE + 1
    deadline = started + warm + args.duration + 60
    before = after = None
    try:
        while locust.exited() is None and time.monotonic() < deadline:
            if before is None and time.monotonic() - started >= warm:
                before = snapshot(web.process.pid, locust.process.pid, url)
            elif before is not None:
                # The last one before locust exits ends the window (it cannot be read after).
                after = snapshot(web.process.pid, locust.process.pid, url)
            time.sleep(2)
    finally:
        locust.stop()
    if not (work / "samples.json").exists():
        raise LauncherError(f"locust wrote no samples. Last lines:\n{locust.log_tail()}")
    return used(before, after) if before is not None and after is not None else None


def _reset(url: str) -> int:
    """Reopen the synthetic escalations earlier runs acknowledged."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        reopened = connection.execute(
            text(
                "UPDATE human_task SET status = 'open', completed_at = NULL,"
                " completed_by_id = NULL, closed_reason = NULL"
                " WHERE created_by = :mark AND kind = 'escalation' AND status = 'completed'"
                " AND closed_reason = 'acknowledged'"
            ),
            {"mark": MARK},
        ).rowcount
        # Fresh statistics and visibility map, as after prepare.py.
        connection.execute(text("VACUUM ANALYZE human_task"))
    engine.dispose()
    return reopened


def pick_users(url: str, count: int) -> list[str]:
    """Logins spread over the synthetic councils in turn: one in ten a head of
    service, one in five a practitioner (no escalations: they only read), the
    rest team managers. Heads of service and managers hold the escalations."""
    engine = create_engine(url)
    with engine.connect() as connection:
        names = list(
            connection.scalars(
                text("SELECT username FROM user_account WHERE username LIKE :p ORDER BY username"),
                {"p": f"{USERNAME_PREFIX}__.%"},
            )
        )
    engine.dispose()
    pools: dict[str, dict[str, list[str]]] = {}
    for name in names:
        council, handle = name.split(".", 1)
        kind = "hos" if handle == "hos" else handle[:2]
        pools.setdefault(council, {"hos": [], "tm": [], "sw": []})[kind].append(name)
    wanted = {"hos": count // 10, "sw": count // 5}
    wanted["tm"] = count - wanted["hos"] - wanted["sw"]
    picked: list[str] = []
    for kind, number in wanted.items():
        deepest = max((len(p[kind]) for p in pools.values()), default=0)
        # Round-robin over the councils: the first of each, then the second of each...
        in_turn = [p[kind][r] for r in range(deepest) for p in pools.values() if r < len(p[kind])]
        picked += in_turn[:number]
    return picked


def describe_database(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT count(*), count(*) FILTER (WHERE status IN ('open', 'escalated')),"
                " count(DISTINCT organisation_id), count(DISTINCT assignee_id)"
                " FROM human_task"
            )
        ).one()
        logins = connection.scalar(text("SELECT count(*) FROM user_account"))
    engine.dispose()
    return {
        "rows": row[0],
        "open": row[1],
        "organisations": row[2],
        "assignees": row[3],
        "logins": logins,
    }


if __name__ == "__main__":
    sys.exit(main())
