"""CPU time the server spends, read from /proc: the gunicorn processes and the
PostgreSQL backends serving them. Unlike latency it does not grow when other
work shares the machine, so CPU per request says what the server costs and
what two dedicated cores could serve."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds), or None if it has gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after it.
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def process_tree(root: int) -> dict[int, float]:
    """CPU seconds of a process and all its descendants, by pid."""
    parents: dict[int, int] = {}
    seconds: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            parents[int(entry)], seconds[int(entry)] = stat
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return {pid: seconds[pid] for pid in tree if pid in seconds}


def backends(url: str) -> dict[int, float]:
    """CPU seconds of the PostgreSQL backends connected to this database,
    except the one asking."""
    engine = create_engine(url)
    with engine.connect() as connection:
        pids = list(
            connection.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        )
    engine.dispose()
    return {pid: stat[1] for pid in pids if (stat := _stat(pid)) is not None}


@dataclass(frozen=True)
class Snapshot:
    at: float  # time.monotonic()
    web: dict[int, float]
    database: dict[int, float]
    client: dict[int, float]


def snapshot(web_pid: int, client_pid: int, url: str) -> Snapshot:
    return Snapshot(
        time.monotonic(), process_tree(web_pid), backends(url), process_tree(client_pid)
    )


def used(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """CPU seconds between two snapshots; a process new since `before` counts
    from zero (a backend opened during the run)."""

    def delta(a: dict[int, float], b: dict[int, float]) -> float:
        return sum(seconds - a.get(pid, 0.0) for pid, seconds in b.items())

    return {
        "window_s": round(after.at - before.at, 1),
        "gunicorn_s": round(delta(before.web, after.web), 2),
        "postgresql_s": round(delta(before.database, after.database), 2),
        "locust_s": round(delta(before.client, after.client), 2),
    }
