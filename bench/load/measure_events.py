"""The event measurement's steps, run by bench/load/events.py once Prefect's
server, the served deployments and gunicorn are up. Imported after the
Prefect settings are in the environment (it imports Prefect's client)."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from bench.load.common import machine, machine_line, summary, write_results
from bench.load.prefect_api import FINAL, PrefectApi, parse_time, state_type
from bench.load.starters import SUPERVISOR, Starter, add_starters
from bench.load.webclient import WebClient
from deployments.serve import AGREEMENT_DAILY, DEPLOYMENTS, OUTBOX_DRAINER
from models.db import get_sessionmaker
from models.migrate import upgrade
from models.tables.outbox import OutboxEvent
from tasks.outbox import drain_outbox

SIGNED = "oversight.agreement.signed-by-supervisor"
GOAL_INBOX_MS = 200
TRIGGER_GRACE_S = 15
ANSWER = "Agreed at our first supervision."
# (key, what it is) in the order the table shows them.
METRICS = (
    ("post_ms", "sign-off POST (record, complete, reconcile, outbox)"),
    ("inbox_ms", "sign-off → next person's inbox (API shows the countersign task)"),
    ("drainer_ms", "drainer's delay: outbox row written → event accepted by Prefect"),
    ("drain_call_ms", "one drainer pass (health check, POST /api/events, commit)"),
    ("trigger_ms", "event accepted → flow run created (trigger)"),
    ("pickup_ms", "flow run created → running (served runner picks it up)"),
    ("run_ms", "flow run running → Completed"),
    ("event_to_done_ms", "event accepted → flow run Completed"),
    ("end_to_end_ms", "sign-off → subject's flow run Completed"),
    ("all_runs_ms", "sign-off → every run the event triggered Completed"),
)


def prepare_database(url: str, count: int, today: date) -> tuple[list[Starter], int]:
    upgrade(url)
    starters, weeks = add_starters(url, count, today)
    print(f"{count} new starters waiting for {SUPERVISOR} to sign their first agreement")
    return starters, weeks


def measure(args, settings, url: str, starters: list[Starter], weeks: int, paused) -> list[dict]:
    args.load_before = os.getloadavg()[0]
    factory = get_sessionmaker(url)
    api = PrefectApi(settings.prefect_api_url)
    try:
        full_names = {d.name: d.full_name for d in DEPLOYMENTS}
        for name in paused:
            api.pause(full_names[name])
        agreement = api.deployment_id(AGREEMENT_DAILY.full_name)
        drained_from = datetime.now(UTC)
        backlog = _drain_backlog(factory)
        print(f"Delivered {backlog} earlier outbox events to Prefect before measuring")
        if backlog:
            # Their flow runs lock the organisation while they reconcile; let them end.
            _wait_until_quiet(args, api, drained_from)
        supervisor = WebClient(settings.web_url, SUPERVISOR)
        supervisor.sign_in()
        samples = []
        for number, starter in enumerate(starters, 1):
            starter_client = WebClient(settings.web_url, starter.username)
            starter_client.sign_in()
            sample = _sign_off(args, supervisor, starter_client, starter, weeks)
            sample.update(_deliver(args, factory, starter, sample["clicked"]))
            sample.update(_wait_for_runs(args, api, agreement, starter, sample))
            samples.append(sample)
            waits = sample["lock_waits"]
            print(
                f"  {number:>2}/{len(starters)} rel-{starter.relationship_id}: inbox "
                f"{sample['inbox_ms']:.0f} ms, drainer {sample['drainer_ms']:.0f} ms, flow run "
                f"done {sample['end_to_end_ms'] / 1000:.1f} s after the sign-off"
                + (f"; waited on a lock held by: {waits[0]['blocked_by']}" if waits else "")
            )
        return samples
    finally:
        api.close()


def _drain_backlog(factory) -> int:
    """Earlier runs (the load test's completions) leave undelivered rows; deliver
    them first so each sign-off's drain carries only its own event."""
    delivered = 0
    while True:
        result = drain_outbox(session_factory=factory)
        delivered += result.delivered
        if result.error is not None:
            raise RuntimeError(f"The outbox could not be delivered: {result.error}")
        if result.remaining == 0 or result.delivered == 0:
            return delivered


def _wait_until_quiet(args, api: PrefectApi, since: datetime) -> None:
    """Wait for the flow runs started since then (the drainer's own, and runs
    scheduled for later, aside)."""
    drainer = api.deployment_id(OUTBOX_DRAINER.full_name)
    time.sleep(TRIGGER_GRACE_S)  # the triggers take seconds to create their runs
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        now = datetime.now(UTC)
        busy = [
            r
            for r in api.runs_since(since)
            if r.get("deployment_id") != drainer
            and state_type(r) not in FINAL
            and parse_time(r["expected_start_time"]) <= now
        ]
        if not busy:
            return
        print(f"  waiting for {len(busy)} flow runs the earlier events started")
        time.sleep(5)
    raise RuntimeError("The flow runs of earlier events did not finish in time")


def _sign_off(args, supervisor: WebClient, starter_client: WebClient, starter, weeks) -> dict:
    path = f"/relationships/{starter.relationship_id}/agreement/sign"
    fields = supervisor.form(path)
    for name, value in fields.items():
        if value:
            continue
        if name == "frequency_weeks":
            fields[name] = str(weeks)  # the profile's own cadence: no variation to explain
        elif name == "declaration":
            fields[name] = "y"
        elif not name.endswith("_reason"):
            fields[name] = ANSWER
    clicked = datetime.now(UTC)
    started = time.perf_counter()
    with LockWatch(args.url) as locks:
        response = supervisor.post_form(path, fields)
    posted = time.perf_counter()
    if response.status_code != 302 or not response.headers.get("Location", "").endswith("/inbox"):
        raise RuntimeError(f"Signing {path} answered {response.status_code}: {response.text[:300]}")
    while True:
        tasks = starter_client.inbox(kind="agreement_countersign")
        if any(t.get("relationship_id") == starter.relationship_id for t in tasks):
            break
        if time.perf_counter() - started > args.timeout:
            raise RuntimeError(f"The countersign task never reached {starter.username}'s inbox")
        time.sleep(args.poll)
    seen = time.perf_counter()
    return {
        "relationship_id": starter.relationship_id,
        "clicked": clicked,
        "post_ms": (posted - started) * 1000,
        "inbox_ms": (seen - started) * 1000,
        # What the sign-off waited for, if it waited on a lock (evidence for a slow one).
        "lock_waits": locks.seen,
    }


class LockWatch:
    """Samples pg_stat_activity every 20 ms while a request runs and keeps any
    backend of this database waiting on a lock, with the query that blocks it."""

    QUERY = text(
        "SELECT a.pid, a.wait_event, left(a.query, 160) AS query,"
        " (SELECT left(b.query, 160) FROM pg_stat_activity b"
        "  WHERE b.pid = ANY(pg_blocking_pids(a.pid)) LIMIT 1) AS blocked_by"
        " FROM pg_stat_activity a"
        " WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'"
    )

    def __init__(self, url: str):
        self.engine = create_engine(url, poolclass=NullPool)
        self.seen: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self.engine.dispose()

    def _watch(self) -> None:
        with self.engine.connect() as connection:
            while not self._stop.wait(0.02):
                for row in connection.execute(self.QUERY).mappings():
                    if dict(row) not in self.seen:
                        self.seen.append(dict(row))
                connection.rollback()


def _deliver(args, factory, starter: Starter, clicked: datetime) -> dict:
    drain_call_ms = None
    if args.drainer == "inline":
        started = time.perf_counter()
        drain_outbox(session_factory=factory)
        drain_call_ms = (time.perf_counter() - started) * 1000
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        with factory() as session:
            row = session.scalars(
                select(OutboxEvent)
                .where(
                    OutboxEvent.event == SIGNED,
                    OutboxEvent.resource_id == f"oversight.relationship.{starter.relationship_id}",
                )
                .order_by(OutboxEvent.id.desc())
                .limit(1)
            ).one_or_none()
        if row is not None and row.delivered_at is not None:
            delivered = row.delivered_at.replace(tzinfo=UTC)
            committed = row.created_at.replace(tzinfo=UTC)
            return {
                "delivered": delivered,
                "drainer_ms": _ms(delivered - committed),
                "drain_call_ms": drain_call_ms,
            }
        time.sleep(0.05)
    raise RuntimeError(f"The outbox event for rel-{starter.relationship_id} was never delivered")


def _wait_for_runs(args, api: PrefectApi, agreement: str, starter: Starter, sample) -> dict:
    """Poll Prefect until the agreement deployment's run for this relationship,
    and every other run its event triggered, is in a final state."""
    since = sample["clicked"] - timedelta(seconds=1)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        try:
            listed = api.runs_since(since)
        except httpx.TimeoutException:
            continue  # Prefect's server on SQLite stalls under load; ask again
        runs = [
            r
            for r in listed
            if (r.get("parameters") or {}).get("relationship_id") == starter.relationship_id
        ]
        primary = next((r for r in runs if r.get("deployment_id") == agreement), None)
        if primary is not None and all(state_type(r) in FINAL for r in runs):
            return _run_timings(primary, runs, sample)
        time.sleep(0.1)
    raise RuntimeError(f"No Completed agreement run for rel-{starter.relationship_id} in time")


def _run_timings(primary: dict, runs: list[dict], sample: dict) -> dict:
    if state_type(primary) != "COMPLETED":
        raise RuntimeError(f"Flow run {primary['name']} ended {state_type(primary)}")
    created, started = parse_time(primary["created"]), parse_time(primary["start_time"])
    ended = parse_time(primary["end_time"])
    last = max(parse_time(r["end_time"]) or ended for r in runs)
    return {
        "flow_run": primary["name"],
        "triggered_runs": len(runs),
        "trigger_ms": _ms(created - sample["delivered"]),
        "pickup_ms": _ms(started - created),
        "run_ms": _ms(ended - started),
        "event_to_done_ms": _ms(ended - sample["delivered"]),
        "end_to_end_ms": _ms(ended - sample["clicked"]),
        "all_runs_ms": _ms(last - sample["clicked"]),
    }


def _ms(delta: timedelta) -> float:
    return delta.total_seconds() * 1000


def report(args, url: str, env: dict[str, str], samples: list[dict], paused) -> None:
    figures = {
        key: summary(values)
        for key, _ in METRICS
        if (values := [s[key] for s in samples if s.get(key) is not None])
    }
    data = {
        "what": "sign-off to the next inbox and to Prefect (bench/load/events.py)",
        "machine": machine(url, args.load_before),
        "drainer": args.drainer,
        "runner_poll_s": env.get("PREFECT_RUNNER_POLL_FREQUENCY"),
        "paused_deployments": list(paused),
        "goal_inbox_p95_ms": GOAL_INBOX_MS,
        "figures_ms": figures,
        "samples": samples,
    }
    drainer = (
        "called in-process right after each sign-off (tasks.outbox.drain_outbox)"
        if args.drainer == "inline"
        else "its every-minute schedule (outbox-every-minute)"
    )
    lines = [
        "# Sign-off to the next inbox and to Prefect",
        "",
        f"- Machine: {machine_line(data['machine'])}",
        f"- {len(samples)} sign-offs of a first supervision agreement by {SUPERVISOR} "
        "through gunicorn (3 workers), each polled in the new starter's inbox via the API",
        f"- Outbox drainer: {drainer}; served runner polls every {data['runner_poll_s']} s "
        "(the launcher's setting); paused: " + ", ".join(paused),
        "",
        "| step | p50 ms | p95 ms | max ms | goal |",
        "|---|---:|---:|---:|---|",
    ]
    for key, label in METRICS:
        if key not in figures:
            continue
        f = figures[key]
        goal = ""
        if key == "inbox_ms":
            goal = f"p95 < {GOAL_INBOX_MS} ms: {'met' if f['p95'] < GOAL_INBOX_MS else 'NOT met'}"
        lines.append(f"| {label} | {f['p50']} | {f['p95']} | {f['max']} | {goal} |")
    waited = [s for s in samples if s["lock_waits"]]
    lines += [
        "",
        f"{len(waited)} of {len(samples)} sign-offs were seen waiting on a lock"
        + "".join(
            f"; rel-{s['relationship_id']} behind: {s['lock_waits'][0]['blocked_by']}"
            for s in waited
        ),
    ]
    markdown = "\n".join([*lines, ""])
    print(markdown)
    json_path, md_path = write_results(args.name, data, markdown)
    print(f"Wrote {json_path} and {md_path}")
