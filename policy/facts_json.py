"""Reading a facts file (the command line's `--facts`) into Facts.
Every problem names the item and field ("staff[3].role: unknown role ...") so
the workforce team can fix their export without reading code.

Fields are read from the fact dataclasses themselves, so an optional field
added to policy/facts.py is accepted here with no second list to keep in step."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import re
import reprlib
import unicodedata
from datetime import date
from typing import Any

import policy.facts as _facts
from policy.facts import (
    CASE_CATEGORIES,
    CASE_ID_FORMAT,
    CASE_TYPES,
    DECISION_SETTINGS,
    EMPLOYMENT_TYPES,
    GROUP_PARTIES,
    OBSERVATION_KINDS,
    RELATIONSHIP_REASONS,
    ROLES,
    SESSION_KINDS,
    Agreement,
    Case,
    Decision,
    Facts,
    GroupSignatory,
    HoursWorked,
    Observation,
    Relationship,
    Session,
    Staff,
)
from policy.facts_checks import FactsError, check_consistency
from policy.profile import Profile

SECTIONS: dict[str, type] = {
    "staff": Staff,
    "relationships": Relationship,
    "agreements": Agreement,
    "sessions": Session,
    "cases": Case,
}
# Extra sections the engine understands (absences, observations, ...): every
# dataclass in policy.facts named in Facts' fields beyond the five above.
CHOICES: dict[tuple[type, str], tuple[str, ...]] = {
    (Staff, "role"): ROLES,
    (Staff, "employment"): EMPLOYMENT_TYPES,
    (Relationship, "reason"): RELATIONSHIP_REASONS,
    (Case, "type"): CASE_TYPES,
    (Case, "category"): CASE_CATEGORIES,
    (Decision, "made_in"): DECISION_SETTINGS,
    (Session, "kind"): SESSION_KINDS,
    (Observation, "kind"): OBSERVATION_KINDS,
    (GroupSignatory, "party"): GROUP_PARTIES,
}
STAFF_REFERENCES = {
    "line_manager",
    "supervisor",
    "supervisee",
    "worker",
    "staff",
    "observer",
    "by",
    "sampled_by",
    "audited_by",
    "owner",
}

# Fields holding an id, or a reference to one: an id becomes part of obligation
# keys, whose parts a colon separates (policy/keys.py).
ID_FIELDS = {"id", "team", "group", "relationship", "case", *STAFF_REFERENCES}

# The days the engine computes over: a date outside them (year 1, year 9999) is
# a typing slip, and month arithmetic on it would run off the calendar.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
STRICT_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Whole numbers a field may hold, where its meaning limits them; every other
# whole number is at least 1 and at most MOST.
WHOLE_NUMBERS: dict[tuple[type, str], tuple[int, int]] = {
    # No document lets a frequency be recorded looser than 6 months (26 weeks);
    # a year is the outer bound without a profile, which checks the document's own.
    (Agreement, "frequency_weeks"): (1, 52),
    (Case, "frequency_weeks"): (1, 52),
    # A session's length in minutes: a whole working day at most.
    (Session, "duration_minutes"): (1, 24 * 60),
}
MOST = 1_000_000
# Fields written in words, where line breaks and tabs are part of the text;
# every other string (ids, choices) holds no control character at all.
FREE_TEXT = {"variation_reason"}
FREE_TEXT_CONTROLS = "\n\r\t"
# The most a number of hours can be, and over what: hours worked on one day,
# hours contracted a week (full time is 37; a zero-hours contract is 0).
MOST_HOURS: dict[tuple[type, str], tuple[float, str]] = {
    (HoursWorked, "hours"): (24.0, "a day"),
    (Staff, "contracted_hours"): (7 * 24.0, "a week"),
}
# How a value too long or deep to print is shown in a message.
_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 60
_SHOWN.maxlevel = 3


class HugeNumber:
    """A JSON integer too long to read as a number (a 5,000-digit one): kept so
    the message can name the field it was given for."""

    def __init__(self, digits: str):
        self.digits = digits

    def __repr__(self) -> str:
        return f"a {len(self.digits.lstrip('-'))}-digit number"


def parse_int(text: str) -> int | HugeNumber:
    """json.loads' parse_int: integers past 30 digits are never a valid fact."""
    return HugeNumber(text) if len(text) > 30 else int(text)


