"""Run one lifecycle flow once from the command line, e.g.

    python -m flows.agreement_lifecycle --relationship 42 --as-of 2026-12-01

Without PREFECT_API_URL, Prefect starts a temporary local server for the run."""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Sequence
from datetime import date

from prefect import Flow

from flows.subjects import AS_OF_HELP, ORGANISATION, SUBJECTS


def build_parser(flow: Flow) -> argparse.ArgumentParser:
    accepted = inspect.signature(flow.fn).parameters
    parser = argparse.ArgumentParser(description=flow.name)
    parser.add_argument("--as-of", type=date.fromisoformat, help=AS_OF_HELP)
    # A subject's option is offered when the flow takes its parameter.
    for subject in (ORGANISATION, *SUBJECTS):
        if subject.parameter in accepted:
            parser.add_argument(
                subject.option,
                dest=subject.parameter,
                type=subject.type,
                metavar="ID",
                help=subject.help,
            )
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
