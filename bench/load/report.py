"""Turn the locust clients' raw request times into the load test's figures
and its markdown table. Percentiles come from every request's own time (not
locust's rounded histogram), counted from when the last client had signed in."""

from __future__ import annotations

from statistics import mean
from typing import Any

from bench.load.common import machine_line, summary

# What the figures are judged against (goals printed beside them, not assertions).
GOALS_P95_MS = {
    "inbox page": 100,
    "api list": 100,
    "completion": 200,
}
# The rows of the table, in order; "completion" is both ways of completing together.
ROWS = (
    "inbox page",
    "api list",
    "task page",
    "completion",
    "complete (form)",
    "complete (api)",
    "api list (escalations)",
)
COMPLETIONS = ("complete (form)", "complete (api)")


def results(raw: dict[str, Any], cpu: dict[str, float] | None = None) -> dict[str, Any]:
    window = raw["window"]
    seconds = max(window["until"] - window["since"], 1e-9)
    samples: dict[str, list] = dict(raw["samples"])
    samples["completion"] = [s for name in COMPLETIONS for s in samples.get(name, [])]
    endpoints = {}
    for name in ROWS:
        rows = samples.get(name, [])
        if not rows:
            continue
        figures = summary([r[0] for r in rows])
        figures["failures"] = sum(1 for r in rows if not r[1])
        figures["per_second"] = round(len(rows) / seconds, 1)
        if name in GOALS_P95_MS:
            figures["goal_p95_ms"] = GOALS_P95_MS[name]
            figures["goal_met"] = figures["p95"] < GOALS_P95_MS[name]
        endpoints[name] = figures
    everything = [r for name, rows in raw["samples"].items() for r in rows]
    inbox = samples.get("inbox page", [])
    listed = raw.get("api_list_lengths", [])
    rate = len(everything) / seconds
    return {
        "window_s": round(seconds, 1),
        "requests_per_second": round(rate, 1),
        "server_cpu": _cpu_per_request(cpu, rate),
        "failures": sum(1 for r in everything if not r[1]),
        "endpoints": endpoints,
        "inbox_page_mean_kb": round(mean(r[2] for r in inbox) / 1024, 1) if inbox else None,
        "api_list_mean_tasks": round(mean(listed), 1) if listed else None,
        "api_list_max_tasks": max(listed) if listed else None,
    }


def _cpu_per_request(cpu: dict[str, float] | None, rate: float) -> dict[str, Any] | None:
    """CPU ms per request over the window, and what that allows on two cores
    with nothing else on them (gunicorn and PostgreSQL; locust not counted)."""
    if not cpu or not rate or not cpu["window_s"]:
        return None
    requests = rate * cpu["window_s"]
    per_request = {
        "gunicorn_ms": round(cpu["gunicorn_s"] * 1000 / requests, 1),
        "postgresql_ms": round(cpu["postgresql_s"] * 1000 / requests, 1),
        "locust_ms": round(cpu["locust_s"] * 1000 / requests, 1),
    }
    server = per_request["gunicorn_ms"] + per_request["postgresql_ms"]
    return {
        **cpu,
        **per_request,
        "cpu_bound_capacity_per_second_2_cores": round(2000 / server, 1) if server else None,
    }


def render(data: dict[str, Any]) -> str:
    db, load = data["database"], data["load"]
    lines = [
        "# Inbox and completion under load",
        "",
        f"- Machine: {machine_line(data['machine'])}",
        f"- Database: {db['rows']:,} human_task rows, {db['open']:,} open, "
        f"{db['organisations']} organisations, {db['assignees']:,} assignees, "
        f"{db['logins']:,} logins",
        f"- Load: {load['clients']} locust clients (one login each), think time "
        f"{load['think_time_s']} s, {load['duration_s']} s at full strength; measured "
        f"{data['window_s']} s after sign-in; {data['requests_per_second']} requests/s, "
        f"{data['failures']} failed",
        f"- Server: {load['server']} (as docker-compose.yml), load generator on the same machine",
        f"- Inbox page: {data['inbox_page_mean_kb']} KB on average; API list: "
        f"{data['api_list_mean_tasks']} tasks per response on average, "
        f"{data['api_list_max_tasks']} at most",
        _cpu_line(data.get("server_cpu")),
        "",
        "| request | count | failed | req/s | p50 ms | p95 ms | p99 ms | max ms | goal p95 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, f in data["endpoints"].items():
        goal = ""
        if "goal_p95_ms" in f:
            goal = f"< {f['goal_p95_ms']} ms: {'met' if f['goal_met'] else 'NOT met'}"
        lines.append(
            f"| {name} | {f['count']} | {f['failures']} | {f['per_second']} | {f['p50']} "
            f"| {f['p95']} | {f['p99']} | {f['max']} | {goal} |"
        )
    lines += [
        "",
        "completion = complete (form) + complete (api): acknowledging an escalation, a POST "
        "that closes the task (audit and outbox rows in the same transaction).",
        "",
    ]
    return "\n".join(lines)


def _cpu_line(cpu: dict[str, Any] | None) -> str:
    if not cpu:
        return "- Server CPU: not measured"
    return (
        f"- Server CPU per request: {cpu['gunicorn_ms']} ms gunicorn + {cpu['postgresql_ms']} ms "
        f"PostgreSQL (locust {cpu['locust_ms']} ms), over {cpu['window_s']} s: two cores with "
        f"nothing else on them would serve about {cpu['cpu_bound_capacity_per_second_2_cores']} "
        "requests/s of this mix"
    )
