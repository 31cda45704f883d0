"""The machine a benchmark ran on, and its results as JSON and markdown
(bench/results/<size>.json, and a section appended to bench/results/README.md)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import database, goals

RESULTS = Path(__file__).resolve().parent / "results"


def machine(url: str) -> dict:
    """Cores, memory, architecture, PostgreSQL, and the code measured."""
    info = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(_mem_total_kib() / 1024 / 1024, 1),
        "arch": platform.machine(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain")),
    }
    if database.is_postgres(url):
        connection = database.connect(url)
        try:
            with connection.cursor() as cursor:
                for name in ("server_version", "shared_buffers", "work_mem"):
                    cursor.execute(f"SHOW {name}")
                    info[f"postgresql_{name}"] = cursor.fetchone()[0]
        finally:
            connection.close()
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_kib() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, check=True, cwd=RESULTS.parent
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine_line(info: dict) -> str:
    pg = info.get("postgresql_server_version", "not used")
    dirty = " with uncommitted changes" if info.get("uncommitted_changes") else ""
    return (
        f"{info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB RAM, {info['arch']}, "
        f"Linux {info['kernel']}, PostgreSQL {pg} (shared_buffers "
        f"{info.get('postgresql_shared_buffers', '?')}), Python {info['python']}; "
        f"code {info['commit']}{dirty}; {info['date']}"
    )


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def markdown(results: dict) -> str:
    """One run of one size as a markdown section."""
    size = results["size"]
    lines = [
        f"## {size}: {results['machine']['date']}",
        "",
        f"Machine: {machine_line(results['machine'])}.",
        "",
        _dataset_line(results),
        "",
        *_shape_lines(results),
        "| measurement | time (s) | process wall (s) | peak memory (MiB) | rows read | rows written"
        " | load | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    memory = goals.memory_goal()
    for m in results["measurements"]:
        time_goal = goals.time_goal(size, m["name"])
        verdicts = [goals.verdict(time_goal, m.get("seconds"))]
        if m["name"] != goals.LOAD:
            verdicts.append(goals.verdict(memory, m["peak_rss_mib"]))
        failed = f" **exit {m['returncode']}**" if m["returncode"] else ""
        if m.get("measured_on", results["machine"]["date"]) != results["machine"]["date"]:
            failed += f" (measured {m['measured_on']})"
        lines.append(
            f"| {m['name']}{failed} | {_fmt(m.get('seconds'))} | {_fmt(m['wall_seconds'])} | "
            f"{_fmt(m['peak_rss_mib'], 0)} | {_fmt(m.get('rows_read'))} | "
            f"{_fmt(m.get('rows_written'))} | {_fmt(m.get('load_average'))} | "
            f"{'; '.join(v for v in verdicts if v)} |"
        )
    lines.append("")
    for name, ratio in results.get("ratios", {}).items():
        verdict = goals.verdict(goals.time_goal(size, name), ratio.get("value"))
        lines.append(f"- {name}: {_fmt(ratio.get('value'))}x ({ratio['detail']}) {verdict}")
    for note in results.get("notes", []):
        lines.append(f"- {note}")
    return "\n".join(lines) + "\n"


def _shape_lines(results: dict) -> list[str]:
    shape = results.get("dataset", {}).get("shape") or {}
    if not shape:
        return []
    return ["Shape: " + "; ".join(f"{k} {v:,g}" for k, v in shape.items()) + ".", ""]


def _dataset_line(results: dict) -> str:
    data = results.get("dataset", {})
    rows = data.get("rows", {})
    parts = [
        f"Dataset: {results['size']}, seed {results['seed']}, as of {results['as_of']}",
        f"{sum(rows.values()):,} rows" if rows else "",
        f"{rows.get('staff_member', 0):,} staff records (in post and left)",
        f"{rows.get('supervision_session', 0):,} sessions",
        f"{rows.get('case_allocation', 0):,} case allocations",
        f"{rows.get('case_supervision', 0):,} case supervisions",
    ]
    load = data.get("seconds")
    if load:
        parts.append(
            "generated and loaded with COPY in "
            f"{load.get('generate_and_copy', 0):.0f} s (+ {load.get('vacuum_analyze', 0):.0f} s "
            "VACUUM ANALYZE)"
        )
    return "; ".join(p for p in parts if p) + "."


def write(results: dict, results_dir: Path = RESULTS) -> tuple[Path, str]:
    """Save the JSON and append the markdown section; returns the JSON path and the section."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{results['size']}.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    section = markdown(results)
    readme = results_dir / "README.md"
    if not readme.exists():
        readme.write_text(
            "# Benchmark results\n\nEach run of `python -m bench.measure` appends a section "
            "(newest last); `<size>.json` here holds the latest figures of each size. What "
            "each figure means: ../README.md.\n\n",
            encoding="utf-8",
        )
    with readme.open("a", encoding="utf-8") as out:
        out.write("\n" + section)
    return path, section
