"""Does a run's cost grow with the years of history? The same council, the same
seed and day, generated with different lengths of history behind it, each into
its own database; for each, the first reconcile of every lifecycle and the
command-line engine over its facts file, each in a fresh process:

    python -m bench.history [--size council] [--years 1,3,6] [--as-of 2026-11-23]

The frontier engine reads, per unit, only what decides what is owed now, so
the first run should cost about the same whatever the history; the command
line reads the whole facts file, so its parsing grows with the file while its
engine should not. Writes bench/results/history.json and history.md; only
databases named bench_history_* are ever dropped for it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from bench import database, probe, report
from bench.generate import DEFAULT_AS_OF, DEFAULT_SEED
from bench.probe import ROOT

PY = sys.executable
GROWING = ("supervision_session", "session_signature", "case_supervision", "case_allocation")


def _url(size: str, years: int) -> str:
    return database.default_url(size).rsplit("/", 1)[0] + f"/bench_history_{size}_{years}y"


def measure_years(size: str, years: int, seed: int, as_of: date, timeout: float) -> dict:
    """Generate the size with `years` of history, then time its first run and its CLI."""
    url, work = _url(size, years), report.RESULTS / "work" / "history" / f"{size}-{years}y"
    logs, facts = work / "logs", work / "facts.json"
    print(f"- {size}, {years} years of history: generating ...", flush=True)
    command = [PY, "-m", "bench.generate", "--size", size, "--database-url", url]
    command += ["--seed", str(seed), "--as-of", as_of.isoformat(), "--replace", "--json"]
    command += ["--history-years", str(years), "--facts-out", str(facts)]
    generated = probe.run(
        "generate",
        command,
        url="",
        log_dir=logs,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=timeout,
    )
    rows = generated.result.get("rows", {})
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    first = probe.run(
        "first run",
        [PY, "-m", "bench.steps", "--as-of", as_of.isoformat()],
        url=url,
        log_dir=logs,
        env=env,
        timeout=timeout,
    )
    profile = generated.result.get("facts", {}).get("profile", "lancashire")
    cli = probe.run(
        "command-line engine",
        f"{ROOT / '.venv/bin/oversight'} obligations --profile {profile} --facts {facts} "
        f"--as-of {as_of.isoformat()} > /dev/null",
        url="",
        log_dir=logs,
        timeout=timeout,
    )
    found = {
        "years": years,
        "rows": sum(rows.values()),
        "growing_rows": {table: rows.get(table, 0) for table in GROWING},
        "facts_bytes": generated.result.get("facts", {}).get("bytes"),
        "first_run": _figures(first, first.result.get("work_seconds")),
        "first_run_result": first.result,
        "cli": _figures(cli, cli.wall_seconds),
    }
    print(
        f"  {found['rows']:,} rows; first run {found['first_run']['seconds']} s, "
        f"{found['first_run']['peak_mib']:,.0f} MiB; command line {found['cli']['seconds']} s, "
        f"{found['cli']['peak_mib']:,.0f} MiB",
        flush=True,
    )
    return found


def _figures(measured: probe.Measured, seconds) -> dict:
    if measured.returncode != 0:
        raise SystemExit(f"bench.history: {measured.name} failed, see {measured.log}")
    return {
        "seconds": seconds,
        "peak_mib": measured.peak_rss_mib,
        "rows_read": measured.rows_read,
        "rows_written": measured.rows_written,
        "load_average": measured.load_average,
    }


def write(results: dict) -> tuple[Path, Path]:
    path = report.RESULTS / "history.json"
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    md = report.RESULTS / "history.md"
    lines = [
        "# Cost against the years of history",
        "",
        f"The {results['size']} size, seed {results['seed']}, as of {results['as_of']}, "
        "generated with each length of history into its own PostgreSQL database "
        "(`python -m bench.history`).",
        "",
        f"Machine: {report.machine_line(results['machine'])}.",
        "",
        "| years of history | rows | sessions | case supervisions | first run of every "
        "lifecycle (s) | its peak memory (MiB) | rows it read | command-line engine (s) "
        "| its peak memory (MiB) | load average |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for found in results["trials"]:
        first, cli, grown = found["first_run"], found["cli"], found["growing_rows"]
        lines.append(
            f"| {found['years']} | {found['rows']:,} | {grown['supervision_session']:,} | "
            f"{grown['case_supervision']:,} | {first['seconds']:.2f} | {first['peak_mib']:,.0f} | "
            f"{first['rows_read'] or 0:,} | {cli['seconds']:.2f} | {cli['peak_mib']:,.0f} | "
            f"{first['load_average']} |"
        )
    md.write_text("\n".join([*lines, "", *_by_kind(results["trials"])]) + "\n", encoding="utf-8")
    return path, md


def _by_kind(trials: list[dict]) -> list[str]:
    """The first run's batches by kind of unit: how many units, and the time a unit."""
    kinds = sorted({k for t in trials for k in t["first_run_result"].get("units_by_kind", {})})
    if not kinds:
        return []
    lines = [
        "The first run by kind of unit (units; milliseconds a unit, its batches' time"
        " over its units):",
        "",
        "| years of history | " + " | ".join(f"{k} units | ms a {k} unit" for k in kinds) + " |",
        "|---:|" + "---:|---:|" * len(kinds),
    ]
    for found in trials:
        result = found["first_run_result"]
        cells = []
        for kind in kinds:
            units = result.get("units_by_kind", {}).get(kind, 0)
            seconds = result.get("seconds_by_kind", {}).get(kind, 0)
            cells += [f"{units:,}", f"{1000 * seconds / units:.3f}" if units else "-"]
        lines.append(f"| {found['years']} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__)
    parser.add_argument("--size", default="council", choices=("demo", "council"))
    parser.add_argument("--years", default="1,3,6", help="comma-separated (default 1,3,6)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    parser.add_argument("--timeout", type=float, default=1800, help="per step, seconds")
    args = parser.parse_args(argv)
    try:
        years = sorted({int(y) for y in args.years.split(",")})
    except ValueError:
        parser.error(f"--years must be whole numbers separated by commas, not {args.years!r}")
    if not years or years[0] < 1:
        parser.error("--years must each be 1 or more")
    probe.compile_packages()
    trials = [measure_years(args.size, y, args.seed, args.as_of, args.timeout) for y in years]
    results = {
        "size": args.size,
        "seed": args.seed,
        "as_of": args.as_of.isoformat(),
        "machine": report.machine(_url(args.size, years[0])),
        "trials": trials,
    }
    path, md = write(results)
    print()
    print(md.read_text(encoding="utf-8"))
    print(f"Written: {path}, {md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
