"""Dates that people read (refusals, flash messages, audit details, run
reports, cover reasons, export titles) are written "7 December 2026" by the
one helper, policy.dates.long_date (webapp/dates.py's filters use it), never
as an ISO string. An ISO date stays only where a machine reads it: keys,
file names, event payloads, identifiers and command-line logs, listed here."""

from __future__ import annotations

import re

from tests.source import PRODUCT, name_of, sources

# An f-string that writes a date with isoformat() into its text.
ISO_IN_TEXT = re.compile(r"""\bf["'][^"']*\{[^{}]*\.isoformat\(\)\}""")

# Where an ISO date is read by a machine, not a person: file, and what is built.
MACHINE_READ = {
    "webapp/calendar/routes.py": "an .ics file name",
    "models/actions/mail.py": "the digest's idempotency key",
    "models/exports/person_file.py": "a folder name",
    "models/engine/outbox.py": "an event id",
    "models/engine/lifecycle_runs.py": "a run's description in the worker's log",
    "models/actions/schedule_runs.py": "a failure line in the worker's log",
    "policy/rules/oversight.py": "the engine's note in the command line's JSON",
    "policy/rules/recording.py": "the engine's note in the command line's JSON",
    "policy/rules/missed_sessions.py": "the engine's note in the command line's JSON",
    "models/reports/capacity_cli.py": "a command line's console report",
}

# Files with an audit detail written in ISO (none left).
ISO_TODAY: set[str] = set()


def test_no_date_a_person_reads_is_an_iso_string():
    found = {
        f"{name_of(path)}:{number}": line.strip()
        for path in sources(*PRODUCT)
        if name_of(path) not in MACHINE_READ and name_of(path) not in ISO_TODAY
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ISO_IN_TEXT.search(line)
    }
    assert found == {}, "write the date with policy.dates.long_date"


def test_the_one_date_helper_writes_dates_as_govuk_does():
    from datetime import date

    from policy.dates import long_date

    assert long_date(date(2026, 12, 7)) == "7 December 2026"
    assert long_date(None) == ""


# A date printed raw in a template: "{{ row.held_on }}" (form fields draw boxes).
RAW_DATE_IN_TEMPLATE = re.compile(r"\{\{\s*(?!form\.)[\w.]*(_on|_at|as_of)\s*\}\}")


def test_no_template_prints_a_date_without_the_date_filter():
    from tests.source import ROOT

    found = {
        f"{path.relative_to(ROOT)}:{number}": line.strip()
        for path in sorted((ROOT / "webapp").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if RAW_DATE_IN_TEMPLATE.search(line)
    }
    assert found == {}, "print dates with | long_date"


def test_the_pages_date_filter_reads_a_date_kept_as_iso_text():
    from datetime import date

    from webapp.dates import long_date

    assert long_date("2026-03-02") == "2 March 2026"
    assert long_date(date(2026, 3, 2)) == "2 March 2026"
    assert long_date("") == ""
