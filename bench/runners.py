"""Scale out on Prefect: one runner process against two on one database.

    python -m bench.runners [--database-url URL] [--organisations N] [--runners 1,2]
        [--as-of 2026-11-23] [--runner-limit K] [--prefect-on-postgres]
        [--timeout 1800] [--name runners]

Each trial empties the reconcile's derived state, starts Prefect's own server
on a temporary PREFECT_HOME (its SQLite there, or with --prefect-on-postgres a
scratch PostgreSQL database, as docker-compose.yml runs it), the product's
mail catcher (for the escalation mail the runs trigger) and one or two
`python -m deployments.serve` processes (the same deployments, the same
DATABASE_URL), waits until they poll, then times `python -m
flows.every_organisation --as-of D`: one flow run per organisation on the
served one-organisation deployment, its batches as task runs. Afterwards it
asks Prefect's REST API for those flow runs, reads in each runner's console
which runs it ran, fingerprints what the reconcile left (human_task without
ids and clock times, reconcile_wake, reconcile_watermark) and stops every
process it started, on error too.

--organisations N loads the N smallest councils of the national size into
the database (bench/runners_data.py) unless it already holds N organisations;
only a database whose name starts with bench_runners is ever dropped for it.
--runner-limit K starts each runner as `python -m bench.runners_serve K`
(the same deployments served with Prefect's `serve(limit=K)`) instead of the
product's entry point, to show what a limit changes.

Writes bench/results/<name>.json and <name>.md."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench import report, runners_data, runners_prefect
from bench.generate import DEFAULT_AS_OF, DEFAULT_SEED
from bench.runners_report import markdown, summary_line
from deployments.launcher import Service

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_runners"
WORK = report.RESULTS / "work" / "runners"
# Prefect's server's own database with --prefect-on-postgres, dropped after each trial.
PREFECT_DATABASE = "bench_runners_prefect"


class Interrupted(Exception):
    """SIGTERM or SIGHUP arrived: stop what was started, then leave."""


def _interrupt(signum: int, _frame) -> None:
    raise Interrupted(signal.Signals(signum).name)


def every_organisation(stack: runners_prefect.Stack, args) -> dict:
    """Time the product's national entry point against the served deployments,
    noting memory, processes and database connections each second meanwhile."""
    command = [sys.executable, "-m", "flows.every_organisation"]
    command += ["--as-of", args.as_of.isoformat()]
    log = stack.settings.log_dir / "every-organisation.log"
    process = Service("every_organisation", command, stack.env, log)
    connections = runners_data.Connections(args.database_url)
    started = time.perf_counter()
    process.start()
    try:
        deadline = time.monotonic() + args.timeout
        while process.exited() is None and time.monotonic() < deadline:
            runners_prefect.sample_memory(stack)
            connections.sample()
            time.sleep(1)
        code = process.exited()
    finally:
        process.stop()
        peaks = connections.close()
    return {
        **peaks,
        "command": " ".join(command[1:]),
        "returncode": code,
        "timed_out": code is None,
        "wall_seconds": round(time.perf_counter() - started, 2),
        "last_line": process.log_tail(1),
        "log": str(log),
    }


def trial(args, runners: int) -> dict:
    """One trial: fresh derived state, fresh Prefect, `runners` runner processes."""
    runners_data.empty_derived(args.database_url)
    code = code_version()
    log_dir = WORK / args.name / f"{runners}-runner{'s' * (runners > 1)}"
    shutil.rmtree(log_dir, ignore_errors=True)
    home = Path(tempfile.mkdtemp(prefix="bench-runners-prefect-"))
    prefect_db = None
    if args.prefect_on_postgres:
        prefect_db = runners_data.scratch_database(args.database_url, PREFECT_DATABASE)
    stack = runners_prefect.make_stack(
        home, log_dir, args.database_url, runners, args.runner_limit, prefect_db
    )
    print(f"- {runners} runner(s): starting Prefect's server and the runners ...", flush=True)
    load_before = os.getloadavg()[0]
    try:
        started = time.perf_counter()
        runners_prefect.start(stack)
        startup = round(time.perf_counter() - started, 2)
        print(f"  ready in {startup} s; running every organisation ...", flush=True)
        timed = every_organisation(stack, args)
        load_after = os.getloadavg()[0]
        record = runners_prefect.collect(stack)
    finally:
        killed = runners_prefect.stop(stack)
        shutil.rmtree(home, ignore_errors=True)
        if prefect_db:
            runners_data.scratch_database(args.database_url, PREFECT_DATABASE, drop=True)
    fingerprint = runners_data.fingerprint(args.database_url)
    result = {
        "runners": runners,
        "code": code,
        "code_after": code_version(),
        "runner_entry": stack.runners[0].command[1:],
        "startup_seconds": startup,
        **timed,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(load_after, 2),
        **record,
        "processes_killed_after_stop": killed,
        "fingerprint": fingerprint,
        "logs": str(log_dir),
    }
    print("  " + summary_line(result), flush=True)
    return result


def code_version() -> str:
    """The commit, and a digest of uncommitted changes to tracked files: other
    work changes the tree meanwhile, and trials compare only on the same code."""
    commit = report._git("rev-parse", "--short", "HEAD")
    diff = report._git("diff", "HEAD")
    return f"{commit}+{hashlib.sha1(diff.encode()).hexdigest()[:8]}" if diff else commit


def compare(trials: list[dict]) -> dict:
    """Whether every trial left the same tables as the first."""
    first = trials[0]["fingerprint"] if trials else None
    return {
        "reference": f"{trials[0]['runners']} runner(s)" if trials else None,
        "equal": {
            f"{t['runners']} runner(s)": t["fingerprint"]["sha256"] == first["sha256"]
            for t in trials
        },
        "tables_equal": {
            f"{t['runners']} runner(s)": {
                name: t["fingerprint"]["tables"][name]["sha256"] == table["sha256"]
                for name, table in first["tables"].items()
            }
            for t in trials
        },
    }


def machine(url: str) -> dict:
    info = report.machine(url)
    info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    info["uname_m"] = os.uname().machine
    info["time"] = datetime.now(UTC).isoformat(timespec="seconds")
    return info


def run(args) -> dict:
    dataset = {}
    if args.organisations:
        print(f"Dataset: the {args.organisations} smallest national councils ...", flush=True)
        dataset = runners_data.ensure_dataset(
            args.database_url, args.organisations, args.seed, args.as_of
        )
    dataset.update(runners_data.dataset_summary(args.database_url, args.as_of))
    print(f"Database {args.database_url}: {dataset}", flush=True)
    trials = [trial(args, n) for n in args.runners]
    results = {
        "benchmark": "runners",
        "database_url": args.database_url,
        "as_of": args.as_of.isoformat(),
        "runner_limit": args.runner_limit,
        "prefect_database": "PostgreSQL" if args.prefect_on_postgres else "SQLite",
        "dataset": dataset,
        "trials": trials,
        "same_tables": compare(trials),
        "machine": machine(args.database_url),
    }
    runners_data.empty_derived(args.database_url)
    return results


def write(results: dict, name: str) -> tuple[Path, Path]:
    report.RESULTS.mkdir(parents=True, exist_ok=True)
    path = report.RESULTS / f"{name}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    md = report.RESULTS / f"{name}.md"
    md.write_text(markdown(results), encoding="utf-8")
    return path, md


def _arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.runners", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--organisations", type=int, help="load the N smallest councils")
    parser.add_argument("--runners", default="1,2", help="trials, e.g. 1,2 (default)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--runner-limit", type=int, help="serve(limit=K) in each runner")
    parser.add_argument(
        "--prefect-on-postgres",
        action="store_true",
        help=f"Prefect's server on a scratch PostgreSQL database ({PREFECT_DATABASE}), "
        "as docker-compose.yml runs it, instead of its SQLite",
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="per trial, seconds")
    parser.add_argument("--name", default="runners", help="bench/results/<name>.json and .md")
    args = parser.parse_args(argv)
    args.runners = [int(n) for n in args.runners.split(",")]
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    try:
        results = run(args)
    except (Interrupted, KeyboardInterrupt) as stopped:
        print(f"bench.runners: stopped ({stopped}); every process it started is stopped")
        return 130
    path, md = write(results, args.name)
    print()
    print(md.read_text(encoding="utf-8"))
    print(f"Written: {path}, {md}")
    failed = [t for t in results["trials"] if t["returncode"] != 0]
    return 1 if failed or not all(results["same_tables"]["equal"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
