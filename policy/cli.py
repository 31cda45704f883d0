"""The command line the workforce team scripts against:

    oversight obligations --profile NAME --facts FILE --as-of YYYY-MM-DD [--history-since DAY]
    oversight explain --profile NAME [--as-of YYYY-MM-DD]
    oversight diff PROFILE_A PROFILE_B
    oversight diff PROFILE --from VERSION --to VERSION

`obligations` prints a JSON array of what is open on the day (and, with
--history-since, what was met among the obligations that opened since then),
computed by the frontier engine one unit at a time; on bad input it prints one
clear error to stderr, exits non-zero and prints nothing else."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import textwrap
from datetime import date
from pathlib import Path

from policy.collector import older_objects_frozen
from policy.dates import long_date
from policy.diff import diff_text
from policy.engine import LIFECYCLES
from policy.facts import Facts
from policy.facts_json import FactsError, facts_from_json, parse_int, strict_date
from policy.frontier import compute_frontier
from policy.obligations import Obligation
from policy.profile import Profile, ProfileError, available_profiles, load_profile
from policy.versions import find_version, in_force, versions_of

OUTPUT_FIELDS = (
    "key",
    "kind",
    "lifecycle",
    "subject",
    "assignee",
    "assignee_role",
    "opens_on",
    "due",
    "status",
    "rule",
    "source",
    "rule_text",
    "met_on",
    "escalates",
)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="oversight", description="Supervision obligations from policy.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    obligations = commands.add_parser("obligations", help="print what is owed, as JSON")
    obligations.add_argument("--profile", required=True, help=f"one of {available_profiles()}")
    obligations.add_argument("--facts", required=True, help="facts JSON file ('-' for stdin)")
    obligations.add_argument("--as-of", required=True, help="YYYY-MM-DD")
    obligations.add_argument(
        "--lifecycle", action="append", choices=list(LIFECYCLES), help="only these (repeatable)"
    )
    obligations.add_argument(
        "--history-since",
        metavar="YYYY-MM-DD",
        help="also print the met obligations that opened on or after this day",
    )
    explain = commands.add_parser("explain", help="print a profile's rules and citations")
    explain.add_argument("--profile", required=True, help=f"one of {available_profiles()}")
    explain.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="explain the version in force that day (today)"
    )
    diff = commands.add_parser(
        "diff", help="what changes, rule by rule, between two councils or two versions"
    )
    diff.add_argument("profiles", nargs="+", metavar="PROFILE", help="one council, or two")
    diff.add_argument("--from", dest="from_version", metavar="VERSION")
    diff.add_argument("--to", dest="to_version", metavar="VERSION")
    return parser


def _read_text(path: str) -> str:
    """The file as text. A file is decoded as it is read, so its bytes and its
    text are never held at once (a facts file with years of history runs to
    tens of megabytes); only to name a bad byte is it read again as bytes."""
    try:
        if path != "-":
            # Not UTF-8: read below as bytes, to name the bad byte.
            with (
                contextlib.suppress(UnicodeDecodeError),
                open(path, encoding="utf-8", newline="") as file,
            ):
                return file.read()
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read facts file {path!r}: {exc.strerror}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start})"
        ) from None


def _read_facts(path: str) -> dict:
    text = _read_text(path)
    try:
        return json.loads(text, parse_int=parse_int)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not valid JSON: {exc}") from None
    except RecursionError:
        raise UsageError(f"{path}: not valid facts: JSON nested too deeply") from None


def _day(option: str, text: str) -> date:
    return strict_date(text, option, UsageError)


def obligations_json(
    profile: Profile, facts: Facts, as_of: date, lifecycles=None, since: date | None = None
) -> list[dict]:
    with older_objects_frozen():
        owed = compute_frontier(profile, facts, as_of, lifecycles=lifecycles, since=since)
        return [obligation_output(ob) for ob in owed]


def obligation_output(ob: Obligation) -> dict:
    """What the command line prints for one obligation: OUTPUT_FIELDS, and
    `note` only when there is one."""
    data = ob.as_json()
    shown = {name: data[name] for name in OUTPUT_FIELDS}
    if ob.note:
        shown["note"] = ob.note
    return shown


def explain_table(profile: Profile) -> str:
    lines = [profile.title, f"Source: {profile.source_file}", ""]
    width = max(len(rule.id) for rule in profile.rules)
    for rule in profile.rules:
        params = ", ".join(
            f"{k}={_show(v)}" for k, v in rule.params.items() if k not in ("steps", "stages")
        )
        lines.append(f"{rule.id.ljust(width)}  {params}".rstrip())
        for item in rule.params.get("stages", ()):
            lines.append(" " * (width + 2) + ", ".join(f"{k}={v}" for k, v in item.items()))
        for step in rule.params.get("steps", ()):
            lines.append(
                " " * (width + 2)
                + f"after {step['after']}: {step['who']} (within {step['respond_within']})"
                + f" [{step['source']}]"
            )
        lines.append(" " * (width + 2) + f"[{rule.source}]")
        for para in (rule.text, *(("Reading: " + rule.note,) if rule.note else ())):
            lines += textwrap.wrap(
                para, 100, initial_indent=" " * (width + 2), subsequent_indent=" " * (width + 2)
            )
        lines.append("")
    return "\n".join(lines)


def versions_table(profile: Profile, as_of: date) -> str:
    """The council's versions of its policy, and which is in force on as_of."""
    current = in_force(profile, as_of)
    lines = ["Versions:"]
    for version in versions_of(profile):
        mark = f"  <- in force on {long_date(as_of)}" if version is current else ""
        lines.append(
            f"  {version.version}: from {long_date(version.effective_from)}"
            f" ({version.title}; {version.source_file}){mark}"
        )
        if version.version_note:
            lines += textwrap.wrap(
                "Reading: " + version.version_note,
                100,
                initial_indent=" " * 4,
                subsequent_indent=" " * 4,
            )
    return "\n".join(lines)


