"""What the load-test scripts share: the database they use, the production
web command, the machine they ran on, percentiles and the results files."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from datetime import UTC, datetime
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
SERVER_URL = "postgresql://postgres@127.0.0.1:5432"
DEFAULT_DATABASE = "oversight_load"
# Every synthetic row and login is marked, so a re-run can find and reset them.
MARK = "bench.load"
USERNAME_PREFIX = "load"
# One password for every synthetic login, the demo's, so anyone can sign in by hand.
PASSWORD = "demo-oversight"
# Fixed so all three gunicorn workers sign and read the same session cookies.
SECRET_KEY = "bench-load-not-a-secret-" + "0" * 40


def database_url(name_or_url: str) -> str:
    """A database name on the local server, or a full URL as given."""
    if "://" in name_or_url:
        return name_or_url
    return f"{SERVER_URL}/{name_or_url}"


def gunicorn_command(port: int) -> list[str]:
    """docker-compose.yml's web command (3 sync workers, access log to stdout,
    the factory with no arguments, so Secure cookies as in production); only
    the address differs: this machine's loopback instead of 0.0.0.0:8000."""
    return [
        sys.executable, "-m", "gunicorn",
        f"--bind=127.0.0.1:{port}", "--workers=3", "--access-logfile=-",
        "webapp:create_app()",
    ]  # fmt: skip


def web_environment(url: str, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.update(
        DATABASE_URL=url,
        OVERSIGHT_SECRET_KEY=SECRET_KEY,
        TZ="Europe/London",
        PYTHONUNBUFFERED="1",
    )
    return env


class LoopbackCookiePolicy(DefaultCookiePolicy):
    """The app's session cookie is Secure (production sits behind TLS); the
    locust clients talk plain HTTP to 127.0.0.1, so send it back anyway."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


def machine(url: str, load_before: float | None = None) -> dict[str, Any]:
    with create_engine(url).connect() as connection:
        postgres = connection.execute(text("SHOW server_version")).scalar_one()
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(_memory_bytes() / 2**30, 1),
        "arch": platform.machine(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        # Others share the machine: the 1-minute load average says how busy it was.
        "load_average_before": round(load_before, 2) if load_before is not None else None,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "commit": _git_commit(),
    }


def _memory_bytes() -> int:
    meminfo = Path("/proc/meminfo").read_text()
    kib = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo).group(1))
    return kib * 1024


def _git_commit() -> str:
    """The commit measured, with "+changes" when the tree was not clean (the
    pagination and reconcile work lands in the working tree while we measure)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+changes" if dirty else head


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict[str, float | int]:
    return {
        "count": len(values),
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "p99": round(percentile(values, 99), 1),
        "max": round(max(values), 1) if values else float("nan"),
    }


def write_results(name: str, data: dict[str, Any], markdown: str) -> tuple[Path, Path]:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    json_path = RESULTS_DIR / f"{name}.json"
    md_path = RESULTS_DIR / f"{name}.md"
    json_path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    md_path.write_text(markdown)
    return json_path, md_path


def machine_line(m: dict[str, Any]) -> str:
    return (
        f"{m['cores']} cores, {m['ram_gb']} GB RAM, {m['arch']} (Linux {m['kernel']}), "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}, {m['date']}, commit {m['commit']}; "
        f"load average {m.get('load_average_before', '?')} before, "
        f"{m['load_average_1m']} after"
    )
