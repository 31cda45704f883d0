"""Export an organisation's facts from the tables as the command line's facts
file (policy/README.md), so the workforce team can run

    python -m models.engine.facts_export --organisation demo --out facts.json
    python -m policy obligations --profile lancashire --facts facts.json --as-of 2026-11-23

and get what the database-backed reconcile computes: the same
facts give the same answer both ways. The file reads
back through policy.facts_from_json to the same Facts as load_facts."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db import get_sessionmaker
from models.engine.facts_loader import load_facts
from models.tables.org import Organisation
from policy.facts import Facts


def facts_to_json(facts: Facts) -> dict:
    """Facts as the facts-file object: every section, every field, dates as YYYY-MM-DD."""
    return {
        f.name: [_item(fact) for fact in getattr(facts, f.name)]
        for f in dataclasses.fields(Facts)
        if f.name != "extra"
    }


def _item(fact) -> dict:
    return {f.name: _value(getattr(fact, f.name)) for f in dataclasses.fields(fact)}


def _value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    return value


def export_facts(session: Session, organisation_id: int) -> dict:
    return facts_to_json(load_facts(session, organisation_id))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m models.engine.facts_export",
        description="Write an organisation's facts as a facts file for `oversight obligations`.",
    )
    parser.add_argument("--organisation", required=True, help="the organisation's slug")
    parser.add_argument("--out", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    with get_sessionmaker()() as session:
        org_id = session.scalar(
            select(Organisation.id).where(Organisation.slug == args.organisation)
        )
        if org_id is None:
            slugs = list(session.scalars(select(Organisation.slug).order_by(Organisation.slug)))
            print(
                f"facts_export: error: --organisation: no organisation with slug "
                f"{args.organisation!r}; known: {slugs}",
                file=sys.stderr,
            )
            return 2
        text = json.dumps(export_facts(session, org_id), indent=2) + "\n"
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(
                f"facts_export: error: --out: cannot write {args.out!r}: {exc.strerror}",
                file=sys.stderr,
            )
            return 2
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
