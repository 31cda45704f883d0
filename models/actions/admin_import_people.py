"""Applying a staff file and a supervision-relationships file, row by row,
through the admin pages' own functions (save_staff, name_in_session), inside
the import's transaction (admin_imports.run_import).

A staff file is checked as a whole before any row is applied: a staff number
twice, a line manager neither in the file nor in the database, and a cycle of
line managers are found first; the rows are then applied managers first, so
every new person's line manager exists when they are added."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actions.admin_changes import (
    NEW,
    NEW_TEAM,
    Actor,
    Change,
    Changes,
    FieldChange,
    may_change_staff,
)
from models.actions.admin_import_rows import ImportRow, Problems, Progress
from models.actions.admin_relationships import check_pair, end_in_session, name_in_session
from models.actions.admin_staff import FieldProblem, check_staff_values, save_staff
from models.actions.errors import ActionError
from models.tables.org import ServiceArea, StaffMember, Team
from models.tables.supervision import RelationshipReason, SupervisionRelationship
from policy.keys import relationship_fact_id, staff_fact_id

# The staff file's fields that are stored as they are (the others are looked up).
PLAIN_FIELDS = (
    "name",
    "email",
    "job_title",
    "role",
    "employment",
    "started_on",
    "left_on",
    "asye",
    "asye_started_on",
    "probation_ends_on",
)


def staff_by_number(session: Session, organisation_id: int) -> dict[str, StaffMember]:
    return {
        s.staff_number: s
        for s in session.scalars(
            select(StaffMember).where(StaffMember.organisation_id == organisation_id)
        )
    }


def _checked_rows(
    rows: Iterable[ImportRow], problems: Problems, key, field_name: str
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


def _manager_problems(rows: list[ImportRow], known: dict[str, StaffMember], problems: Problems):
    """Refuse rows whose line manager is nowhere, or whose managers go round in a
    circle; repeat, since refusing a manager's row leaves their reports unmanaged."""
    while True:
        good = {r.values["staff_number"]: r for r in rows if r.row not in problems.rows}
        manager_of = {n: s.line_manager.staff_number for n, s in known.items() if s.line_manager}
        manager_of.update({n: r.values.get("line_manager") for n, r in good.items()})
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


def _managers_first(rows: list[ImportRow]) -> list[ImportRow]:
    by_number = {r.values["staff_number"]: r for r in rows}
    ordered: list[ImportRow] = []
    placed: set[str] = set()

    def place(row: ImportRow) -> None:
        # Iterative walk up the chain (no recursion limit on deep hierarchies).
        chain = []
        current: ImportRow | None = row
        while current is not None and current.values["staff_number"] not in placed:
            chain.append(current)
            placed.add(current.values["staff_number"])
            current = by_number.get(current.values.get("line_manager") or "")
        ordered.extend(reversed(chain))

    for row in rows:
        place(row)
    return ordered


class _Teams:
    """Teams by (service area, team) name, made when the file names a new one."""

    def __init__(self, session: Session, actor: Actor, changes: Changes) -> None:
        self.session, self.actor, self.changes = session, actor, changes
        self.areas = {
            a.name: a
            for a in session.scalars(
                select(ServiceArea).where(ServiceArea.organisation_id == actor.organisation_id)
            )
        }
        self.teams = {
            (t.service_area.name, t.name): t for a in self.areas.values() for t in a.teams
        }

    def team_id(self, area_name: str | None, team_name: str | None) -> int | None:
        if not team_name:
            return None
        if not area_name:
            found = [t for (_, name), t in self.teams.items() if name == team_name]
            if len(found) != 1:
                raise FieldProblem(
                    "team", f"There is no one team called {team_name!r}; give its service area too."
                )
            return found[0].id
        if (area_name, team_name) in self.teams:
            return self.teams[area_name, team_name].id
        if self.actor.area_ids is not None:
            raise FieldProblem("team", "Only the workforce team can add teams by import.")
        area = self.areas.get(area_name) or self._add(
            ServiceArea(organisation_id=self.actor.organisation_id, name=area_name), area_name
        )
        self.areas[area_name] = area
        team = self._add(Team(service_area_id=area.id, name=team_name), team_name)
        self.teams[area_name, team_name] = team
        return team.id

    def _add(self, row, label: str):
        self.session.add(row)
        self.session.flush()
        kind = "team" if isinstance(row, Team) else "service_area"
        self.changes.add(Change(NEW_TEAM, kind, label, None, [], row.id), ())
        return row


def apply_staff_rows(
    session: Session,
    actor: Actor,
    rows: Iterable[ImportRow],
    changes: Changes,
    problems: Problems,
    progress: Progress,
) -> int:
    rows = list(rows)
    known = staff_by_number(session, actor.organisation_id)
    good = _checked_rows(
        rows, problems, key=lambda r: r.values["staff_number"], field_name="staff_number"
    )
    good = _manager_problems(good, known, problems)
    teams = _Teams(session, actor, changes)
    for done, row in enumerate(_managers_first(good), 1):
        try:
            _apply_staff_row(session, actor, row, known, teams, changes)
        except ActionError as problem:
            problems.add(row.row, getattr(problem, "field", "staff_number"), str(problem))
        if done % 500 == 0:
            progress(done)
    progress(len(rows))
    return len(rows)


