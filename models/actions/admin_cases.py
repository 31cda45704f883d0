"""Allocating, reallocating and closing cases by case ID and case type only,
for the workforce team's admin pages and the cases import alike: one code
path, `apply_case_changes`, which takes a batch of wanted changes (the admin
page's one change is a batch of one) and writes them in a handful of
statements, whatever the batch's size: the allocations they end in one
UPDATE, the categories they change in another, the new allocations in one
INSERT. A reallocation ends the allocation in force and starts one for the
new worker, restarting the first-supervision clock (Wokingham 003 standard
21); each change reconciles the case, so its supervision is in the right
inbox at once. (A supervisor allocating within their own team uses
models/actions/cases.py.)"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.actions.admin_action import admin_action
from models.actions.admin_changes import (
    CHANGED,
    CLOSED,
    NEW,
    REALLOCATION,
    Actor,
    Change,
    Changes,
    FieldChange,
    FieldProblem,
    check_may_change_staff,
)
from models.actions.admin_writes import insert_returning, update_by_id
from models.actions.case_category import category_problem
from models.actions.cases import CASE_LIFECYCLES, checked_case_id
from models.actions.errors import ActionError
from models.tables.cases import CaseAllocation, CaseType
from models.tables.org import Organisation, StaffMember
from policy import load_profile
from policy.profile import Profile


@dataclass(frozen=True)
class Worker:
    """A worker, as allocating a case needs them."""

    id: int
    staff_number: str
    left_on: date | None
    team_id: int | None

    @classmethod
    def of(cls, person: StaffMember) -> Worker:
        return cls(person.id, person.staff_number, person.left_on, person.team_id)


def workers_by_number(session: Session, organisation_id: int) -> dict[str, Worker]:
    """The organisation's people by staff number (one query, no ORM objects)."""
    rows = session.execute(
        select(
            StaffMember.id, StaffMember.staff_number, StaffMember.left_on, StaffMember.team_id
        ).where(StaffMember.organisation_id == organisation_id)
    )
    return {row.staff_number: Worker(*row) for row in rows}


@dataclass(frozen=True)
class HeldCase:
    """A case's allocation in force."""

    id: int
    case_type: CaseType
    worker: Worker
    allocated_on: date
    frequency_weeks: int | None
    frequency_reason: str | None
    category: str | None


def held_cases(session: Session, organisation_id: int, refs: Iterable[str]) -> dict[str, HeldCase]:
    """The allocations in force of these cases, in one query (should a case
    have two open, the latest, as models.actions.cases.open_allocation takes)."""
    a, s = CaseAllocation, StaffMember
    rows = session.execute(
        select(a.case_ref, a.id, a.case_type, s.id, s.staff_number, s.left_on, s.team_id)
        .add_columns(a.allocated_on, a.frequency_weeks, a.frequency_reason, a.category)
        .join(s, s.id == a.worker_id)
        .where(a.organisation_id == organisation_id, a.case_ref.in_(list(refs)))
        .where(a.ended_on.is_(None))
        .order_by(a.allocated_on, a.id)
    )
    return {row[0]: HeldCase(row[1], CaseType(row[2]), Worker(*row[3:7]), *row[7:]) for row in rows}


@dataclass(frozen=True)
class CaseChange:
    """What a file's row or the admin page asks of one case: allocated to a
    worker from a day (new, a reallocation, or as it is), then perhaps closed;
    with no worker, closed only."""

    ref: str
    worker: Worker | None
    case_type: CaseType | None = None  # None: the type the case has here
    allocated_on: date | None = None
    closed_on: date | None = None
    sets_category: bool = False  # a file with a category column sets it, blank = none
    category: str | None = None
    row: int = 0  # the file's row (0: the admin page)


@dataclass
class _Plan:
    """The statements' share of one case change, and the changes it records."""

    wanted: CaseChange
    held: HeldCase | None
    ends_on: date | None = None  # the held allocation ends on this day
    new: dict | None = None  # the new allocation's columns
    recategorised: bool = False  # the held allocation's category changes
    changes: list[Change] = field(default_factory=list)


Refuse = Callable[[CaseChange, FieldProblem], None]


def _raise(_wanted: CaseChange, problem: FieldProblem) -> None:
    raise problem