def _explain(profile: Profile, day: str | None) -> str:
    as_of = _day("--as-of", day) if day else date.today()
    current = in_force(profile, as_of)
    return versions_table(profile, as_of) + "\n\n" + explain_table(current)


def _diff(args) -> str:
    """Two councils (their latest versions), or one council's two versions."""
    versions = (args.from_version, args.to_version)
    if len(args.profiles) == 2 and versions == (None, None):
        return diff_text(load_profile(args.profiles[0]), load_profile(args.profiles[1]))
    if len(args.profiles) == 1 and None not in versions:
        council = load_profile(args.profiles[0])
        return diff_text(find_version(council, versions[0]), find_version(council, versions[1]))
    raise UsageError(
        "diff: give two profiles (diff PROFILE_A PROFILE_B) or one profile and two"
        " versions (diff PROFILE --from VERSION --to VERSION)"
    )


def _show(value) -> str:
    return "[" + ", ".join(map(str, value)) + "]" if isinstance(value, tuple) else str(value)


def _obligations(args) -> list[dict]:
    """The `obligations` command's output. The parsed file is let go as its
    facts are read, and the facts once the obligations are worked out: the
    file may hold years of history, and only what is owed is printed."""
    profile = load_profile(args.profile)
    as_of = _day("--as-of", args.as_of)
    since = _day("--history-since", args.history_since) if args.history_since else None
    facts = facts_from_json(_read_facts(args.facts), profile, consume=True)
    return obligations_json(profile, facts, as_of, args.lifecycle, since)


def _write_json(value) -> None:
    """Written as it is encoded, some thousands of pieces at a time: a council's
    open obligations run to tens of MB, and one write a piece is slow."""
    pieces: list[str] = []
    for piece in json.JSONEncoder(indent=2).iterencode(value):
        pieces.append(piece)
        if len(pieces) == 8192:
            sys.stdout.write("".join(pieces))
            pieces.clear()
    sys.stdout.write("".join(pieces) + "\n")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command == "diff":
            output = _diff(args)
        elif args.command == "explain":
            output = _explain(load_profile(args.profile), args.as_of)
        else:
            output = _obligations(args)
    except (UsageError, ProfileError, FactsError) as exc:
        print(f"oversight: error: {exc}", file=sys.stderr)
        return 2
    try:
        if isinstance(output, str):
            print(output)
        else:
            _write_json(output)
        sys.stdout.flush()
    except BrokenPipeError:
        # Piped into `head` or the like: the reader has what it wanted.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
