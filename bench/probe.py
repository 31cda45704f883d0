"""Run one measurement in a fresh process and measure it from outside: wall
time, peak memory (the child's own maximum resident set, from os.wait4, so
each measurement has its own peak, not the largest so far), and the rows it
read and wrote (deltas of PostgreSQL's pg_stat_user_tables). A child that
ends its output with a JSON line has that line returned as its result."""

from __future__ import annotations

import compileall
import json
import os
import signal
import subprocess
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import database

ROOT = Path(__file__).resolve().parent.parent

COUNTERS = """
SELECT relname, seq_tup_read + coalesce(idx_tup_fetch, 0), n_tup_ins + n_tup_upd + n_tup_del
FROM pg_stat_user_tables"""


def compile_packages() -> None:
    """Compile our packages' bytecode before anything is timed: where
    PYTHONDONTWRITEBYTECODE is set (as on these machines) each measured process
    would otherwise compile every module it imports, which a deployment does
    once. The packages are those pyproject.toml installs, and the benchmark's own
    (the venv's are compiled by make install)."""
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    installed = setup["tool"]["setuptools"]["packages"]["find"]["include"]
    for package in ("bench", *(pattern.rstrip("*") for pattern in installed)):
        compileall.compile_dir(ROOT / package, quiet=1, workers=0)


@dataclass
class Measured:
    name: str
    command: str
    returncode: int
    wall_seconds: float
    peak_rss_mib: float
    rows_read: int | None = None
    rows_written: int | None = None
    result: dict = field(default_factory=dict)
    busiest_tables: dict = field(default_factory=dict)  # table -> [read, written]
    log: str = ""
    # The machine's 1-minute load average as the measurement ended: above the
    # core count, something else was competing for the CPU.
    load_average: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _counters(url: str) -> dict[str, tuple[int, int]] | None:
    """Rows read and written so far, per table (None when not on PostgreSQL)."""
    if not database.is_postgres(url):
        return None
    connection = database.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(COUNTERS)
            return {name: (read, written) for name, read, written in cursor.fetchall()}
    finally:
        connection.close()


def _settled_counters(url: str, before: dict | None) -> dict | None:
    """A finished backend reports its statistics as it exits, a moment after
    the client has gone: read until two readings agree (at most ~3 s)."""
    if before is None:
        return None
    reading = _counters(url)
    for _ in range(10):
        time.sleep(0.3)
        again = _counters(url)
        if again == reading:
            break
        reading = again
    return reading


def _wait(process: subprocess.Popen, timeout: float | None):
    """Wait for the child with wait4, which gives its own resource usage."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage
        if deadline is not None and time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)  # the whole group: a shell and its child
            deadline = None
        time.sleep(0.01)


def run(
    name: str,
    command: list[str] | str,
    *,
    url: str,
    log_dir: Path,
    env: dict | None = None,
    timeout: float | None = None,
) -> Measured:
    """Run `command` (a list, or a shell string) and measure it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    slug = name.replace(" ", "-").replace("/", "-").replace("'", "")
    out_path, log_path = log_dir / f"{slug}.out", log_dir / f"{slug}.log"
    before = _counters(url)
    shell = isinstance(command, str)
    with out_path.open("wb") as out, log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            shell=shell,
            stdout=out,
            stderr=log,
            env=env if env is not None else dict(os.environ),
            start_new_session=True,
        )
        usage = _wait(process, timeout)
        wall = time.perf_counter() - started
    after = _settled_counters(url, before)
    measured = Measured(
        name=name,
        command=command if shell else " ".join(command),
        returncode=process.returncode,
        wall_seconds=round(wall, 3),
        peak_rss_mib=round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        result=_last_json(out_path),
        log=str(log_path),
        load_average=round(os.getloadavg()[0], 2),
    )
    if after is not None:
        deltas = {
            table: (read - before.get(table, (0, 0))[0], written - before.get(table, (0, 0))[1])
            for table, (read, written) in after.items()
        }
        measured.rows_read = sum(d[0] for d in deltas.values())
        measured.rows_written = sum(d[1] for d in deltas.values())
        busiest = sorted(deltas.items(), key=lambda item: -(item[1][0] + item[1][1]))[:6]
        measured.busiest_tables = {t: list(d) for t, d in busiest if d[0] or d[1]}
    return measured


def _last_json(path: Path) -> dict:
    for line in reversed(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return {}
    return {}
