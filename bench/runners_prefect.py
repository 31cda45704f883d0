"""The Prefect side of bench/runners.py: Prefect's own server on a temporary
PREFECT_HOME (on its SQLite there, or on a PostgreSQL database), the product's
mail catcher, one or more `python -m deployments.serve` runner processes, the
REST API's record of the one-organisation deployment's flow runs, and which
runner process ran each of them (the runners' consoles say; Prefect 3.8.8's
runner leaves a flow run's infrastructure_pid and worker empty).

The processes are started the way the product's launcher starts its services
(deployments/launcher.py: each in its own process group, dying with this
process), and stopped by process group and then by the id of anything they
left behind."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sys
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from deployments.launcher import (
    PREFECT_START_TIMEOUT,
    Service,
    Settings,
    child_environment,
    deployment_registered,
    http_ok,
    mail_catcher_command,
    port_in_use,
    prefect_server_command,
    serve_command,
    wait_until,
)

ONE_ORGANISATION = "Reconcile every lifecycle for one organisation/one-organisation"
SERVING_LINE = "being served and polling for scheduled runs"
# A served flow run logs to its runner's console: "Beginning subflow run '<name>' ...".
BEGINNING = re.compile(r"Beginning (?:sub)?flow run '(?P<name>[^']+)'")
PLANNED = re.compile(r"Organisation (?P<org>\d+): (?P<units>\d+) units in (?P<batches>\d+) batches")
ABORTED = "Aborted submission of flow run"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Stack:
    """Prefect's server and the runners of one trial, with their logs."""

    settings: Settings
    env: dict[str, str]
    server: Service
    mail: Service
    runners: list[Service] = field(default_factory=list)
    # The largest resident memory (MiB) and process count seen under each runner.
    peak_mib: dict[str, float] = field(default_factory=dict)
    peak_processes: dict[str, int] = field(default_factory=dict)

    @property
    def api(self) -> str:
        return self.settings.prefect_api_url

    @property
    def services(self) -> list[Service]:
        return [self.mail, self.server, *self.runners]


def runner_command(limit: int | None) -> list[str]:
    """The product's entry point, or with a limit bench/runners_serve.py."""
    if limit is None:
        return serve_command()
    return [sys.executable, "-m", "bench.runners_serve", str(limit)]


def make_stack(
    home: Path,
    log_dir: Path,
    database_url: str,
    runners: int,
    limit: int | None = None,
    prefect_database_url: str | None = None,
) -> Stack:
    """Prefect's server (on its SQLite under `home`, or on `prefect_database_url`),
    a mail catcher and `runners` runner processes, not yet started."""
    settings = Settings(
        web_port=free_port(),
        prefect_port=free_port(),
        prefect_home=home,
        log_dir=log_dir,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
    )
    env = child_environment(settings, os.environ)
    env["DATABASE_URL"] = database_url
    # The escalation mail the runs trigger goes to the product's own mail catcher,
    # so those runs end as they would with a relay, and no one else's catcher gets it.
    env["OVERSIGHT_SMTP_HOST"] = settings.smtp_host
    env["OVERSIGHT_SMTP_PORT"] = str(settings.smtp_port)
    server_env = dict(env)
    server_env.pop("PREFECT_API_DATABASE_CONNECTION_URL", None)  # SQLite unless asked
    if prefect_database_url:
        server_env["PREFECT_API_DATABASE_CONNECTION_URL"] = prefect_database_url
    server = Service("Prefect server", prefect_server_command(settings), server_env,
                     log_dir / "prefect-server.log")  # fmt: skip
    mail = Service("mail catcher", mail_catcher_command(settings), env, log_dir / "mail.log")
    serving = [
        Service(f"runner {i + 1}", runner_command(limit), env, log_dir / f"runner-{i + 1}.log")
        for i in range(runners)
    ]
    return Stack(settings, env, server, mail, serving)


def start(stack: Stack) -> None:
    """The server, then each runner; returns once every runner is polling."""
    stack.settings.prefect_home.mkdir(parents=True, exist_ok=True)
    stack.mail.start()
    wait_until(
        lambda: port_in_use(stack.settings.smtp_port),
        timeout=30,
        service=stack.mail,
        failure="The mail catcher did not listen",
    )
    stack.server.start()
    wait_until(
        lambda: http_ok(f"{stack.api}/health"),
        timeout=PREFECT_START_TIMEOUT,
        service=stack.server,
        failure=f"Prefect's server did not answer on {stack.api}/health",
    )
    for runner in stack.runners:
        runner.start()
    for runner in stack.runners:
        wait_until(
            lambda r=runner: SERVING_LINE in _read(r.log_path),
            timeout=PREFECT_START_TIMEOUT,
            service=runner,
            failure=f"{runner.name} did not start serving",
        )
    wait_until(
        lambda: deployment_registered(stack.settings, ONE_ORGANISATION),
        timeout=PREFECT_START_TIMEOUT,
        service=stack.runners[0],
        failure=f"The deployment {ONE_ORGANISATION!r} was not registered",
    )


def stop(stack: Stack) -> list[int]:
    """Every process the trial started, and anything they started; returns
    the ids of any that had to be killed one by one after their group."""
    left: list[int] = []
    for service in reversed(stack.services):
        if service.process is None:
            continue
        descendants = _descendants(service.process.pid)
        service.stop()
        for pid in descendants:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                left.append(pid)
    return left


