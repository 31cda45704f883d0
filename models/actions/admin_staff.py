"""Adding, changing and recording the leaving of staff, for the admin pages
and the staff import alike: `save_people` is the one place a person's facts
change, a batch at a time in a few statements whatever its size (the admin
page's one change is a batch of one, `save_staff`). A change of role,
employment, team, line manager, ASYE or dates reconciles the person, their
relationships and, when they leave, their open cases, so every inbox is right
at once; a leaver's supervision relationships end on their last day (a
supervisor who has left supervises nobody)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from models.actions.admin_action import AdminAction, admin_action
from models.actions.admin_changes import (
    CHANGED,
    LEAVER,
    NEW,
    Actor,
    Change,
    Changes,
    FieldChange,
    FieldProblem,
    check_team_allowed,
)
from models.actions.admin_relationships import end_relationships, held_relationships
from models.actions.admin_writes import insert_returning, update_by_id
from models.tables.cases import CaseAllocation
from models.tables.org import Employment, StaffMember, StaffRole, Team
from models.tables.supervision import SupervisionRelationship
from policy.keys import relationship_fact_id, staff_fact_id


def check_staff_values(values: dict[str, Any]) -> None:
    """What any person's facts must be, whatever else is known."""
    if "name" in values and not (values["name"] or "").strip():
        raise FieldProblem("name", "Enter the person's name.")
    email = values.get("email")
    if "email" in values and (not email or "@" not in email or " " in email.strip()):
        raise FieldProblem("email", "Enter an email address like name@council.gov.uk.")
    if "role" in values and not isinstance(values["role"], StaffRole):
        raise FieldProblem("role", "Select the person's role.")
    if "employment" in values and not isinstance(values["employment"], Employment):
        raise FieldProblem("employment", "Select the type of employment.")
    started, left = values.get("started_on"), values.get("left_on")
    if started and left and left < started:
        raise FieldProblem("left_on", "The leaving date must be on or after the start date.")
    probation_ends = values.get("probation_ends_on")
    if started and probation_ends and probation_ends <= started:
        raise FieldProblem("probation_ends_on", "Probation must end after the start date.")
    # Someone may join part-way through an ASYE begun at another council, so
    # its start may be before the job's; it only means anything during one.
    if values.get("asye_started_on") and values.get("asye") is False:
        raise FieldProblem(
            "asye_started_on", "Give an ASYE start date only for someone in their ASYE year."
        )


def check_line_manager(session: Session, person_id: int | None, manager_id: int | None) -> None:
    """The line manager is someone else, and not someone they manage (no cycle)."""
    if manager_id is None:
        return
    if manager_id == person_id:
        raise FieldProblem("line_manager_id", "A person cannot be their own line manager.")
    seen: set[int] = set()
    current: int | None = manager_id
    while current is not None and current not in seen:
        if current == person_id:
            raise FieldProblem(
                "line_manager_id",
                "That line manager is managed by this person, directly or through others.",
            )
        seen.add(current)
        current = session.scalar(
            select(StaffMember.line_manager_id).where(StaffMember.id == current)
        )


def check_references(session: Session, actor: Actor, values: dict[str, Any]) -> None:
    """The team and line manager are this organisation's (and the team in the actor's areas)."""
    team_id = values.get("team_id")
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is None or team.service_area.organisation_id != actor.organisation_id:
            raise FieldProblem("team_id", "Select the person's team.")
        if team.closed_on is not None:
            raise FieldProblem("team_id", f"{team.name} is closed; select an open team.")
    if "team_id" in values:
        check_team_allowed(session, actor, team_id)
    manager_id = values.get("line_manager_id")
    if manager_id is not None:
        manager = session.get(StaffMember, manager_id)
        if manager is None or manager.organisation_id != actor.organisation_id:
            raise FieldProblem("line_manager_id", "Select the person's line manager.")


# The columns of a person that the admin pages and a staff file set.
STAFF_COLUMNS = (
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
    "team_id",
    "line_manager_id",
)


