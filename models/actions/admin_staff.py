"""Adding, changing and recording the leaving of staff, for the admin pages
and the staff import alike (`save_staff` is the one place a person's facts
change). A change of role, employment, team, line manager, ASYE or dates
reconciles the person, their relationships and, when they leave, their open
cases, so every inbox is right at once; a leaver's supervision relationships
end on their last day (a supervisor who has left supervises nobody)."""

from __future__ import annotations

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
    set_fields,
)
from models.actions.admin_relationships import end_in_session
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


def subjects_of(session: Session, person: StaffMember, with_cases: bool) -> set[str]:
    """The person, their relationships either side and, if asked, their open cases."""
    subjects = {staff_fact_id(person.id)}
    rel_ids = session.scalars(
        select(SupervisionRelationship.id).where(
            or_(
                SupervisionRelationship.supervisee_id == person.id,
                SupervisionRelationship.supervisor_id == person.id,
            )
        )
    )
    subjects.update(relationship_fact_id(r) for r in rel_ids)
    if with_cases:
        subjects.update(
            session.scalars(
                select(CaseAllocation.case_ref).where(
                    CaseAllocation.worker_id == person.id, CaseAllocation.ended_on.is_(None)
                )
            )
        )
    return subjects


def end_relationships_on_leaving(session: Session, person: StaffMember, changes: Changes) -> None:
    """A leaver's relationships, as supervisee and as supervisor, end on their last day."""
    open_ones = session.scalars(
        select(SupervisionRelationship).where(
            or_(
                SupervisionRelationship.supervisee_id == person.id,
                SupervisionRelationship.supervisor_id == person.id,
            ),
            SupervisionRelationship.ended_on.is_(None),
        )
    )
    for rel in open_ones:
        end_in_session(session, rel, max(person.left_on, rel.started_on), changes)


def save_staff(
    session: Session,
    actor: Actor,
    person: StaffMember | None,
    staff_number: str,
    values: dict[str, Any],
    changes: Changes,
) -> StaffMember:
    """Create the person or change what differs, recording the change and the
    subjects it touched. The values are checked; nothing is written when they
    are the same as stored."""
    if person is None:
        person = StaffMember(
            organisation_id=actor.organisation_id, staff_number=staff_number, **values
        )
        session.add(person)
        session.flush()
        fields = [FieldChange(k, None, v) for k, v in values.items() if v not in (None, "")]
        changes.add(Change(NEW, "staff_member", staff_number, person.id, fields, person.id), ())
        changes.subjects.add(staff_fact_id(person.id))
        return person
    fields = set_fields(person, values)
    if not fields:
        changes.unchanged += 1
        return person
    leaving = any(f.field == "left_on" and f.new is not None for f in fields)
    outcome = LEAVER if leaving else CHANGED
    changes.add(
        Change(outcome, "staff_member", staff_number, person.id, fields, person.id),
        subjects_of(session, person, with_cases=any(f.field == "left_on" for f in fields)),
    )
    if leaving:
        end_relationships_on_leaving(session, person, changes)
    return person


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
    person = save_staff(session, actor, person, staff_number, values, action.changes)
    done = action.finish(summary_action, "staff_member", person.id, person.id)
    return StaffResult(person.id, tuple(map(str, action.changes.items)), done.next_task_ids)


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
