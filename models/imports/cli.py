"""The `oversight` command: `oversight import ...` is here, `oversight report
...` is the monthly report's (models/reports/__main__.py), `capacity` and
`evidence` the what-if's and the inspection pack's (models/reports/), `oversight export
...` the case-system export's (models/exports/cli.py), every other
subcommand is the policy engine's (policy/cli.py). The console script starts
here because policy/ may not import models/ (the layers), while models/ may
import policy/.

    oversight import staff|relationships|cases --organisation SLUG --file F
        [--mapping NAME|PATH] [--dry-run] [--partial] [--as-of YYYY-MM-DD]

DATABASE_URL selects the database. Prints the preview (what would be new,
changed, leaving, reallocated, unchanged) and, without --dry-run, imports.
Any bad row: each is printed with file, row and column, nothing changes and
the exit status is 2 (with --partial the good rows are imported)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from models.actions.admin_imports import KINDS
from models.imports import mapping as mappings
from models.imports.importer import ImportReport, import_file
from policy import cli as policy_cli


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        print(f"oversight import: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="oversight import", description="Import staff, relationships or cases.")
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--organisation", required=True, help="the organisation's slug")
    parser.add_argument("--file", required=True, type=Path, help="a CSV or XLSX export")
    parser.add_argument(
        "--mapping",
        help=f"a mapping's name ({', '.join(mappings.available())}) or a YAML file; "
        "default oversight_<kind>",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the preview only")
    parser.add_argument("--partial", action="store_true", help="import the good rows")
    parser.add_argument("--as-of", type=date.fromisoformat, help="the day (default today)")
    return parser


def _progress(rows: int) -> None:
    print(f"  {rows} rows read", file=sys.stderr, flush=True)


def _reconcile_progress(done: int, total: int) -> None:
    """A large file's reconcile, once its rows have committed (bench/imports.py
    times the two apart by the first of these lines)."""
    if done == 0:
        print(
            f"  rows applied; reconciling what they touched ({total} units)",
            file=sys.stderr,
            flush=True,
        )
    else:
        print(f"  {done} of {total} reconciled", file=sys.stderr, flush=True)


def print_report(report: ImportReport, out=None, err=None) -> None:
    out, err = out or sys.stdout, err or sys.stderr
    for line in report.problems:
        print(line, file=err)
    if report.outcome is None:
        return
    print(report.summary(), file=out)
    for label, n in report.counts():
        print(f"  {label}: {n}", file=out)
    for line in report.changes():
        print(f"  {line}", file=out)
    if report.problems and not report.applied:
        print(
            "Nothing was changed. Correct the rows above, or import the good rows with --partial.",
            file=err,
        )


def _today() -> date:
    """Europe/London's today, or OVERSIGHT_TODAY (as the launcher's --today sets it)."""
    fixed = os.environ.get("OVERSIGHT_TODAY")
    return date.fromisoformat(fixed) if fixed else datetime.now(ZoneInfo("Europe/London")).date()


def import_main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    report = import_file(
        args.kind,
        args.file,
        on=args.as_of or _today(),
        mapping_name=args.mapping,
        organisation_slug=args.organisation,
        dry_run=args.dry_run,
        partial=args.partial,
        progress=_progress,
        reconcile_progress=_reconcile_progress,
    )
    print_report(report)
    return report.exit_status


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["import"]:
        return import_main(argv[1:])
    if argv[:1] == ["export"]:
        from models.exports.cli import export_main

        return export_main(argv[1:])
    if argv[:1] == ["evidence"]:
        from models.reports.evidence_cli import main as evidence_main

        return evidence_main(argv[1:])
    if argv[:1] == ["capacity"]:
        from models.reports.capacity_cli import main as capacity_main

        return capacity_main(argv[1:])
    if argv[:1] == ["report"]:
        from models.reports.__main__ import main as report_main

        return report_main(argv[1:])
    return policy_cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
