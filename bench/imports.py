"""How long a council's files take to import through the command a council
runs (`oversight import ...`), into a fresh PostgreSQL database: 2,000 staff,
their supervision relationships and 25,000 open cases (bench/imports_files.py),
then the same three files again (nothing changes). It measures and prints;
it asserts nothing.

For each file, two phases of the one process, told apart by the command's
own progress line when a large file's rows have committed ("rows applied;
reconciling ..."):
- validate and apply: from the process's start (interpreter and imports
  included) to that line: the file read and checked, the rows written, the
  audit trail, the commit;
- reconcile: from that line to the process's exit: the engine's batches
  putting the new obligations in the inboxes (models/engine, run after the
  commit by models/actions/admin_imports.py).
Peak memory is the process's resident high-water mark (VmHWM) in each phase:
read at the line, then reset (/proc/PID/clear_refs) and read again until
the process ends. A small file reconciles inside its transaction: its
whole time is the first phase. The load average is printed beside each run.

    .venv/bin/python -m bench.imports [--keep] [--staff 2000 --cases 25000]
        [--database-url postgresql://postgres@127.0.0.1:5432/ov_imp_bench]
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import psycopg2
from psycopg2 import sql
from sqlalchemy import create_engine, make_url
from sqlalchemy.orm import Session

from bench import database, report
from bench.imports_files import CASE_MAPPING, LATER, write_council
from models.db import normalise_url
from models.tables.org import Organisation

OVERSIGHT = Path(sys.executable).with_name("oversight")
PHASE_LINE = "rows applied; reconciling"
SLUG = "bench-imports"
POLL_SECONDS = 0.02


@dataclass
class Run:
    label: str
    rows: int
    apply_seconds: float
    apply_peak_mib: float
    reconcile_seconds: float | None  # None: reconciled inside the import's transaction
    reconcile_peak_mib: float | None
    exit_status: int
    load_before: float
    load_after: float
    summary: str


def _status(pid: int, field: str) -> int | None:
    """A /proc/PID/status figure in KiB (None once the process has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _reset_peak(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class _Watch:
    """The child's phases: when the phase line came, and each phase's peak RSS."""

    def __init__(self, pid: int, started: float) -> None:
        self.pid, self.started = pid, started
        self.phase_at: float | None = None
        self.peaks = [0, 0]  # KiB: validate and apply, reconcile
        self.reset = False

    def sample(self) -> None:
        phase = 0 if self.phase_at is None else 1
        for field in ("VmHWM", "VmRSS") if (phase == 0 or self.reset) else ("VmRSS",):
            kib = _status(self.pid, field)
            if kib is not None:
                self.peaks[phase] = max(self.peaks[phase], kib)

    def line(self, text: str) -> None:
        if self.phase_at is None and PHASE_LINE in text:
            self.sample()  # the first phase's high-water mark, before it is reset
            self.phase_at = time.perf_counter()
            self.reset = _reset_peak(self.pid)


def run_command(label: str, argv: list[str], env: dict[str, str]) -> Run:
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watch = _Watch(child.pid, started)
    out, err = _follow(child, watch)
    ended = time.perf_counter()
    summary = next((line for line in out.splitlines() if " rows): " in line), out.strip()[:300])
    rows = int(summary.split(" rows): ")[0].rsplit("(", 1)[1]) if " rows): " in summary else 0
    if child.returncode != 0:
        print(err[-2000:], file=sys.stderr)
    mib = [round(k / 1024, 1) for k in watch.peaks]
    phase_at = watch.phase_at
    return Run(
        label,
        rows,
        round((phase_at or ended) - started, 2),
        mib[0],
        None if phase_at is None else round(ended - phase_at, 2),
        None if phase_at is None else mib[1],
        child.returncode,
        round(load_before, 2),
        round(os.getloadavg()[0], 2),
        summary,
    )


def _follow(child: subprocess.Popen, watch: _Watch) -> tuple[str, str]:
    """Read the child's output as it comes, sampling its memory between reads."""
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}
    pending = b""
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ, "out")
    selector.register(child.stderr, selectors.EVENT_READ, "err")
    open_streams = 2
    while open_streams:
        for key, _ in selector.select(timeout=POLL_SECONDS):
            data = os.read(key.fileobj.fileno(), 65536)
            if not data:
                selector.unregister(key.fileobj)
                open_streams -= 1
                continue
            chunks[key.data].append(data)
            if key.data == "err":
                pending += data
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    watch.line(line.decode(errors="replace"))
        watch.sample()
    child.wait()
    return (b"".join(chunks["out"]).decode(), b"".join(chunks["err"]).decode())


def fresh_database(url: str, profile: str) -> None:
    database.prepare(url, replace=True)
    engine = create_engine(normalise_url(url))
    with Session(engine) as session, session.begin():
        session.add(Organisation(name="Bench Imports Council", slug=SLUG, profile=profile))
    engine.dispose()


