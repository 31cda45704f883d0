"""Run one lifecycle flow once from the command line, e.g.

    python -m flows.agreement_lifecycle --relationship 42 --as-of 2026-12-01

Without PREFECT_API_URL, Prefect starts a temporary local server for the run."""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Sequence
from datetime import date

from prefect import Flow

# Command-line option -> flow parameter, offered when the flow takes that parameter.
_SUBJECT_OPTIONS = {
    "--organisation": ("organisation_id", int, "run for this one organisation only"),
    "--relationship": ("relationship_id", int, "run for this one supervision relationship only"),
    "--staff": ("staff_id", int, "run for this one member of staff only"),
    "--case": ("case_ref", str, "run for this one child's case only (its case ID)"),
}


def build_parser(flow: Flow) -> argparse.ArgumentParser:
    accepted = inspect.signature(flow.fn).parameters
    parser = argparse.ArgumentParser(description=flow.name)
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="judge as of this day, YYYY-MM-DD (default: today in Europe/London)",
    )
    for option, (parameter, kind, text) in _SUBJECT_OPTIONS.items():
        if parameter in accepted:
            parser.add_argument(option, dest=parameter, type=kind, metavar="ID", help=text)
    return parser


def parameters_from_args(flow: Flow, argv: Sequence[str] | None = None) -> dict:
    args = vars(build_parser(flow).parse_args(argv))
    return {name: value for name, value in args.items() if value is not None}


def run_from_command_line(flow: Flow, argv: Sequence[str] | None = None) -> None:
    result = flow(**parameters_from_args(flow, argv))
    for counts in result if isinstance(result, list) else [result]:
        if hasattr(counts, "lifecycle"):
            print(
                f"organisation {counts.organisation_id}, {counts.lifecycle}: "
                f"{counts.created} created, {counts.completed} completed, "
                f"{counts.cancelled} cancelled, {counts.escalated} escalated, "
                f"{counts.open_total} open"
            )
        else:
            print(counts)