def stored_staff(session: Session, *where) -> dict[str, dict[str, Any]]:
    """People as stored, by staff number: their id and STAFF_COLUMNS (one query)."""
    table = StaffMember.__table__
    columns = [table.c.id, table.c.staff_number, *(table.c[name] for name in STAFF_COLUMNS)]
    rows = session.execute(select(*columns).where(*where)).mappings()
    return {row["staff_number"]: dict(row) for row in rows}


@dataclass(frozen=True)
class StaffWrite:
    """What the admin page or a file's row asks of one person: these values,
    for the person as stored (None: a new person with this staff number)."""

    staff_number: str
    stored: Mapping[str, Any] | None
    values: dict[str, Any]


def subjects_of_people(
    session: Session, person_ids: Iterable[int], with_cases: Collection[int] = ()
) -> dict[int, set[str]]:
    """Each person, their relationships either side and, for those asked,
    their open cases (two queries, whatever the number of people)."""
    subjects = {p: {staff_fact_id(p)} for p in person_ids}
    if not subjects:
        return subjects
    rel = SupervisionRelationship
    for rel_id, *sides in session.execute(
        select(rel.id, rel.supervisee_id, rel.supervisor_id).where(
            or_(rel.supervisee_id.in_(list(subjects)), rel.supervisor_id.in_(list(subjects)))
        )
    ):
        for person_id in sides:
            if person_id in subjects:
                subjects[person_id].add(relationship_fact_id(rel_id))
    if with_cases:
        for ref, worker_id in session.execute(
            select(CaseAllocation.case_ref, CaseAllocation.worker_id).where(
                CaseAllocation.worker_id.in_(list(with_cases)), CaseAllocation.ended_on.is_(None)
            )
        ):
            subjects[worker_id].add(ref)
    return subjects


def end_relationships_on_leaving(
    session: Session, leavers: Mapping[int, date], changes: Changes
) -> None:
    """Leavers' relationships, as supervisee and as supervisor, end on their
    last day (the earlier, when both sides leave), in one UPDATE."""
    if not leavers:
        return
    rel, ids = SupervisionRelationship, list(leavers)
    open_ones = held_relationships(
        session, or_(rel.supervisee_id.in_(ids), rel.supervisor_id.in_(ids)), rel.ended_on.is_(None)
    )
    ends = []
    for held in open_ones:
        sides = (held.supervisee_id, held.supervisor_id)
        left_on = min(leavers[p] for p in sides if p in leavers)
        ends.append((held, max(left_on, held.started_on)))
    end_relationships(session, ends, changes)


def save_people(
    session: Session, actor: Actor, wanted: Sequence[StaffWrite], changes: Changes
) -> dict[str, int]:
    """Add the new people and change what differs for the others (their
    staff numbers distinct), recording each change and the subjects it
    touched, in a few statements whatever their number: one INSERT for the
    new, one UPDATE for the changed, a query each for the relationships and
    the open cases the changes touch, one UPDATE ending leavers'
    relationships. Nothing is written for a person as stored. Their ids by
    staff number."""
    new = [w for w in wanted if w.stored is None]
    ids = insert_returning(
        session,
        StaffMember,
        [
            {"organisation_id": actor.organisation_id, "staff_number": w.staff_number} | w.values
            for w in new
        ],
        key="staff_number",
    )
    for w in new:
        person_id = ids[w.staff_number]
        fields = [FieldChange(k, None, v) for k, v in w.values.items() if v not in (None, "")]
        changes.add(Change(NEW, "staff_member", w.staff_number, person_id, fields, person_id), ())
        changes.subjects.add(staff_fact_id(person_id))
    changed: dict[int, tuple[StaffWrite, list[FieldChange]]] = {}
    for w in wanted:
        if w.stored is not None:
            ids[w.staff_number] = w.stored["id"]
            fields = [
                FieldChange(k, w.stored[k], v) for k, v in w.values.items() if w.stored[k] != v
            ]
            if fields:
                changed[w.stored["id"]] = (w, fields)
            else:
                changes.unchanged += 1
    _change_people(session, changed, changes)
    return ids


