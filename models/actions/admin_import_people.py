"""Applying a staff file in batches, through the admin pages' own code path
(admin_staff.save_people, which the page's one change is a batch of), inside
the import's transaction (admin_imports.run_import).

A staff file is checked as a whole before any row is applied: a staff number
twice, a line manager neither in the file nor in the database, and a cycle of
line managers are found first. The rows are then written a batch at a time in
a few statements (one INSERT for the new people, one UPDATE for the changed,
a query each for the relationships and cases the changes touch, one UPDATE
ending leavers' relationships, one INSERT for the audit entries), managers
first: a new person's line manager is in an earlier batch than they are, so
their id is known when the person is added. (Supervision relationships:
admin_import_relationships.py.)"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actions.admin_changes import NEW_TEAM, Actor, Change, Changes
from models.actions.admin_import_rows import (
    ImportRow,
    Problems,
    Progress,
    TeamsInScope,
    batches,
)
from models.actions.admin_staff import (
    STAFF_COLUMNS,
    FieldProblem,
    StaffWrite,
    check_staff_values,
    save_people,
    stored_staff,
)
from models.actions.admin_writes import insert_returning
from models.actions.errors import ActionError
from models.tables.org import ServiceArea, StaffMember, Team

# The staff file's fields that are stored as they are: the person's columns but
# the two it names by staff number or name and the import looks up.
LOOKED_UP = ("team_id", "line_manager_id")
PLAIN_FIELDS = tuple(c for c in STAFF_COLUMNS if c not in LOOKED_UP)
Stored = dict[str, dict[str, Any]]  # people as stored (admin_staff.stored_staff), by staff number


def organisation_staff(session: Session, organisation_id: int) -> Stored:
    return stored_staff(session, StaffMember.organisation_id == organisation_id)


def checked_rows(
    rows: Iterable[ImportRow],
    problems: Problems,
    key: Callable[[ImportRow], Hashable],
    field_name: str,
) -> list[ImportRow]:
    """The rows without a problem of their own and not repeating an earlier row's key."""
    first_row: dict[Any, int] = {}
    kept = []
    for row in rows:
        if problems.refuses(row):
            continue
        k = key(row)
        if k in first_row:
            problems.add(row.row, field_name, f"The same row is also row {first_row[k]}.")
            continue
        first_row[k] = row.row
        kept.append(row)
    return kept


def _manager_problems(rows: list[ImportRow], known: Stored, problems: Problems):
    """Refuse rows whose line manager is nowhere, or whose managers go round in a
    circle; repeat, since refusing a manager's row leaves their reports unmanaged."""
    number_of = {person["id"]: number for number, person in known.items()}
    stored_managers = {
        number: number_of.get(person["line_manager_id"]) for number, person in known.items()
    }
    while True:
        good = {r.values["staff_number"]: r for r in rows if r.row not in problems.rows}
        manager_of = stored_managers | {n: r.values.get("line_manager") for n, r in good.items()}
        before = len(problems.rows)
        for number, row in good.items():
            manager = row.values.get("line_manager")
            if manager and manager not in good and manager not in known:
                problems.add(
                    row.row,
                    "line_manager",
                    f"Line manager {manager} is not in the file or the database.",
                )
                continue
            chain, current = [number], manager
            while current and current not in chain:
                chain.append(current)
                current = manager_of.get(current)
            if current == number:
                problems.add(
                    row.row,
                    "line_manager",
                    "Line managers go round in a circle: " + " -> ".join([*chain, number]) + ".",
                )
        if len(problems.rows) == before:
            return [r for r in rows if r.row not in problems.rows]


def _managers_first(rows: list[ImportRow], known: Stored) -> Iterator[list[ImportRow]]:
    """The rows in batches, each new person's line manager in an earlier
    batch than theirs: first the rows whose line manager is not new, then the
    new people's reports, and so on down (a batch per level of a hierarchy at
    most, and as many as a level's size needs); in the file's order within."""
    by_number = {r.values["staff_number"]: r for r in rows}
    new = {number for number in by_number if number not in known}
    level: dict[str, int] = {}
    for row in rows:
        # Up the chain of new managers to one whose level is known (no
        # recursion limit on deep hierarchies; the file has no circles now).
        chain: list[str] = []
        current: str | None = row.values["staff_number"]
        while current is not None and current not in level and current not in chain:
            chain.append(current)
            manager = by_number[current].values.get("line_manager")
            current = manager if manager in new else None
        base = level.get(current, -1) if current is not None else -1
        for number in reversed(chain):
            base += 1
            level[number] = base
    for depth in sorted(set(level.values())):
        yield from batches(r for r in rows if level[r.values["staff_number"]] == depth)


