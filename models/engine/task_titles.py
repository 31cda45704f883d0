"""Inbox titles, in the words a supervisor would use: each kind's template
(policy/kinds/) filled in with names at reconcile time; the engine itself
only knows IDs. Children appear by case ID only: a case-supervision title
names the case, never a child."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from models.tables.group_agreement import SupervisionGroup
from models.tables.org import StaffMember
from models.tables.supervision import SupervisionRelationship
from policy import keys, kinds
from policy.keys import parse_fact_id
from policy.obligations import Obligation


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _which(key: keys.Key, of: int | None) -> str:
    """Tells apart tasks that would otherwise share a title: "(2 of 3 in the
    year from 1 April 2026)", "(ASYE year, 1 of 3)", "(the first since starting)"."""
    if key.family == "first_observation":
        return " (the first since starting)"
    n = key.parts.get("n")
    if n is None:
        return ""
    count = f"{n} of {max(of or n, n)}"
    if key.family == "asye_observation":
        return f" (ASYE year, {count})"
    window = key.day
    return f" ({count} in the year from {_long(window)})" if window else f" ({count})"


class _Fields(Mapping[str, str]):
    """A template's fields, each worked out only when the template names it
    (str.format_map): a first run titles tens of thousands of tasks, and most
    templates name two or three of the fields."""

    def __init__(self, makers: dict[str, Callable[[], str]]):
        self.makers = makers

    def __getitem__(self, name: str) -> str:
        return self.makers[name]()

    def __iter__(self):
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)

    def with_field(self, name: str, make: Callable[[], str]) -> _Fields:
        return _Fields({**self.makers, name: make})


def title_for(
    obligation: Obligation,
    staff: dict[int, StaffMember],
    rel: SupervisionRelationship | None,
    group: SupervisionGroup | None = None,
) -> str:
    def name(staff_id: int | None) -> str:
        person = staff.get(staff_id) if staff_id else None
        return person.name if person else "someone"

    def person() -> str:
        return name(parse_fact_id(obligation.subject, "staff"))

    key = keys.parse(obligation.key)
    fields = _Fields(
        {
            "person": person,
            "supervisee": (lambda: name(rel.supervisee_id)) if rel else person,
            "supervisor": (lambda: name(rel.supervisor_id)) if rel else lambda: "their supervisor",
            "on": lambda: _long((key.escalates or key).day),
            "case": lambda: obligation.subject,
            "group": lambda: group.name if group else "your group",
            "stage": lambda: f"{key.parts['stage']}-month" if "stage" in key.parts else "",
            "kind": lambda: obligation.kind.replace("_", " ").capitalize(),
            "which": lambda: _which(key, obligation.of),
            "due": lambda: _long(obligation.due),
        }
    )
    if key.escalates is not None:
        return _overdue(key.escalates, fields, name, rel is not None)
    return kinds.kind(obligation.kind).title.format_map(fields)


def _overdue(escalated: keys.Key, fields: _Fields, name, about_a_relationship: bool) -> str:
    """An escalation's title: what is overdue, and whose it is."""
    signatory = escalated.parts.get("staff")
    fields = fields.with_field("signatory", lambda: name(parse_fact_id(signatory, "staff")))
    kind = kinds.of_family(escalated.family)
    if kind is not None and kind.overdue:
        return kind.overdue.format_map(fields)
    what = escalated.family.replace("_", " ")
    if about_a_relationship:
        return f"Overdue {what}: {fields['supervisor']} and {fields['supervisee']}"
    return f"Overdue {what}"
