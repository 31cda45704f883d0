"""`oversight export cases`: an organisation's case supervision entries for a
date range, as the CSV a case system's bulk upload takes.

    oversight export cases --organisation SLUG --from YYYY-MM-DD --to YYYY-MM-DD
        [--mapping NAME|PATH] --out FILE

DATABASE_URL selects the database. The export is audited against each
allocated worker whose entries it holds. A bad argument, an unknown
organisation or layout, or an end before the start: one line on stderr
naming it, exit status 2, and no file written."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from models.db import get_sessionmaker
from models.exports import mapping as layouts
from models.exports.cases import (
    CaseExport,
    ExportError,
    export_case_supervision,
    organisation_by_slug,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        print(f"oversight export: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-30") from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="oversight export", description="Export case supervision entries.")
    parser.add_argument("what", choices=("cases",))
    parser.add_argument("--organisation", required=True, help="the organisation's slug")
    parser.add_argument("--from", dest="first", required=True, type=_day, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, type=_day, help="YYYY-MM-DD")
    parser.add_argument(
        "--mapping",
        default=layouts.DEFAULT,
        help=f"a layout's name ({', '.join(layouts.available())}) or a YAML file",
    )
    parser.add_argument("--out", required=True, type=Path, help="the CSV file to write")
    return parser


def _write(path: Path, lines) -> int:
    """Write the lines; how many rows under the header."""
    rows = -1
    with path.open("w", encoding="utf-8", newline="") as out:
        for line in lines:
            out.write(line)
            rows += 1
    return rows


def export_main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    factory = get_sessionmaker()
    try:
        mapping = layouts.load(args.mapping)
        with factory() as session:
            organisation_id = organisation_by_slug(session, args.organisation)
        export = CaseExport(organisation_id, args.first, args.last)
        export.check()
    except (layouts.ExportMappingError, ExportError) as error:
        print(f"oversight export: {error}", file=sys.stderr)
        return 2
    # Written beside the target and renamed, so a failed run leaves no half file.
    partial = args.out.with_name(f".{args.out.name}.partial")
    try:
        rows = _write(partial, export_case_supervision(export, mapping, session_factory=factory))
    except OSError as error:
        partial.unlink(missing_ok=True)
        print(f"oversight export: {args.out}: cannot be written: {error.strerror}", file=sys.stderr)
        return 2
    os.replace(partial, args.out)
    print(f"Exported {rows} case supervision entries to {args.out} ({mapping.description}).")
    return 0