def _descendants(root: int) -> list[int]:
    """Every living process under `root`, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def _post(api: str, path: str, body: dict) -> list | dict:
    request = urllib.request.Request(
        f"{api}{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _get(api: str, path: str) -> dict:
    with urllib.request.urlopen(f"{api}{path}", timeout=30) as response:
        return json.loads(response.read())


def deployment_id(api: str, full_name: str) -> str:
    quoted = "/".join(urllib.parse.quote(part, safe="") for part in full_name.split("/", 1))
    return _get(api, f"/deployments/name/{quoted}")["id"]


def _every(api: str, path: str, body: dict, page: int = 200) -> list[dict]:
    """Every row a filter endpoint returns, page by page."""
    rows: list[dict] = []
    while True:
        batch = _post(api, path, {**body, "limit": page, "offset": len(rows)})
        rows += batch
        if len(batch) < page:
            return rows


def flow_runs(api: str, full_name: str = ONE_ORGANISATION) -> list[dict]:
    """Every flow run of the deployment as the API records it."""
    return _every(
        api, "/flow_runs/filter", {"deployments": {"id": {"any_": [deployment_id(api, full_name)]}}}
    )


def started_by(stack: Stack) -> dict[str, str]:
    """Flow run name -> the runner on whose console the run began."""
    owners: dict[str, str] = {}
    for runner in stack.runners:
        for match in BEGINNING.finditer(_read(runner.log_path)):
            owners.setdefault(match["name"], runner.name)
    return owners


def planned(stack: Stack) -> dict[str, int]:
    """Units and batches the organisations' runs planned, from the runners' consoles."""
    plans = {}
    for runner in stack.runners:
        for match in PLANNED.finditer(_read(runner.log_path)):
            plans[match["org"]] = (int(match["units"]), int(match["batches"]))
    return {
        "units": sum(u for u, _ in plans.values()),
        "batches": sum(b for _, b in plans.values()),
        "organisations_planned": len(plans),
    }


def run_record(run: dict, owners: dict[str, str]) -> dict:
    state = run.get("state") or {}
    return {
        "name": run["name"],
        "organisation_id": (run.get("parameters") or {}).get("organisation_id"),
        "state": state.get("type"),
        "runner": owners.get(run["name"], "unknown"),
        "infrastructure_pid": run.get("infrastructure_pid"),
        "start_time": run.get("start_time"),
        "end_time": run.get("end_time"),
        "run_seconds": round(run.get("total_run_time") or 0, 2),
    }


def peak_concurrency(records: list[dict]) -> dict[str, int]:
    """Per runner: the most of its flow runs running at one moment (API times)."""
    peaks: dict[str, int] = {}
    for runner in {r["runner"] for r in records}:
        edges = sorted(
            (time_, step)
            for r in records
            if r["runner"] == runner and r["start_time"] and r["end_time"]
            for time_, step in ((r["start_time"], 1), (r["end_time"], -1))
        )
        running = peak = 0
        for _, step in edges:
            running += step
            peak = max(peak, running)
        peaks[runner] = peak
    return dict(sorted(peaks.items()))


def other_runs(api: str) -> dict[str, int]:
    """Flow runs of the other served deployments that left Scheduled during the
    trial, by deployment and state."""
    names = {d["id"]: d["name"] for d in _every(api, "/deployments/filter", {})}
    counts: Counter[str] = Counter()
    for run in _every(api, "/flow_runs/filter", {}):
        name = names.get(run.get("deployment_id"))
        ran = run.get("state_type") not in (None, "SCHEDULED")
        if ran and name and name != ONE_ORGANISATION.split("/")[1]:
            counts[f"{name} {run.get('state_type')}"] += 1
    return dict(sorted(counts.items()))


def collect(stack: Stack) -> dict:
    """What Prefect and the runners' consoles say about the trial's flow runs."""
    owners = started_by(stack)
    records = sorted(
        (run_record(r, owners) for r in flow_runs(stack.api)),
        key=lambda r: r["organisation_id"] or 0,
    )
    per_organisation = Counter(r["organisation_id"] for r in records)
    return {
        "flow_runs": len(records),
        "runs_per_runner": dict(sorted(Counter(r["runner"] for r in records).items())),
        "states": dict(Counter(r["state"] for r in records)),
        "organisations_with_more_than_one_run": [o for o, n in per_organisation.items() if n > 1],
        "peak_concurrent_runs_per_runner": peak_concurrency(records),
        "claims_refused_by_the_server": {
            r.name: _read(r.log_path).count(ABORTED) for r in stack.runners
        },
        "mails_caught": _read(stack.mail.log_path).count("\nSubject: "),
        "prefect_server_errors": _read(stack.server.log_path).count("| ERROR"),
        "prefect_server_database_locked": _read(stack.server.log_path).count("database is locked"),
        "peak_memory_mib_per_runner": {k: round(v) for k, v in stack.peak_mib.items()},
        "peak_processes_per_runner": dict(stack.peak_processes),
        **planned(stack),
        "other_flow_runs": other_runs(stack.api),
        "runs": records,
    }


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def sample_memory(stack: Stack) -> None:
    """Note each runner's resident memory, its flow-run processes included."""
    for runner in stack.runners:
        if runner.process is None:
            continue
        pids = [runner.process.pid, *_descendants(runner.process.pid)]
        mib = sum(_rss_kib(pid) for pid in pids) / 1024
        stack.peak_mib[runner.name] = max(stack.peak_mib.get(runner.name, 0.0), mib)
        stack.peak_processes[runner.name] = max(stack.peak_processes.get(runner.name, 0), len(pids))
