"""The inspection evidence pack on the command line:

    oversight evidence --organisation SLUG --from YYYY-MM-DD --to YYYY-MM-DD
                       [--area NAME] --out DIR

writes the zip into DIR, records its production in the audit log (by "the
command line") and prints its path. Bad input gets one line on stderr saying
what is wrong, exit status 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select

from models.base import utcnow
from models.db import get_sessionmaker
from models.reports.evidence import EvidenceError, day_range, pack_scope, produce
from models.reports.window import PeriodError
from models.reports.workbook import ReportError, organisation_by_slug
from models.tables.org import ServiceArea

ACTOR = "cli"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise EvidenceError(f"{self.prog}: {message}")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="oversight evidence", description="Write the inspection evidence pack.")
    p.add_argument("--organisation", required=True, help="the organisation's slug")
    p.add_argument("--from", dest="starts_on", required=True, help="the first day, YYYY-MM-DD")
    p.add_argument("--to", dest="ends_on", required=True, help="the last day, YYYY-MM-DD")
    p.add_argument("--area", help="one service area's name (default: the whole organisation)")
    p.add_argument("--out", required=True, type=Path, help="the folder to write into")
    return p


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise EvidenceError(f"{option} must be a date, YYYY-MM-DD (got {text!r}).") from None


def run(args) -> Path:
    period = day_range(_day("--from", args.starts_on), _day("--to", args.ends_on))
    factory = get_sessionmaker()
    with factory() as session:
        org = organisation_by_slug(session, args.organisation)
        area_id = None
        if args.area:
            area_id = session.scalars(
                select(ServiceArea.id).where(
                    ServiceArea.organisation_id == org.id, ServiceArea.name == args.area
                )
            ).first()
            if area_id is None:
                raise EvidenceError(f"No service area named {args.area!r} in {org.name}.")
        scope = pack_scope(session, org.id, area_id)
    pack = produce(
        factory, scope, period, actor_user_id=None, actor=ACTOR, by="the command line",
        now=utcnow(),
    )  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / pack.name
    path.write_bytes(pack.content)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        path = run(args)
    except (EvidenceError, ReportError, PeriodError) as error:
        print(f"oversight evidence: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"oversight evidence: cannot write: {error.strerror}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
