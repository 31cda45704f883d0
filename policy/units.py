"""Units: the pieces an organisation's obligations are computed in.

Every obligation is about one unit, and only that unit's facts decide it:

- a *person*: their supervision as a supervisee (agreements, sessions,
  records, ASYE, observations, registration, retention) and as a supervisor
  (their load, their absences, observation of the supervision they give);
- a *case*: its supervision, its records and its decisions;
- a *team*: its monthly case-file audits;
- a *group*: its group supervision agreement.

A unit's facts hold its own events and the few facts about other people its
rules read (a supervisor's line manager for an escalation, a supervisee's
leaving date for a supervisor's load). `partition` cuts a whole
organisation's facts into units; the database reads them unit by unit
(models/engine/unit_facts.py), and both give the same facts for the same unit."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from policy.facts import Case, Facts, Relationship, Staff

UNIT_KINDS = ("person", "case", "team", "group")


class UnitError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Unit:
    kind: str  # one of UNIT_KINDS
    id: str  # the person's staff id, the case ID, the team or the group id

    def __post_init__(self):
        if self.kind not in UNIT_KINDS:
            raise UnitError(f"unknown kind of unit {self.kind!r}; expected one of {UNIT_KINDS}")

    @property
    def key(self) -> str:
        """How a unit is stored and passed between processes: "person:staff-7"."""
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, key: str) -> Unit:
        kind, sep, ident = key.partition(":")
        if not sep or not ident:
            raise UnitError(f"not a unit key: {key!r} (expected kind:id, e.g. person:staff-7)")
        return cls(kind, ident)


def person(staff_id: str) -> Unit:
    return Unit("person", staff_id)


def case(case_id: str) -> Unit:
    return Unit("case", case_id)


def team_of(staff: Staff | None) -> str | None:
    """A worker's team for the case-file audit: their team, or else the people
    reporting to the same line manager."""
    return (staff.team or staff.line_manager) if staff else None


class UnitIndex:
    """The whole organisation's facts, looked up by the people they concern."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.staff = facts.staff_by_id()
        self.as_supervisee: dict[str, list[Relationship]] = defaultdict(list)
        self.as_supervisor: dict[str, list[Relationship]] = defaultdict(list)
        for rel in facts.relationships:
            self.as_supervisee[rel.supervisee].append(rel)
            self.as_supervisor[rel.supervisor].append(rel)
        self.by = {
            name: _group(getattr(facts, name), attribute)
            for name, attribute in (
                ("agreements", "supervisee"),
                ("sessions", "supervisee"),
                ("hours_worked", "staff"),
                ("absences", "staff"),
                ("observations", "staff"),
                ("samplings", "by"),
                ("asye_reviews", "staff"),
                ("review_questionnaires", "relationship"),
                ("cases", "id"),
                ("decisions", "case"),
                ("audits", "case"),
                ("group_agreements", "group"),
                ("group_signatories", "group"),
                ("record_audits", "supervisor"),
                ("actions", "supervisee"),
                ("missed_sessions", "relationship"),
                ("case_oversights", "case"),
            )
        }

    def people(self, ids: Iterable[str | None]) -> tuple[Staff, ...]:
        found = {i: self.staff[i] for i in ids if i is not None and i in self.staff}
        return tuple(found[i] for i in sorted(found))

    def with_managers(self, ids: Iterable[str | None]) -> set[str | None]:
        ids = set(ids)
        return ids | {self.staff[i].line_manager for i in ids if i in self.staff}


def _group(items, attribute: str) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for item in items:
        grouped[getattr(item, attribute)].append(item)
    return grouped


def person_facts(index: UnitIndex, staff_id: str) -> Facts:
    """A person's own supervision, and their supervision of others."""
    own = index.as_supervisee.get(staff_id, [])
    supervising = index.as_supervisor.get(staff_id, [])
    rel_ids = {r.id for r in own}
    people = index.with_managers({staff_id, *(r.supervisor for r in own)})
    people |= {r.supervisee for r in supervising}
    return Facts(
        staff=index.people(people),
        relationships=tuple(sorted({*own, *supervising}, key=lambda r: r.id)),
        agreements=tuple(index.by["agreements"].get(staff_id, ())),
        sessions=tuple(index.by["sessions"].get(staff_id, ())),
        hours_worked=tuple(index.by["hours_worked"].get(staff_id, ())),
        absences=tuple(index.by["absences"].get(staff_id, ())),
        observations=tuple(index.by["observations"].get(staff_id, ())),
        samplings=tuple(index.by["samplings"].get(staff_id, ())),
        asye_reviews=tuple(index.by["asye_reviews"].get(staff_id, ())),
        record_audits=tuple(index.by["record_audits"].get(staff_id, ())),
        actions=tuple(index.by["actions"].get(staff_id, ())),
        missed_sessions=tuple(
            m for rel_id in sorted(rel_ids) for m in index.by["missed_sessions"].get(rel_id, ())
        ),
        review_questionnaires=tuple(
            q
            for rel_id in sorted(rel_ids)
            for q in index.by["review_questionnaires"].get(rel_id, ())
        ),
    )