def shown(value: Any) -> str:
    """A value for an error message, cut short however long or deeply nested."""
    return _SHOWN.repr(value)


def shown_name(name: str) -> str:
    """A field or section name for an error message, unquoted, cut short, with any
    control character escaped."""
    return _SHOWN.repr(name)[1:-1]


def _section_types() -> dict[str, type]:
    sections = dict(SECTIONS)
    for f in dataclasses.fields(Facts):
        if f.name in sections or f.name == "extra":
            continue
        # "tuple[Absence, ...]" -> the Absence dataclass in policy.facts
        inner = str(f.type).removeprefix("tuple[").split(",")[0].strip()
        if dataclasses.is_dataclass(getattr(_facts, inner, None)):
            sections[f.name] = getattr(_facts, inner)
    return sections


@functools.lru_cache(maxsize=4096)
def _day_of(text: str) -> date | None:
    """The day a YYYY-MM-DD string names, or None. Cached: a facts file names the
    same few thousand days hundreds of thousands of times."""
    if STRICT_DATE.fullmatch(text):
        with contextlib.suppress(ValueError):  # 2026-02-30: the right shape, no such day
            return date.fromisoformat(text)
    return None


def strict_date(value: Any, where: str, error: type[Exception] = ValueError) -> date:
    """A YYYY-MM-DD date between FIRST_DAY and LAST_DAY, else `error` naming `where`."""
    day = _day_of(value) if isinstance(value, str) else None
    if day is None:
        raise error(f"{where}: {shown(value)} is not a date (expected YYYY-MM-DD)")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise error(f"{where}: {value} is outside the years {FIRST_DAY.year} to {LAST_DAY.year}")
    return day


def _date(value: Any, where: str) -> date:
    return strict_date(value, where, FactsError)


def _number(kind: type, name: str, base: str, value: Any, where: str) -> int | float:
    if base == "float":
        most, per = MOST_HOURS[(kind, name)]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value) or not 0 <= value <= most:
            raise FactsError(
                f"{where}: expected a number of hours {per} from 0 to {most:g}, got {shown(value)}"
            )
        return float(value)
    low, high = WHOLE_NUMBERS.get((kind, name), (1, MOST))
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FactsError(
            f"{where}: expected a whole number from {low} to {high}, got {shown(value)}"
        )
    return value


