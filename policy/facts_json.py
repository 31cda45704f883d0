"""Reading a facts file (the command line's `--facts`) into Facts.
Every problem names the item and field ("staff[3].role: unknown role ...") so
the workforce team can fix their export without reading code.

Fields are read from the fact dataclasses themselves, so an optional field
added to policy/facts.py is accepted here with no second list to keep in step."""

from __future__ import annotations

import dataclasses
import functools
from datetime import date
from typing import Any

import policy.facts as _facts
from policy.facts import (
    CASE_TYPES,
    EMPLOYMENT_TYPES,
    GROUP_PARTIES,
    OBSERVATION_KINDS,
    RELATIONSHIP_REASONS,
    ROLES,
    SESSION_KINDS,
    Agreement,
    Case,
    Facts,
    GroupSignatory,
    Observation,
    Relationship,
    Session,
    Staff,
)

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
}


class FactsError(ValueError):
    """A facts file that cannot be read; the message names the item and field."""


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


def _date(value: Any, where: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise FactsError(f"{where}: {value!r} is not a date (expected YYYY-MM-DD)")


def _convert(kind: type, name: str, annotation: str, value: Any, where: str) -> Any:
    optional = annotation.endswith("| None")
    base = annotation.removesuffix("| None").strip()
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
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FactsError(f"{where}: expected a list of strings")
        return tuple(value)
    if base == "bool":
        if not isinstance(value, bool):
            raise FactsError(f"{where}: expected true or false, got {value!r}")
        return value
    if base in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise FactsError(f"{where}: expected a non-negative number, got {value!r}")
        return int(value) if base == "int" else float(value)
    if not isinstance(value, str) or not value:
        raise FactsError(f"{where}: expected a non-empty string, got {value!r}")
    choices = CHOICES.get((kind, name))
    if choices and value not in choices:
        label = "case type" if name == "type" else name
        raise FactsError(f"{where}: unknown {label} {value!r}; expected one of {list(choices)}")
    return value


@functools.cache
def _fields(kind: type) -> dict[str, tuple[str, bool]]:
    """A fact's fields: name -> (type annotation as text, required)."""
    return {
        f.name: (
            str(f.type),
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
        raise FactsError(f"{where}.{unknown[0]}: unknown field; expected some of {list(fields)}")
    values = {}
    for name, (annotation, required) in fields.items():
        if name not in data:
            # A relationship's id is optional in the file; a stable one is derived.
            if required and not (kind is Relationship and name == "id"):
                raise FactsError(f"{where}.{name}: missing")
            continue
        values[name] = _convert(kind, name, annotation, data[name], f"{where}.{name}")
    return values


def facts_from_json(data: dict) -> Facts:
    if not isinstance(data, dict):
        raise FactsError("facts: expected a JSON object with staff, relationships, ...")
    sections = _section_types()
    unknown = sorted(set(data) - set(sections))
    if unknown:
        raise FactsError(f"{unknown[0]}: unknown section; expected some of {list(sections)}")
    items: dict[str, list[dict[str, Any]]] = {}
    for section, kind in sections.items():
        raw = data.get(section, [])
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
                    raise FactsError(f"{section}[{i}].{name}: no staff with id {value!r}")
                if section != "cases" and name == "case" and value not in case_ids:
                    raise FactsError(f"{section}[{i}].case: no case with id {value!r}")
            relationship = row.get("relationship") if section != "relationships" else None
            if relationship is not None and relationship not in rel_ids:
                raise FactsError(
                    f"{section}[{i}].relationship: no relationship with id {row['relationship']!r}"
                )
    return Facts(**{s: tuple(sections[s](**row) for row in rows) for s, rows in items.items()})


def _check_unique(items: dict, section: str, name: str) -> None:
    seen: set[str] = set()
    for i, row in enumerate(items[section]):
        if row[name] in seen:
            raise FactsError(f"{section}[{i}].{name}: {row[name]!r} appears twice")
        seen.add(row[name])