def apply_case_changes(
    session: Session,
    actor: Actor,
    wanted: Iterable[CaseChange],
    held: dict[str, HeldCase],
    changes: Changes,
    refuse: Refuse = _raise,
) -> dict[str, tuple[int, int]]:
    """Apply a batch of changes to distinct cases, `held` being their
    allocations in force: each planned on its own (a change that cannot be
    made is refused, by default raised), then all written at once. The cases'
    allocations in force afterwards, as (allocation id, worker id) by case ID."""
    plans, profile = [], None
    for one in wanted:
        try:
            if one.sets_category and profile is None:
                organisation = session.get(Organisation, actor.organisation_id)
                profile = load_profile(organisation.profile)
            plans.append(_plan(actor, one, held.get(one.ref), profile))
        except FieldProblem as problem:
            refuse(one, problem)
    new_ids = _write(session, plans)
    after = {}
    for plan in plans:
        ref = plan.wanted.ref
        if plan.new is not None:
            after[ref] = (new_ids[ref], plan.new["worker_id"])
        elif plan.held is not None:
            after[ref] = (plan.held.id, plan.held.worker.id)
        for change in plan.changes:
            change.object_id = change.object_id or new_ids[ref]
            changes.add(change, {ref})
        if not plan.changes:
            changes.unchanged += 1
    return after


def _write(session: Session, plans: list[_Plan]) -> dict[str, int]:
    """The batch's statements: one UPDATE for the allocations that end or
    change category, one INSERT for the new allocations (their ids by case ID)."""
    changed: dict[int, dict] = {}
    for p in plans:
        if p.ends_on is not None:
            changed.setdefault(p.held.id, {})["ended_on"] = p.ends_on
        if p.recategorised:
            changed.setdefault(p.held.id, {})["category"] = p.wanted.category
    update_by_id(session, CaseAllocation, changed)
    return insert_returning(
        session, CaseAllocation, [p.new for p in plans if p.new is not None], "case_ref"
    )


def _plan(actor: Actor, wanted: CaseChange, held: HeldCase | None, profile) -> _Plan:
    plan = _Plan(wanted, held)
    if wanted.closed_on is not None and held is None:
        return plan  # closed in the case system and not open here: nothing to do
    if wanted.closed_on is not None and wanted.closed_on < (wanted.allocated_on or date.min):
        raise FieldProblem("closed_on", "A case cannot close before it was allocated.")
    if wanted.worker is None or (held is not None and held.worker.id == wanted.worker.id):
        _keep(plan, profile)
    else:
        _allocate(actor, plan, profile)
    return plan


def _closed(ref: str, worker_id: int, closed_on: date, allocation_id: int | None) -> Change:
    fields = [FieldChange("ended_on", None, closed_on)]
    return Change(CLOSED, "case_allocation", ref, worker_id, fields, allocation_id)


def _keep(plan: _Plan, profile: Profile | None) -> None:
    """The case stays with its worker: perhaps a new category, perhaps closed."""
    wanted, held = plan.wanted, plan.held
    if wanted.case_type is not None and wanted.case_type != held.case_type:
        raise FieldProblem(
            "case_type",
            f"Case {wanted.ref} is a {held.case_type.value} case here; change its type in "
            "the case system's export only if it really changed.",
        )
    if wanted.closed_on is not None and wanted.closed_on < held.allocated_on:
        raise FieldProblem("closed_on", "A case cannot close before it was allocated.")
    if wanted.sets_category and wanted.category != held.category:
        _check_category(profile, held.case_type, wanted.category, held.frequency_weeks)
        plan.recategorised = True
        fields = [FieldChange("category", held.category, wanted.category)]
        plan.changes.append(
            Change(CHANGED, "case_allocation", wanted.ref, held.worker.id, fields, held.id)
        )
    if wanted.closed_on is not None:
        plan.ends_on = wanted.closed_on
        plan.changes.append(_closed(wanted.ref, held.worker.id, wanted.closed_on, held.id))


