"""Measure one size end to end and write the results:

    python -m bench.measure --size demo|council|national [--reuse] [--database-url URL]

Generates and loads the dataset (or, with --reuse, measures the database as
it is), then runs each measurement in a fresh process, so each has its own
peak memory: the command-line engine on one council's facts file; the SQL
lower bound; the core lifecycles' first reconcile (compared with it); the
full reconcile's first run, a nothing-changed rerun (touched only) and every
unit again; a day's changes, and the next day's touched run; the Prefect
entry point when it exists, and any --command; and the naive pattern (one
Prefect task run per subject, on a sample, extrapolated). Results go to
bench/results/<size>.json and a section of bench/results/README.md."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench import database, goals, probe, report
from bench.describe import describe
from bench.generate import DEFAULT_AS_OF, DEFAULT_SEED
from bench.lower_bound import CORE_LIFECYCLES
from bench.probe import ROOT
from bench.tables import DERIVED
from bench.target import prefect_command
from models.db import normalise_url
from models.migrate import upgrade

PY = sys.executable


def reset_derived(url: str) -> None:
    """Empty what the reconcile derives, so the next run is a first run."""
    connection = database.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(DERIVED)} RESTART IDENTITY CASCADE")
        connection.commit()
    finally:
        connection.close()


class Harness:
    def __init__(self, args):
        self.args = args
        self.url = args.database_url or database.default_url(args.size)
        self.work = report.RESULTS / "work" / args.size
        self.env = {**os.environ, "DATABASE_URL": self.url, "PYTHONPATH": str(ROOT)}
        self.measurements: list[dict] = []
        self.earlier: list[dict] = []  # a --reuse run's figures from the run before
        self.notes: list[str] = []
        self.steps = set(args.only.split(",")) if args.only else set(STEPS)
        unknown = self.steps - set(STEPS)
        if unknown:
            raise SystemExit(f"bench.measure: --only: unknown {sorted(unknown)}; known: {STEPS}")

    def wanted(self, step: str) -> bool:
        return step in self.steps

    def measure(self, name, command, *, url=True, figure=None, env=None) -> dict:
        print(f"- {name} ...", flush=True)
        measured = probe.run(
            name,
            command,
            url=self.url if url else "",
            log_dir=self.work / "logs",
            env=env or self.env,
            timeout=self.args.timeout,
        ).as_dict()
        measured["seconds"] = figure(measured) if figure else measured["wall_seconds"]
        self.measurements.append(measured)
        status = f" (exit {measured['returncode']}, see {measured['log']})" * bool(
            measured["returncode"]
        )
        print(
            f"  {measured['seconds'] or 0:,.3f} s, peak {measured['peak_rss_mib']:,.0f} MiB, "
            f"read {measured['rows_read'] or 0:,}, wrote {measured['rows_written'] or 0:,}{status}",
            flush=True,
        )
        return measured

    def reconcile(self, name, as_of: date, *extra: str) -> dict:
        command = [PY, "-m", "bench.steps", "--as-of", as_of.isoformat(), *extra]
        return self.measure(name, command, figure=lambda m: m["result"].get("work_seconds"))


def _dataset(h: Harness, facts: Path) -> dict:
    args = h.args
    command = [PY, "-m", "bench.generate", "--size", args.size, "--database-url", h.url]
    command += ["--seed", str(args.seed), "--as-of", args.as_of.isoformat()]
    command += ["--facts-out", str(facts), "--json"]
    if args.reuse:
        upgrade(normalise_url(h.url))  # the lead's newest migrations, if any
        exported = probe.run("facts", [*command, "--reuse"], url="", log_dir=h.work / "logs")
        return {**_loaded_before(h), **exported.result}
    measured = h.measure(goals.LOAD, [*command, "--replace"], url=False)
    return measured["result"]


def _loaded_before(h: Harness) -> dict:
    """Measuring a database loaded earlier: keep the load's figures from the
    results of the run that loaded it (same seed and date), and the shape and
    row counts as they are now (a day's changes adds rows)."""
    previous = report.RESULTS / f"{h.args.size}.json"
    dataset: dict = {}
    if previous.exists():
        earlier = json.loads(previous.read_text(encoding="utf-8"))
        if (earlier["seed"], earlier["as_of"]) == (h.args.seed, h.args.as_of.isoformat()):
            dataset = dict(earlier.get("dataset", {}))
            when = earlier["machine"]["date"]
            h.earlier = [{"measured_on": when, **m} for m in earlier["measurements"]]
    dataset["rows"] = database.table_counts(h.url)
    dataset["shape"] = describe(h.url, h.args.as_of)
    return dataset


STEPS = (
    "cli",
    "lower-bound",
    "core",
    "first",
    "prefect-first",
    "nothing-changed",
    "every-unit",
    "day",
    "next-day",
    "commands",
    "naive",
)


def _core_and_lower_bound(h: Harness, as_of: date) -> None:
    if h.wanted("lower-bound"):
        command = [PY, "-m", "bench.lower_bound", "--database-url", h.url]
        h.measure(
            goals.LOWER_BOUND,
            [*command, "--as-of", str(as_of), "--json"],
            figure=lambda m: m["result"].get("seconds"),
        )
    if h.wanted("core"):
        reset_derived(h.url)
        h.reconcile(goals.CORE_FIRST_RUN, as_of, "--lifecycles", ",".join(CORE_LIFECYCLES))


def _reconciles(h: Harness, as_of: date, next_day: date) -> None:
    if h.wanted("first"):
        reset_derived(h.url)  # a first run starts with no human tasks and no reconcile state
        h.reconcile(goals.FIRST_RUN, as_of)
    if h.wanted("prefect-first"):
        # The same first run as the product runs it: every organisation a flow
        # run, its batches task runs, OVERSIGHT_BATCH_WORKERS at once; the
        # process wall, Prefect's start-up included. It leaves the same tables.
        reset_derived(h.url)
        h.measure(
            goals.PREFECT_FIRST_RUN,
            prefect_command(as_of, touched_only=False),
            figure=lambda m: m["result"].get("flow_run_seconds") or m["wall_seconds"],
            env=_prefect_env(h),
        )
    if h.wanted("nothing-changed"):
        h.reconcile(goals.NOTHING_CHANGED, as_of, "--touched-only")
    if h.wanted("every-unit"):
        h.reconcile(goals.EVERY_UNIT, as_of)
    if h.wanted("day"):
        h.measure(
            goals.DAY,
            [PY, "-m", "bench.day_of_changes", "--database-url", h.url, "--day", str(next_day)],
            figure=lambda m: m["result"].get("work_seconds"),
        )
    if h.wanted("next-day"):
        h.reconcile(goals.NEXT_DAY, next_day, "--touched-only")


def run(h: Harness) -> dict:
    args, as_of = h.args, h.args.as_of
    next_day = as_of + timedelta(days=1)
    facts = h.work / "facts.json"
    dataset = _dataset(h, facts)
    profile = dataset.get("facts", {}).get("profile", "lancashire")
    if h.wanted("cli"):
        h.measure(
            goals.CLI,
            f"{ROOT / '.venv/bin/oversight'} obligations --profile {profile} --facts {facts} "
            f"--as-of {as_of.isoformat()} > /dev/null",
        )
    _core_and_lower_bound(h, as_of)
    _reconciles(h, as_of, next_day)
    if h.wanted("commands"):
        _optional_commands(h, next_day)
    if h.wanted("naive"):
        _naive(h, next_day)
    measurements = _with_earlier(h) if args.reuse else h.measurements
    return {
        "size": args.size,
        "seed": args.seed,
        "as_of": as_of.isoformat(),
        "machine": report.machine(h.url),
        "dataset": dataset,
        "measurements": measurements,
        "ratios": _ratios({m["name"]: m for m in measurements}),
        "notes": h.notes,
    }


def _with_earlier(h: Harness) -> list[dict]:
    """A --reuse run that measured only some figures keeps the others from the
    run before (same seed and date), each with the date it was measured."""
    today = report.machine(h.url)["date"]
    fresh = {m["name"]: {**m, "measured_on": today} for m in h.measurements}
    earlier = {m["name"]: m for m in h.earlier if m["name"] not in fresh}
    merged = {**earlier, **fresh}
    rank = {name: i for i, name in enumerate(goals.ORDER)}
    return sorted(merged.values(), key=lambda m: rank.get(m["name"], len(rank)))


def _optional_commands(h: Harness, next_day: date) -> None:
    prefect = prefect_command(next_day, touched_only=True)
    if prefect is None:
        h.notes.append("The Prefect entry (bench/target.py PREFECT_ENTRIES) does not exist yet.")
    else:
        h.measure(goals.PREFECT_ENTRY, prefect, env=_prefect_env(h))
    for spec in h.args.command:
        name, _, shell = spec.partition("=")
        h.measure(
            name,
            shell.format(python=PY, as_of=h.args.as_of, next_day=next_day, database_url=h.url),
        )


def _prefect_env(h: Harness) -> dict:
    """Prefect's own ephemeral server in a fresh home: never a developer's
    server or another process's (no PREFECT_API_URL)."""
    env = {k: v for k, v in h.env.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = tempfile.mkdtemp(prefix="bench-prefect-")
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "180"
    return env


def _naive(h: Harness, day: date) -> dict:
    env = _prefect_env(h)
    command = [PY, "-m", "bench.naive", "--as-of", str(day)]
    command += ["--sample", str(h.args.naive_sample), "--budget", str(h.args.naive_budget)]
    return h.measure(
        goals.NAIVE,
        command,
        figure=lambda m: m["result"].get("extrapolated_seconds"),
        env=env,
    )


def _ratios(by_name: dict[str, dict]) -> dict:
    out = {}
    lower, core = by_name.get(goals.LOWER_BOUND, {}), by_name.get(goals.CORE_FIRST_RUN, {})
    if lower.get("seconds") and core.get("seconds"):
        due, created = lower["result"].get("in_inbox", 0), core["result"].get("created", 0)
        escalated = core["result"].get("escalated", 0)
        out[goals.LOWER_BOUND_RATIO] = {
            "value": round(core["seconds"] / lower["seconds"], 2),
            "detail": f"{core['seconds']:.2f} s against {lower['seconds']:.3f} s; the SQL's due "
            f"set in the inbox window: {due:,}; the reconcile created {created:,} human tasks "
            f"and escalated {escalated:,}",
        }
    naive, everything = by_name.get(goals.NAIVE, {}), by_name.get(goals.EVERY_UNIT, {})
    if naive.get("seconds") and everything.get("seconds"):
        n = naive["result"].get("subjects_run", 0)
        total = naive["result"].get("subjects_total", 0)
        out[goals.NAIVE_RATIO] = {
            "value": round(naive["seconds"] / everything["seconds"], 1),
            "detail": f"{naive['seconds']:,.0f} s extrapolated from {n} of {total:,} subjects, "
            f"against {everything['seconds']:.2f} s for every unit batched",
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.measure", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--size", choices=("demo", "council", "national"), required=True)
    parser.add_argument("--database-url", help="default: PostgreSQL bench_<size> on 127.0.0.1")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    parser.add_argument("--reuse", action="store_true", help="measure the loaded database as is")
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--naive-budget", type=float, default=300, help="seconds, at most")
    parser.add_argument(
        "--only", help=f"comma-separated measurements to run (default all): {','.join(STEPS)}"
    )
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="per measurement, seconds")
    parser.add_argument(
        "--command",
        action="append",
        default=[],
        metavar="NAME=SHELL",
        help="also time this shell command ({python}, {as_of}, {next_day}, {database_url})",
    )
    args = parser.parse_args(argv)
    harness = Harness(args)
    probe.compile_packages()
    results = run(harness)
    path, section = report.write(results)
    print()
    print(section)
    print(f"Results: {path} and {path.parent / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