def _change_people(
    session: Session, changed: dict[int, tuple[StaffWrite, list[FieldChange]]], changes: Changes
) -> None:
    update_by_id(
        session,
        StaffMember,
        {person_id: {f.field: f.new for f in fields} for person_id, (_, fields) in changed.items()},
    )
    new_leaving_date = [
        person_id
        for person_id, (_, fields) in changed.items()
        if any(f.field == "left_on" for f in fields)
    ]
    subjects = subjects_of_people(session, changed, with_cases=new_leaving_date)
    leavers = {}
    for person_id, (wanted, fields) in changed.items():
        leaving = any(f.field == "left_on" and f.new is not None for f in fields)
        outcome = LEAVER if leaving else CHANGED
        change = Change(outcome, "staff_member", wanted.staff_number, person_id, fields, person_id)
        changes.add(change, subjects[person_id])
        if leaving:
            leavers[person_id] = wanted.values["left_on"]
    end_relationships_on_leaving(session, leavers, changes)


def save_staff(
    session: Session,
    actor: Actor,
    person: StaffMember | None,
    staff_number: str,
    values: dict[str, Any],
    changes: Changes,
) -> int:
    """The admin page's change to one person (or a new person), as a batch of
    one: the person's id."""
    stored = None
    if person is not None:
        stored = {"id": person.id} | {c: getattr(person, c) for c in (*STAFF_COLUMNS, *values)}
    return save_people(session, actor, [StaffWrite(staff_number, stored, values)], changes)[
        staff_number
    ]


# --- the admin pages' actions ---------------------------------------------------------


@dataclass(frozen=True)
class StaffResult:
    staff_id: int
    changes: tuple[str, ...]
    next_task_ids: tuple[int, ...]


def _staff_action(
    action: AdminAction,
    person: StaffMember | None,
    staff_number: str,
    values: dict[str, Any],
    summary_action: str,
) -> StaffResult:
    session, actor = action.session, action.actor
    check_staff_values(values)
    check_references(session, actor, values)
    check_line_manager(session, person.id if person else None, values.get("line_manager_id"))
    person_id = save_staff(session, actor, person, staff_number, values, action.changes)
    done = action.finish(summary_action, "staff_member", person_id, person_id)
    return StaffResult(person_id, tuple(map(str, action.changes.items)), done.next_task_ids)


def add_staff(
    *,
    actor_user_id: int,
    staff_number: str,
    values: dict[str, Any],
    on: date,
    session_factory: sessionmaker | None = None,
) -> StaffResult:
    staff_number = (staff_number or "").strip()
    if not staff_number or len(staff_number) > 40:
        raise FieldProblem("staff_number", "Enter the employee number from the HR system.")
    with admin_action(actor_user_id, on, session_factory) as action:
        taken = action.session.scalar(
            select(StaffMember.id).where(
                StaffMember.organisation_id == action.actor.organisation_id,
                StaffMember.staff_number == staff_number,
            )
        )
        if taken is not None:
            raise FieldProblem("staff_number", f"Employee number {staff_number} is already used.")
        check_team_allowed(action.session, action.actor, values.get("team_id"))
        return _staff_action(action, None, staff_number, values, "create")


def edit_staff(
    *,
    actor_user_id: int,
    staff_id: int,
    values: dict[str, Any],
    on: date,
    session_factory: sessionmaker | None = None,
) -> StaffResult:
    """Change a person's facts (recording leaving is this with a leaving date)."""
    with admin_action(actor_user_id, on, session_factory) as action:
        person = action.person_to_change(staff_id)
        merged = {c: getattr(person, c) for c in ("started_on", "left_on")} | values
        check_staff_values(merged)
        return _staff_action(action, person, person.staff_number, values, "update")


def record_leaving(
    *,
    actor_user_id: int,
    staff_id: int,
    left_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> StaffResult:
    return edit_staff(
        actor_user_id=actor_user_id,
        staff_id=staff_id,
        values={"left_on": left_on},
        on=on,
        session_factory=session_factory,
    )
