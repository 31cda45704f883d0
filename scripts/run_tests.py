"""The README's test command: ruff's lint and format checks and bandit, then the whole
suite on SQLite, then again on a fresh PostgreSQL database at 127.0.0.1:5432
(created for this run, dropped after). Every step runs even when an earlier
one fails, so one run reports everything; any failure fails the command.

In CI (CI=true) an unreachable PostgreSQL is a failure, never a silent skip;
on a developer's machine without PostgreSQL it says so loudly and passes the
SQLite run's result through. Any arguments are passed to pytest."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
import uuid
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get(
    "OVERSIGHT_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def project_packages() -> list[str]:
    """The packages the project installs (pyproject.toml's setuptools include),
    which bandit scans: one list, so a new package is never left unscanned."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        include = tomllib.load(file)["tool"]["setuptools"]["packages"]["find"]["include"]
    return [pattern.rstrip("*") for pattern in include]


def pytest(database_url: str, args: list[str], label: str) -> int:
    print(f"\n=== Oversight test suite on {label} ===", flush=True)
    # Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: every pytest-xdist
    # worker of both passes imports the project and rewrites the tests' asserts (10 s of
    # CPU a process); the venv's packages were compiled when installed (make install).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["DATABASE_URL"] = database_url
    if not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
        # Every core: each pytest-xdist worker gets a database of its own (tests/conftest.py).
        args = ["-n", str(min(os.cpu_count() or 1, 4)), "--dist", "loadfile", *args]
    command = [sys.executable, "-m", "pytest", *args]
    return subprocess.call(command, cwd=ROOT, env=env)


def lint() -> int:
    """`ruff check` and `ruff format --check` over the project (pyproject.toml's settings),
    then bandit's security lint of the packages: no medium or high finding unless it is
    marked where it stands (`# nosec <test> # why`) or skipped, with its reason, in
    pyproject.toml's [tool.bandit]."""
    status = 0
    for check in (["check"], ["format", "--check"]):
        print(f"\n=== ruff {' '.join(check)} ===", flush=True)
        status |= subprocess.call([sys.executable, "-m", "ruff", *check, "."], cwd=ROOT)
    print("\n=== bandit ===", flush=True)
    status |= subprocess.call(
        [
            sys.executable,
            "-m",
            "bandit",
            "-c",
            "pyproject.toml",
            "-q",
            "--severity-level",
            "medium",
            "-r",
            *project_packages(),
        ],
        cwd=ROOT,
    )
    return status


def main(args: list[str]) -> int:
    lint_status = lint()
    with tempfile.TemporaryDirectory(prefix="oversight-sqlite-") as tmp:
        sqlite_status = pytest(f"sqlite:///{tmp}/test.sqlite", args, "SQLite")

    name = f"oversight_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg2.connect(PG_ADMIN_URL, connect_timeout=5)
    except psycopg2.OperationalError as error:
        message = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}".strip()
        if IN_CI:
            print(f"\nFAILED: {message}\nCI must run the suite on PostgreSQL.", flush=True)
            return 1
        print(f"\nWARNING: {message}\nThe PostgreSQL pass was NOT run.", flush=True)
        print(f"ruff: {_word(lint_status)}; SQLite pass: {_word(sqlite_status)}", flush=True)
        return lint_status or sqlite_status
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        postgres_status = pytest(f"{base}/{name}", args, f"PostgreSQL (database {name})")
    finally:
        with admin.cursor() as cursor:
            # The run's database and each pytest-xdist worker's (named after it).
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (name + "%",))
            for (database,) in cursor.fetchall():
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database)
                    )
                )
        admin.close()

    print(
        f"\nruff: {_word(lint_status)}; SQLite pass: {_word(sqlite_status)}; "
        f"PostgreSQL pass: {_word(postgres_status)}",
        flush=True,
    )
    return lint_status or sqlite_status or postgres_status


def _word(status: int) -> str:
    return "ok" if status == 0 else "FAILED"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
