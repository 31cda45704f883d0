"""Applying a supervision-relationships file in batches, through the admin
pages' own code path (admin_relationships.name_supervisors and
end_relationships, which the page's one change is a batch of), inside the
import's transaction (admin_imports.run_import).

Each row names a person's supervisor from a date (and, for history, to a
date). The rows are applied in date order, so a file of changes reads as
they happened: a batch at a time, each batch in waves that name a supervisee
once (a supervisee's later row sees what their earlier row did), each wave in
a few statements whatever its size: the relationships in force read, those
that end updated, the new inserted; and for rows that have ended, the
supervisees' relationships read, those to end updated, the history inserted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy.orm import Session

from models.actions.admin_changes import NEW, Actor, Change, Changes, FieldChange
from models.actions.admin_import_people import Stored, checked_rows, organisation_staff
from models.actions.admin_import_rows import (
    ImportRow,
    Problems,
    Progress,
    TeamsInScope,
    batches,
)
from models.actions.admin_relationships import (
    Naming,
    Person,
    check_pair,
    end_relationships,
    held_relationships,
    insert_relationships,
    name_supervisors,
    relationship_subjects,
)
from models.actions.admin_staff import FieldProblem
from models.actions.errors import ActionError
from models.tables.supervision import RelationshipReason, SupervisionRelationship

Ended = tuple[ImportRow, Person, Person]  # a row that has ended, its supervisee and supervisor


def apply_relationship_rows(
    session: Session,
    actor: Actor,
    rows: Iterable[ImportRow],
    changes: Changes,
    problems: Problems,
    progress: Progress,
) -> int:
    rows = list(rows)
    known = organisation_staff(session, actor.organisation_id)
    scope = TeamsInScope(session, actor)
    good = checked_rows(
        rows,
        problems,
        key=lambda r: (r.values["supervisee"], r.values["supervisor"], r.values["started_on"]),
        field_name="supervisee",
    )
    done = 0
    for batch in batches(sorted(good, key=lambda r: (r.values["started_on"], r.row))):
        for wave in _waves(batch):
            _apply_wave(session, wave, known, scope, changes, problems)
        changes.settle(session, actor, "import")
        done += len(batch)
        progress(done)
    progress(len(rows))
    return len(rows)


def _waves(batch: list[ImportRow]) -> list[list[ImportRow]]:
    """The batch in waves that name each supervisee once, in the batch's order:
    the first wave holds each supervisee's first row, the second their second, ..."""
    waves: list[list[ImportRow]] = []
    seen: Counter[str] = Counter()
    for row in batch:
        nth = seen[row.values["supervisee"]]
        seen[row.values["supervisee"]] += 1
        if nth == len(waves):
            waves.append([])
        waves[nth].append(row)
    return waves


def _pair(row: ImportRow, known: Stored, scope: TeamsInScope) -> tuple[Person, Person]:
    people = []
    for side in ("supervisee", "supervisor"):
        number = row.values[side]
        if number not in known:
            raise FieldProblem(side, f"{number} is not in the database; import staff first.")
        people.append(Person(known[number]["id"], number, known[number]["left_on"]))
    if not scope.may_change(known[row.values["supervisee"]]["team_id"]):
        raise FieldProblem("supervisee", "This person is outside the service areas you head.")
    return people[0], people[1]


def _apply_wave(session, wave, known: Stored, scope, changes: Changes, problems: Problems):
    namings: list[Naming] = []
    ended: list[Ended] = []
    for row in wave:
        try:
            supervisee, supervisor = _pair(row, known, scope)
            started_on, ended_on = row.values["started_on"], row.values.get("ended_on")
            if ended_on is None:
                reason = row.values.get("reason")
                namings.append(Naming(supervisee, supervisor, started_on, reason, row.row))
            elif ended_on < started_on:
                raise FieldProblem("ended_on", "The relationship cannot end before it started.")
            else:
                ended.append((row, supervisee, supervisor))
        except ActionError as problem:
            problems.add(row.row, getattr(problem, "field", "supervisee"), str(problem))

    def refuse(naming: Naming, problem: FieldProblem) -> None:
        problems.add(naming.row, problem.field, str(problem))

    name_supervisors(session, namings, changes, refuse)
    _record_ended(session, ended, changes, problems)


def _record_ended(session: Session, ended: list[Ended], changes: Changes, problems: Problems):
    """Relationships in the file that have ended: ended here too if they are
    here open (or ended another day), added as history if not here at all."""
    if not ended:
        return
    rel = SupervisionRelationship
    stored: dict[tuple, object] = {}
    for held in held_relationships(session, rel.supervisee_id.in_([s.id for _, s, _ in ended])):
        stored.setdefault((held.supervisee_id, held.supervisor_id, held.started_on), held)
    ends, history = [], []
    for row, supervisee, supervisor in ended:
        started_on, ended_on = row.values["started_on"], row.values["ended_on"]
        existing = stored.get((supervisee.id, supervisor.id, started_on))
        if existing is not None and existing.ended_on == ended_on:
            changes.unchanged += 1
        elif existing is not None:
            ends.append((existing, ended_on))
        else:
            try:
                check_pair(supervisee, supervisor, started_on)
            except FieldProblem as problem:
                problems.add(row.row, problem.field, str(problem))
                continue
            history.append((row, supervisee, supervisor))
    end_relationships(session, ends, changes)
    _add_history(session, history, changes)


def _add_history(session: Session, history: list[Ended], changes: Changes) -> None:
    """Relationships that began and ended before they were recorded here (one INSERT)."""
    rows = [
        {"supervisor_id": supervisor.id, "supervisee_id": supervisee.id}
        | {"started_on": row.values["started_on"], "ended_on": row.values["ended_on"]}
        | {"reason": row.values.get("reason") or RelationshipReason.CHANGE_OF_SUPERVISOR}
        for row, supervisee, supervisor in history
    ]
    ids = insert_relationships(session, rows)
    for row, supervisee, supervisor in history:
        rel_id = ids[supervisee.id]
        fields = [
            FieldChange("supervisor", None, supervisor.staff_number),
            FieldChange("started_on", None, row.values["started_on"]),
            FieldChange("ended_on", None, row.values["ended_on"]),
        ]
        changes.add(
            Change(
                NEW,
                "supervision_relationship",
                supervisee.staff_number,
                supervisee.id,
                fields,
                rel_id,
            ),
            relationship_subjects(rel_id, supervisee.id),
        )
