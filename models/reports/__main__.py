"""The monthly supervision report on the command line:

    python -m models.reports --organisation SLUG --month YYYY-MM --out DIR [--as-of YYYY-MM-DD]

writes the workbook and a CSV per figure into DIR and prints the paths. Bad
input gets one line on stderr saying what is wrong, exit status 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from models.base import utcnow
from models.db import get_sessionmaker
from models.reports.window import PeriodError, ReportScope, month_period
from models.reports.workbook import ReportError, build_report, organisation_by_slug, write_report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="oversight report", description="Write the monthly supervision report."
    )
    p.add_argument("--organisation", required=True, help="the organisation's slug")
    p.add_argument("--month", required=True, help="the month, YYYY-MM")
    p.add_argument("--out", required=True, type=Path, help="the folder to write into")
    p.add_argument("--as-of", help="the day the figures are seen as of (default: month end)")
    return p


def run(organisation: str, month: str, out: Path, as_of: str | None = None) -> list[Path]:
    """Build and write one organisation's report for a month; ReportError or
    PeriodError when the input cannot be reported on."""
    try:
        seen_on = date.fromisoformat(as_of) if as_of else None
    except ValueError as error:
        raise ReportError(f"--as-of must be a date, YYYY-MM-DD (got {as_of!r}).") from error
    period = month_period(month, seen_on)
    with get_sessionmaker()() as session:
        org = organisation_by_slug(session, organisation)
        report = build_report(
            session, ReportScope(org.id, "the whole organisation"), period, utcnow()
        )
    return write_report(report, out)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        written = run(args.organisation, args.month, args.out, args.as_of)
    except (ReportError, PeriodError) as error:
        print(f"oversight report: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"oversight report: cannot write to {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
