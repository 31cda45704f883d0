"""The capacity what-if on the command line:

    oversight capacity --profile NAME [--compare OTHER] --facts FILE [--as-of YYYY-MM-DD]

prints, for each team and the organisation, the supervisor hours a month the
profile demands over the facts against the supervisors' contracted hours,
and with --compare the other profile's demand over the same facts and the
difference. Bad input gets one line on stderr saying what is wrong, exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from models.reports.capacity import ALLOWANCES, Capacity, capacity, side_by_side
from policy.cli import UsageError
from policy.facts_json import FactsError, facts_from_json, parse_int, strict_date
from policy.profile import ProfileError, load_profile


def read_facts(path: str) -> dict:
    """The facts file's JSON (- for stdin), or a UsageError saying what is wrong."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read facts file {path!r}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text, parse_int=parse_int)
    except (json.JSONDecodeError, RecursionError) as error:
        raise UsageError(f"{path}: not valid JSON: {error}") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message}")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="oversight capacity",
        description="Supervisor hours a policy profile demands a month, by team.",
    )
    p.add_argument("--profile", required=True, help="the policy profile, e.g. lancashire")
    p.add_argument("--compare", help="another profile over the same facts")
    p.add_argument("--facts", required=True, help="the facts file (JSON), or - for stdin")
    p.add_argument("--as-of", help="the day the cadence is read on (default: today)")
    return p


def run(profile: str, facts_path: str, compare: str | None, as_of: date) -> list[str]:
    first_profile = load_profile(profile)
    other_profile = load_profile(compare) if compare else None
    facts = facts_from_json(read_facts(facts_path), first_profile)
    first = capacity(first_profile, facts, as_of)
    other = capacity(other_profile, facts, as_of) if other_profile else None
    return table_lines(first, other)


def table_lines(first: Capacity, other: Capacity | None) -> list[str]:
    head = ["Team", "Contracted h/month", f"Demand h/month ({first.profile})"]
    if other:
        head += [f"Demand h/month ({other.profile})", "Difference"]
    lines = ["\t".join(head)]
    rows = side_by_side(first, other)
    for row in rows:
        cells = [row.team or "No team", f"{row.contracted:.1f}", f"{row.demand:.1f}"]
        if other:
            cells += [f"{row.other:.1f}", f"{row.difference:+.1f}"]
        lines.append("\t".join(cells))
    demand, contracted = first.total()
    total = ["Whole organisation", f"{contracted:.1f}", f"{demand:.1f}"]
    if other:
        total += [f"{other.total()[0]:.1f}", f"{other.total()[0] - demand:+.1f}"]
    lines.append("\t".join(total))
    lines.append(f"As of {first.as_of.isoformat()}. Allowances: {ALLOWANCES}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        as_of = strict_date(args.as_of, "--as-of", UsageError) if args.as_of else date.today()
        lines = run(args.profile, args.facts, args.compare, as_of)
    except (UsageError, ProfileError, FactsError) as error:
        print(f"oversight capacity: {error}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
