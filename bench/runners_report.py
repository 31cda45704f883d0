"""bench/runners.py's results as a line per trial and a markdown page."""

from __future__ import annotations


def _per_runner(values: dict) -> str:
    return ", ".join(f"{name}: {value:,}" for name, value in values.items()) or "-"


def summary_line(t: dict) -> str:
    exit_note = "timed out" if t["timed_out"] else f"exit {t['returncode']}"
    return (
        f"{t['runners']} runner(s): {t['wall_seconds']:,.1f} s ({exit_note}); "
        f"{t['flow_runs']} flow runs, per runner {_per_runner(t['runs_per_runner'])}; "
        f"{t['units']:,} units in {t['batches']:,} batches; states {t['states']}; "
        f"human_task rows {t['fingerprint']['tables']['human_task']['rows']:,}; "
        f"fingerprint {t['fingerprint']['sha256'][:12]}; load {t['load_average_after']}"
    )


def _machine_line(m: dict) -> str:
    load = ", ".join(f"{x:g}" for x in m["load_average"])
    dirty = " with uncommitted changes" if m.get("uncommitted_changes") else ""
    return (
        f"{m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB RAM, {m['uname_m']}, "
        f"Linux {m['kernel']}, PostgreSQL {m.get('postgresql_server_version', '?')}, "
        f"Python {m['python']}; load average {load} (1, 5, 15 min) as the run ended; "
        f"code {m['commit']}{dirty}; {m['time']}"
    )


def _row(t: dict, equal: dict, organisations: int) -> str:
    same = equal.get(f"{t['runners']} runner(s)")
    exit_note = "timed out" if t["timed_out"] else ("" if t["returncode"] == 0 else "failed")
    return (
        f"| {t['runners']} | {organisations} | {t['units']:,} | {t['batches']:,} | "
        f"{t['wall_seconds']:,.1f}{' ' + exit_note if exit_note else ''} | "
        f"{_per_runner(t['runs_per_runner'])} | "
        f"{_per_runner(t['peak_concurrent_runs_per_runner'])} | "
        f"{_per_runner(t['peak_memory_mib_per_runner'])} | "
        f"{t['peak_connections_to_database']} ({t['peak_connections_to_server']}) | "
        f"{'yes' if same else 'NO'} | "
        f"{t['load_average_before']:g} / {t['load_average_after']:g} |"
    )


def _fingerprint_lines(results: dict) -> list[str]:
    lines = ["| runners | table | rows | sha256 |", "|---:|---|---:|---|"]
    for t in results["trials"]:
        for table, fp in t["fingerprint"]["tables"].items():
            lines.append(f"| {t['runners']} | {table} | {fp['rows']:,} | `{fp['sha256'][:16]}` |")
    return lines


def _notes(results: dict) -> list[str]:
    notes = []
    for t in results["trials"]:
        entry = " ".join(t["runner_entry"])
        refused = _per_runner(t["claims_refused_by_the_server"])
        others = "; ".join(f"{k}: {v}" for k, v in t["other_flow_runs"].items()) or "none"
        notes.append(
            f"- {t['runners']} runner(s): code {t['code']}"
            + (
                f" (changed to {t['code_after']} during the trial)"
                if t["code_after"] != t["code"]
                else ""
            )
            + f"; runner command `python {entry}`; Prefect's server and "
            f"runners ready in {t['startup_seconds']:.1f} s (not in the wall time); states of "
            f"the one-organisation runs {t['states']}; claims the server refused (a run "
            f"another runner had taken) {refused}; organisations run more than once "
            f"{t['organisations_with_more_than_one_run'] or 'none'}; other flow runs the "
            f"runners ran meanwhile: {others}; escalation mails caught {t['mails_caught']:,}; "
            f"Prefect's server logged {t['prefect_server_errors']:,} errors "
            f"({t['prefect_server_database_locked']:,} 'database is locked'); "
            f"max_connections {t['max_connections']}; processes under each runner at most "
            f"{_per_runner(t['peak_processes_per_runner'])}."
        )
    return notes


def markdown(results: dict) -> str:
    trials = results["trials"]
    organisations = results["dataset"].get("organisations", 0)
    equal = results["same_tables"]["equal"]
    limit = results.get("runner_limit")
    lines = [
        "# One runner against two on one database",
        "",
        f"Database `{results['database_url']}`: {organisations} organisations, "
        f"{results['dataset'].get('staff_in_post', 0):,} staff in post, "
        f"{results['dataset'].get('open_cases', 0):,} open cases; every organisation "
        f"reconciled as of {results['as_of']} from empty derived state by "
        "`python -m flows.every_organisation` against the served deployments"
        + (f", each runner limited to {limit} flow runs at once" if limit else "")
        + f"; Prefect's server on {results.get('prefect_database', 'SQLite')}.",
        "",
        f"Machine: {_machine_line(results['machine'])}.",
        "",
        "| runners | organisations | units | batches | wall time (s) | flow runs per runner "
        "| most runs at once per runner | peak memory per runner (MiB) "
        "| peak PostgreSQL connections: database (server) "
        f"| same tables as {results['same_tables']['reference']} | load before / after |",
        "|---:|---:|---:|---:|---:|---|---|---|---:|---|---|",
        *[_row(t, equal, organisations) for t in trials],
        "",
        "Tables compared (human_task without ids and clock times, reconcile_wake, "
        "reconcile_watermark):",
        "",
        *_fingerprint_lines(results),
        "",
        *_notes(results),
    ]
    return "\n".join(lines) + "\n"