def drop_database(url: str) -> None:
    admin = psycopg2.connect(database.libpq_dsn(url, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        name = make_url(url).database
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    admin.close()


def _imports(files, as_of: date) -> list[tuple[str, list[str]]]:
    """The files in the order a council loads them, each again (nothing
    changes), then the caseload report a fortnight later."""
    first = [
        ("staff", files.staff, None),
        ("relationships", files.relationships, None),
        ("cases", files.cases, CASE_MAPPING),
    ]
    runs = [(kind, path, mapping, as_of, kind) for kind, path, mapping in first]
    runs += [(kind, path, mapping, as_of, f"{kind} again") for kind, path, mapping in first]
    runs.append(("cases", files.cases_later, CASE_MAPPING, as_of + LATER, "cases a fortnight on"))
    return [
        (
            label,
            ["import", kind, "--file", str(path), "--organisation", SLUG, "--as-of", str(day)]
            + (["--mapping", mapping] if mapping else []),
        )
        for kind, path, mapping, day, label in runs
    ]


def _print(run: Run) -> None:
    reconcile = (
        "in the import's transaction"
        if run.reconcile_seconds is None
        else f"{run.reconcile_seconds:7.2f} s {run.reconcile_peak_mib:6.0f} MiB"
    )
    print(
        f"{run.label:<22} {run.rows:>6} rows  validate+apply {run.apply_seconds:7.2f} s "
        f"{run.apply_peak_mib:6.0f} MiB  reconcile {reconcile}  "
        f"load {run.load_before:.2f}->{run.load_after:.2f}  exit {run.exit_status}",
        flush=True,
    )


def markdown(figures: dict) -> str:
    """The figures as bench/results/imports.md shows them."""
    files = figures["files"]
    lines = [
        "# A council's files imported through `oversight import`",
        "",
        f"- Machine: {report.machine_line(figures['machine'])}",
        f"- Files: {files['staff']:,} staff, {files['relationships']:,} relationships, "
        f"{files['cases']:,} open cases (LCS-style), and the caseload a fortnight on "
        f"({files['moved_later']:,} reallocated, {files['closed_later']:,} closed); "
        f"profile {files['profile']}, seed "
        f"{files['seed']}, as of {files['as_of']}; a fresh PostgreSQL database",
        "- Made by `.venv/bin/python -m bench.imports --out bench/results/imports.json`;"
        " what each phase covers: bench/imports.py",
        "",
        "| file | rows | validate and apply (s) | peak (MiB) | reconcile after (s) "
        "| peak (MiB) | load average before, after |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for run in figures["runs"]:
        after, peak = run["reconcile_seconds"], run["reconcile_peak_mib"]
        lines.append(
            f"| {run['label']} | {run['rows']:,} | {run['apply_seconds']:.2f} "
            f"| {run['apply_peak_mib']:.0f} "
            f"| {'in its transaction' if after is None else f'{after:.2f}'} "
            f"| {'' if peak is None else f'{peak:.0f}'} "
            f"| {run['load_before']:.2f}, {run['load_after']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.imports", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/ov_imp_bench"
    )
    parser.add_argument("--staff", type=int, default=2_000)
    parser.add_argument("--cases", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--profile", default="lancashire")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    if not database.is_postgres(args.database_url):
        parser.error("the benchmark imports into PostgreSQL")
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as folder:
        files = write_council(
            Path(folder), staff=args.staff, cases=args.cases, seed=args.seed,
            as_of=args.as_of, profile=args.profile,
        )  # fmt: skip
        print(
            f"files: {files.staff_rows} staff, {files.relationship_rows} relationships, "
            f"{files.case_rows} cases; a fortnight on {files.moved_later} reallocated, "
            f"{files.closed_later} closed; profile {args.profile}",
            flush=True,
        )
        fresh_database(args.database_url, args.profile)
        env = os.environ | {"DATABASE_URL": args.database_url}
        try:
            for label, command in _imports(files, args.as_of):
                runs.append(run_command(label, [str(OVERSIGHT), *command], env))
                _print(runs[-1])
            info = report.machine(args.database_url)
        finally:
            if not args.keep:
                drop_database(args.database_url)
    print(report.machine_line(info))
    if args.out:
        figures = {
            "machine": info,
            "files": {"staff": files.staff_rows, "relationships": files.relationship_rows,
                      "cases": files.case_rows, "moved_later": files.moved_later,
                      "closed_later": files.closed_later,
                      "profile": args.profile, "seed": args.seed,
                      "as_of": args.as_of.isoformat()},
            "runs": [asdict(r) for r in runs],
        }  # fmt: skip
        args.out.write_text(json.dumps(figures, indent=2) + "\n")
        args.out.with_suffix(".md").write_text(markdown(figures))
    return 0 if all(r.exit_status == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