class _Teams:
    """The organisation's teams by (service area, team) name. The teams and
    service areas a workforce team's file names for the first time are added
    before its rows are applied, in one INSERT each."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.actor, organisation_id = actor, actor.organisation_id
        self.areas: dict[str, int] = dict(
            session.execute(
                select(ServiceArea.name, ServiceArea.id).where(
                    ServiceArea.organisation_id == organisation_id
                )
            ).all()
        )
        self.teams: dict[tuple[str, str], int] = {
            (area, team): team_id
            for area, team, team_id in session.execute(
                select(ServiceArea.name, Team.name, Team.id)
                .join(ServiceArea, ServiceArea.id == Team.service_area_id)
                .where(ServiceArea.organisation_id == organisation_id)
            )
        }

    def add_new(self, session: Session, rows: list[ImportRow], changes: Changes) -> None:
        """Add the teams (and their service areas) the rows name that are not
        here yet; only the workforce team may (team_id refuses the others)."""
        if self.actor.area_ids is not None:
            return
        named = ((r.values.get("service_area"), r.values.get("team")) for r in rows)
        new = [pair for pair in dict.fromkeys(named) if all(pair) and pair not in self.teams]
        areas = [area for area in dict.fromkeys(a for a, _ in new) if area not in self.areas]
        organisation_id = self.actor.organisation_id
        self.areas |= insert_returning(
            session,
            ServiceArea,
            [{"organisation_id": organisation_id, "name": area} for area in areas],
            key="name",
        )
        added = insert_returning(
            session,
            Team,
            [{"service_area_id": self.areas[area], "name": team} for area, team in new],
            key=("service_area_id", "name"),
        )
        for area in areas:
            changes.add(Change(NEW_TEAM, "service_area", area, None, [], self.areas[area]), ())
        for area, team in new:
            self.teams[area, team] = added[self.areas[area], team]
            changes.add(Change(NEW_TEAM, "team", team, None, [], self.teams[area, team]), ())

    def team_id(self, area_name: str | None, team_name: str | None) -> int | None:
        if not team_name:
            return None
        if not area_name:
            found = [team_id for (_, name), team_id in self.teams.items() if name == team_name]
            if len(found) != 1:
                raise FieldProblem(
                    "team", f"There is no one team called {team_name!r}; give its service area too."
                )
            return found[0]
        if (area_name, team_name) not in self.teams:
            raise FieldProblem("team", "Only the workforce team can add teams by import.")
        return self.teams[area_name, team_name]


def apply_staff_rows(
    session: Session,
    actor: Actor,
    rows: Iterable[ImportRow],
    changes: Changes,
    problems: Problems,
    progress: Progress,
) -> int:
    rows = list(rows)
    known = organisation_staff(session, actor.organisation_id)
    good = checked_rows(
        rows, problems, key=lambda r: r.values["staff_number"], field_name="staff_number"
    )
    good = _manager_problems(good, known, problems)
    teams, scope = _Teams(session, actor), TeamsInScope(session, actor)
    teams.add_new(session, good, changes)
    done = 0
    for batch in _managers_first(good, known):
        wanted = []
        for row in batch:
            try:
                wanted.append(_wanted(row, known, teams, scope))
            except ActionError as problem:
                problems.add(row.row, getattr(problem, "field", "staff_number"), str(problem))
        ids = save_people(session, actor, wanted, changes)
        for one in wanted:  # as stored now, for the next batches' line managers
            stored = one.stored or {"staff_number": one.staff_number}
            known[one.staff_number] = {**stored, **one.values, "id": ids[one.staff_number]}
        changes.settle(session, actor, "import")
        done += len(batch)
        progress(done)
    progress(len(rows))
    return len(rows)


def _wanted(row: ImportRow, known: Stored, teams: _Teams, scope: TeamsInScope) -> StaffWrite:
    """What the row asks of its person, if it may be asked."""
    number = row.values["staff_number"]
    person = known.get(number)
    values = {f: row.values[f] for f in PLAIN_FIELDS if f in row.values}
    if "team" in row.values:
        values["team_id"] = teams.team_id(row.values.get("service_area"), row.values["team"])
    if "line_manager" in row.values:
        manager = row.values["line_manager"]
        if manager and manager not in known:
            raise FieldProblem("line_manager", f"Line manager {manager}'s row was refused.")
        values["line_manager_id"] = known[manager]["id"] if manager else None
    check_staff_values(values)
    # A person already here is changed where they are; a new one is added where the row puts them.
    if not scope.may_change(person["team_id"] if person else values.get("team_id")):
        raise FieldProblem("staff_number", "This person is outside the service areas you head.")
    return StaffWrite(number, person, values)