def _allocate(actor: Actor, plan: _Plan, profile: Profile | None) -> None:
    """A new allocation: a new case, or a reallocation ending the one in force
    (its recorded frequency and category carry over unless the file sets one)."""
    wanted, held, worker = plan.wanted, plan.held, plan.wanted.worker
    if worker.left_on is not None and worker.left_on < wanted.allocated_on:
        raise FieldProblem("worker", "The worker had left by the date allocated.")
    fields = [
        FieldChange("worker", held.worker.staff_number if held else None, worker.staff_number)
    ]
    if held is not None:
        if wanted.allocated_on < held.allocated_on:
            raise FieldProblem(
                "allocated_on", "A case cannot be reallocated before it was last allocated."
            )
        plan.ends_on = wanted.allocated_on
    kind = wanted.case_type or held.case_type
    before = held.category if held else None
    category = wanted.category if wanted.sets_category else before
    weeks = held.frequency_weeks if held else None
    if wanted.sets_category:
        _check_category(profile, kind, category, weeks)
    plan.new = {
        "organisation_id": actor.organisation_id,
        "case_ref": wanted.ref,
        "case_type": kind,
        "worker_id": worker.id,
        "allocated_on": wanted.allocated_on,
        "ended_on": wanted.closed_on,
        "frequency_weeks": weeks,
        "frequency_reason": held.frequency_reason if held else None,
        "category": category,
    }
    fields += [
        FieldChange("case_type", None, kind),
        FieldChange("allocated_on", None, wanted.allocated_on),
    ]
    if category != before:
        fields.append(FieldChange("category", before, category))
    outcome = REALLOCATION if held else NEW
    plan.changes.append(Change(outcome, "case_allocation", wanted.ref, worker.id, fields))
    if wanted.closed_on is not None:
        plan.changes.append(_closed(wanted.ref, worker.id, wanted.closed_on, None))


def _check_category(profile, case_type: CaseType, category: str | None, weeks: int | None) -> None:
    problem = category_problem(profile, case_type.value, category, weeks)
    if problem:
        raise FieldProblem("category", problem)


# --- the admin pages' actions ---------------------------------------------------------


@dataclass(frozen=True)
class AdminCaseResult:
    case_ref: str
    allocation_id: int
    next_task_ids: tuple[int, ...]


def _one_case(action, wanted: CaseChange, held: dict[str, HeldCase]) -> AdminCaseResult:
    """The admin page's change, as a batch of one, finished like any admin change."""
    after = apply_case_changes(action.session, action.actor, [wanted], held, action.changes)
    if not action.changes.items:
        raise ActionError(f"Case {wanted.ref} is already allocated to that worker.")
    allocation_id, worker_id = after[wanted.ref]
    done = action.finish(
        "update", "case_allocation", allocation_id, worker_id, lifecycles=CASE_LIFECYCLES
    )
    return AdminCaseResult(wanted.ref, allocation_id, done.next_task_ids)


def _held_worker_may_change(action, held: HeldCase | None) -> None:
    if held is not None:
        person = action.session.get(StaffMember, held.worker.id)
        check_may_change_staff(action.session, action.actor, person)


def allocate_or_reallocate(
    *,
    actor_user_id: int,
    case_ref: str,
    case_type: str | None,
    worker_id: int,
    allocated_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> AdminCaseResult:
    """Allocate a new case (its type is needed) or reallocate an open one."""
    ref = checked_case_id(case_ref)
    if allocated_on > on:
        raise FieldProblem("allocated_on", "The date allocated must be today or in the past.")
    with admin_action(actor_user_id, on, session_factory) as action:
        session, actor = action.session, action.actor
        person = session.get(StaffMember, worker_id)
        if person is None or person.organisation_id != actor.organisation_id:
            raise FieldProblem("worker", "Select the worker.")
        check_may_change_staff(session, actor, person)
        held = held_cases(session, actor.organisation_id, [ref])
        _held_worker_may_change(action, held.get(ref))
        kind = None
        if ref not in held:
            try:
                kind = CaseType(case_type or "")
            except ValueError:
                raise FieldProblem("case_type", "Select the type of case.") from None
        wanted = CaseChange(ref, Worker.of(person), kind, allocated_on)
        return _one_case(action, wanted, held)


def close_allocated_case(
    *,
    actor_user_id: int,
    case_ref: str,
    closed_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> AdminCaseResult:
    ref = checked_case_id(case_ref)
    with admin_action(actor_user_id, on, session_factory) as action:
        held = held_cases(action.session, action.actor.organisation_id, [ref])
        if ref not in held:
            raise ActionError(f"There is no open case {ref}.")
        _held_worker_may_change(action, held[ref])
        return _one_case(action, CaseChange(ref, None, closed_on=closed_on), held)