def _text(kind: type, name: str, value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise FactsError(f"{where}: expected a non-empty string, got {shown(value)}")
    allowed = FREE_TEXT_CONTROLS if name in FREE_TEXT else ""
    # Printable ASCII (every id and choice in practice) holds no control character.
    plain = value.isascii() and value.isprintable()
    if not plain and any(
        unicodedata.category(c) in ("Cc", "Cf", "Cs") and c not in allowed for c in value
    ):
        raise FactsError(f"{where}: {shown(value)} contains a control character")
    if ":" in value and name in ID_FIELDS:
        raise FactsError(
            f"{where}: {shown(value)} contains ':', which separates the parts of an"
            " obligation's key; use another character, such as '-'"
        )
    if kind is Case and name == "id" and not CASE_ID_FORMAT.fullmatch(value):
        raise FactsError(
            f"{where}: {shown(value)} is not a case ID (the case system's number, such as"
            " LCS-123456 or 1234567; never a child's name)"
        )
    choices = CHOICES.get((kind, name))
    if choices and value not in choices:
        label = "case type" if name == "type" else name
        raise FactsError(
            f"{where}: unknown {label} {shown(value)}; expected one of {list(choices)}"
        )
    return value


def _convert(kind: type, name: str, base: str, optional: bool, value: Any, where: str) -> Any:
    if value is None:
        if optional:
            return None
        raise FactsError(f"{where}: must not be null")
    if base == "date":
        return _date(value, where)
    if base == "tuple[date, ...]":
        if not isinstance(value, list):
            raise FactsError(f"{where}: expected a list of dates")
        return tuple(sorted(_date(v, f"{where}[{i}]") for i, v in enumerate(value)))
    if base == "tuple[str, ...]":
        if not isinstance(value, list):
            raise FactsError(f"{where}: expected a list of strings")
        return tuple(_text(kind, name, v, f"{where}[{i}]") for i, v in enumerate(value))
    if base == "bool":
        if not isinstance(value, bool):
            raise FactsError(f"{where}: expected true or false, got {shown(value)}")
        return value
    if base in ("int", "float"):
        return _number(kind, name, base, value, where)
    return _text(kind, name, value, where)


@functools.cache
def _fields(kind: type) -> dict[str, tuple[str, bool, bool]]:
    """A fact's fields: name -> (its type as text without "| None", optional, required)."""
    return {
        f.name: (
            str(f.type).removesuffix("| None").strip(),
            str(f.type).endswith("| None"),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(kind)
    }


def _item(kind: type, data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise FactsError(f"{where}: expected an object")
    fields = _fields(kind)
    if not data.keys() <= fields.keys():
        unknown = sorted(set(data) - set(fields))
        raise FactsError(
            f"{where}.{shown_name(unknown[0])}: unknown field; expected some of {list(fields)}"
        )
    values = {}
    for name, (base, optional, required) in fields.items():
        if name not in data:
            # A relationship's id is optional in the file; a stable one is derived.
            if required and not (kind is Relationship and name == "id"):
                raise FactsError(f"{where}.{name}: missing")
            continue
        values[name] = _convert(kind, name, base, optional, data[name], f"{where}.{name}")
    return values


def facts_from_json(data: dict, profile: Profile | None = None, *, consume=False) -> Facts:
    """The facts in a parsed facts file; with a profile, recorded frequencies are
    also checked against the council's document (policy/facts_checks.py). With
    `consume`, each section is taken out of `data` as it is read, so a file with
    years of history is not held parsed, checked and made all at once."""
    if not isinstance(data, dict):
        raise FactsError("facts: expected a JSON object with staff, relationships, ...")
    sections = _section_types()
    unknown = sorted(set(data) - set(sections))
    if unknown:
        raise FactsError(
            f"{shown_name(unknown[0])}: unknown section; expected some of {list(sections)}"
        )
    items: dict[str, list[dict[str, Any]]] = {}
    for section, kind in sections.items():
        raw = data.pop(section, []) if consume else data.get(section, [])
        if not isinstance(raw, list):
            raise FactsError(f"{section}: expected a list")
        items[section] = [_item(kind, v, f"{section}[{i}]") for i, v in enumerate(raw)]

    for rel in items["relationships"]:
        rel.setdefault("id", f"rel-{rel['supervisor']}-{rel['supervisee']}-{rel['started_on']}")
    _check_unique(items, "staff", "id")
    _check_unique(items, "relationships", "id")
    _check_unique(items, "cases", "id")
    staff_ids = {s["id"] for s in items["staff"]}
    rel_ids = {r["id"] for r in items["relationships"]}
    case_ids = {c["id"] for c in items["cases"]}
    for section, rows in items.items():
        for i, row in enumerate(rows):
            for name, value in row.items():
                if name in STAFF_REFERENCES and value is not None and value not in staff_ids:
                    raise FactsError(f"{section}[{i}].{name}: no staff with id {shown(value)}")
                if section != "cases" and name == "case" and value not in case_ids:
                    raise FactsError(f"{section}[{i}].case: no case with id {shown(value)}")
            relationship = row.get("relationship") if section != "relationships" else None
            if relationship is not None and relationship not in rel_ids:
                raise FactsError(
                    f"{section}[{i}].relationship: no relationship with id {shown(relationship)}"
                )
    check_consistency(items, profile)
    # Each section's checked fields are let go as its facts are made, so a file's
    # history is never held three times over (parsed, checked and made).
    made = {s: tuple(sections[s](**row) for row in items.pop(s)) for s in list(items)}
    return Facts(**made)


def _check_unique(items: dict, section: str, name: str) -> None:
    seen: set[str] = set()
    for i, row in enumerate(items[section]):
        if row[name] in seen:
            raise FactsError(f"{section}[{i}].{name}: {shown(row[name])} appears twice")
        seen.add(row[name])