def case_facts(index: UnitIndex, case_id: str) -> Facts:
    """A case, its decisions, and the worker's supervision (who supervises the case)."""
    cases: list[Case] = index.by["cases"].get(case_id, [])
    workers = {c.worker for c in cases}
    rels = [r for w in sorted(workers) for r in index.as_supervisee.get(w, ())]
    people = index.with_managers({*workers, *(r.supervisor for r in rels)})
    return Facts(
        staff=index.people(people),
        relationships=tuple(rels),
        cases=tuple(cases),
        decisions=tuple(index.by["decisions"].get(case_id, ())),
        case_oversights=tuple(index.by["case_oversights"].get(case_id, ())),
    )


def team_facts(index: UnitIndex, team: str, cases: list[Case]) -> Facts:
    """A team's cases (without their supervision history), their audits, and its members."""
    members = {s.id for s in index.facts.staff if team_of(s) == team}
    people = members | {c.worker for c in cases} | {team}
    return Facts(
        staff=index.people(people),
        cases=tuple(dataclasses.replace(c, supervised_on=(), recorded_on=()) for c in cases),
        audits=tuple(a for c in cases for a in index.by["audits"].get(c.id, ())),
    )


def group_facts(index: UnitIndex, group: str) -> Facts:
    versions = index.by["group_agreements"].get(group, [])
    signatories = index.by["group_signatories"].get(group, [])
    people = index.with_managers({v.supervisor for v in versions} | {s.staff for s in signatories})
    return Facts(
        staff=index.people(people),
        group_agreements=tuple(versions),
        group_signatories=tuple(signatories),
    )


def partition(facts: Facts) -> dict[Unit, Facts]:
    """Every unit of an organisation and its facts, in unit order."""
    index = UnitIndex(facts)
    units: dict[Unit, Facts] = {}
    for staff in sorted(facts.staff, key=lambda s: s.id):
        units[person(staff.id)] = person_facts(index, staff.id)
    for case_id in sorted(set(index.by["cases"]) | set(index.by["decisions"])):
        units[case(case_id)] = case_facts(index, case_id)
    teams: dict[str, list[Case]] = defaultdict(list)
    for c in facts.cases:
        team = team_of(index.staff.get(c.worker))
        if team is not None:
            teams[team].append(c)
    for team in sorted(teams):
        units[Unit("team", team)] = team_facts(index, team, teams[team])
    for group in sorted(set(index.by["group_agreements"]) | set(index.by["group_signatories"])):
        units[Unit("group", group)] = group_facts(index, group)
    return units


def home_of(unit: Unit) -> str | None:
    """The person a unit's context is about (its supervisee and supervisor rules)."""
    return unit.id if unit.kind == "person" else None


def dates_in(facts: Facts) -> Iterable[date]:
    """Every date a unit's facts carry: one after as_of is a day the answer may change."""
    for name in FACT_SECTIONS:
        for item in getattr(facts, name):
            for field_name in _DATE_FIELDS[type(item)]:
                value = getattr(item, field_name)
                if isinstance(value, tuple):
                    yield from value
                elif value is not None:
                    yield value


def _date_fields() -> dict[type, tuple[str, ...]]:
    import typing

    import policy.facts as module

    # A due date is not an event: it does not become "known" on its day.
    not_events = {"dbs_recheck_due_on", "registration_renews_on"}
    out = {}
    for name in FACT_SECTIONS:
        cls = typing.get_args(typing.get_type_hints(Facts)[name])[0]
        hints = typing.get_type_hints(cls, vars(module))
        out[cls] = tuple(
            f.name
            for f in dataclasses.fields(cls)
            if "date" in str(hints[f.name]) and f.name not in not_events
        )
    return out


FACT_SECTIONS = tuple(name for name in Facts.__dataclass_fields__ if name != "extra")
_DATE_FIELDS = _date_fields()