def _apply_staff_row(session, actor, row, known, teams: _Teams, changes: Changes) -> None:
    number = row.values["staff_number"]
    person = known.get(number)
    values = {f: row.values[f] for f in PLAIN_FIELDS if f in row.values}
    if "team" in row.values:
        values["team_id"] = teams.team_id(row.values.get("service_area"), row.values["team"])
    if "line_manager" in row.values:
        manager = row.values["line_manager"]
        if manager and manager not in known:
            raise FieldProblem("line_manager", f"Line manager {manager}'s row was refused.")
        values["line_manager_id"] = known[manager].id if manager else None
    check_staff_values(values)
    allowed = (
        may_change_staff(session, actor, person)
        if person
        else actor.area_ids is None
        or (
            values.get("team_id") is not None
            and teams.session.get(Team, values["team_id"]).service_area_id in actor.area_ids
        )
    )
    if not allowed:
        raise FieldProblem("staff_number", "This person is outside the service areas you head.")
    known[number] = save_staff(session, actor, person, number, values, changes)


# --- supervision relationships ----------------------------------------------------------


def apply_relationship_rows(
    session: Session,
    actor: Actor,
    rows: Iterable[ImportRow],
    changes: Changes,
    problems: Problems,
    progress: Progress,
) -> int:
    """Each row names a person's supervisor from a date (and, for history, to a
    date); rows are applied in date order, so a file of changes reads as they happened."""
    rows = list(rows)
    known = staff_by_number(session, actor.organisation_id)
    good = _checked_rows(
        rows,
        problems,
        key=lambda r: (r.values["supervisee"], r.values["supervisor"], r.values["started_on"]),
        field_name="supervisee",
    )
    for done, row in enumerate(sorted(good, key=lambda r: (r.values["started_on"], r.row)), 1):
        try:
            _apply_relationship_row(session, actor, row, known, changes)
        except ActionError as problem:
            problems.add(row.row, getattr(problem, "field", "supervisee"), str(problem))
        if done % 500 == 0:
            progress(done)
    progress(len(rows))
    return len(rows)


def _apply_relationship_row(session, actor, row: ImportRow, known, changes: Changes) -> None:
    people = {}
    for side in ("supervisee", "supervisor"):
        number = row.values[side]
        if number not in known:
            raise FieldProblem(side, f"{number} is not in the database; import staff first.")
        people[side] = known[number]
    if not may_change_staff(session, actor, people["supervisee"]):
        raise FieldProblem("supervisee", "This person is outside the service areas you head.")
    ended_on = row.values.get("ended_on")
    if ended_on is None:
        name_in_session(
            session,
            people["supervisee"],
            people["supervisor"],
            row.values["started_on"],
            row.values.get("reason"),
            changes,
        )
        return
    _record_ended(session, people, row, ended_on, changes)


def _record_ended(session, people, row: ImportRow, ended_on, changes: Changes) -> None:
    """A relationship in the file that has ended: end it if it is open here,
    add it as history if it is not here at all."""
    started_on = row.values["started_on"]
    if ended_on < started_on:
        raise FieldProblem("ended_on", "The relationship cannot end before it started.")
    existing = session.scalars(
        select(SupervisionRelationship).where(
            SupervisionRelationship.supervisee_id == people["supervisee"].id,
            SupervisionRelationship.supervisor_id == people["supervisor"].id,
            SupervisionRelationship.started_on == started_on,
        )
    ).first()
    if existing is not None and existing.ended_on == ended_on:
        changes.unchanged += 1
    elif existing is not None:
        end_in_session(session, existing, ended_on, changes)
    else:
        supervisee, supervisor = people["supervisee"], people["supervisor"]
        check_pair(supervisee, supervisor, started_on)
        reason = row.values.get("reason") or RelationshipReason.CHANGE_OF_SUPERVISOR
        rel = SupervisionRelationship(
            supervisor_id=supervisor.id,
            supervisee_id=supervisee.id,
            started_on=started_on,
            ended_on=ended_on,
            reason=reason,
        )
        session.add(rel)
        session.flush()
        fields = [
            FieldChange("supervisor", None, supervisor.staff_number),
            FieldChange("started_on", None, started_on),
            FieldChange("ended_on", None, ended_on),
        ]
        changes.add(
            Change(
                NEW,
                "supervision_relationship",
                supervisee.staff_number,
                supervisee.id,
                fields,
                rel.id,
            ),
            {relationship_fact_id(rel.id), staff_fact_id(supervisee.id)},
        )
