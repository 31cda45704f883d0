"""Recording a person's absence on the admin pages. With someone to cover, it
is `models.actions.cover.arrange_cover` (the same eligibility rules and task
moves as the team page); without, the absence alone is recorded here, the
person reconciled (the supervisor-absence lifecycle owes cover once the
absence passes the profile's limit) and the absence announced, in one
transaction ended by the admin changes' one end."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.admin_action import AdminAction, admin_action
from models.actions.admin_changes import (
    CHANGED,
    NEW,
    Change,
    Changes,
    FieldChange,
    FieldProblem,
    actor_for_login,
    check_may_change_staff,
)
from models.actions.cover import arrange_cover, reconcile_each_lifecycle
from models.actions.errors import ActionError
from models.actions.inbox import MAX_REASON
from models.actions.unit_of_work import Finished
from models.db import get_sessionmaker
from models.events import Event
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.org import StaffMember
from models.tables.oversight import Absence, CoverArrangement
from policy.keys import staff_fact_id

# What an absence may change: the cover owed for a supervisor away, and the
# supervisors' loads.
ABSENCE_LIFECYCLES = ("supervisor_absence", "supervisor_load")


@dataclass(frozen=True)
class AbsenceResult:
    absence_id: int
    cover_arrangement_id: int | None
    next_task_ids: tuple[int, ...]


def record_absence(
    *,
    actor_user_id: int,
    staff_id: int,
    starts_on: date,
    ends_on: date | None,
    reason: str,
    cover_staff_id: int | None,
    on: date,
    session_factory: sessionmaker | None = None,
) -> AbsenceResult:
    """The absence from its first day to its last (None: not known yet), and,
    when someone is named to cover, the cover arrangement."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise FieldProblem("reason", f"The reason must be {MAX_REASON} characters or fewer.")
    if ends_on is not None and ends_on < starts_on:
        raise FieldProblem("ends_on", "The last day must be on or after the first day.")
    if cover_staff_id is not None:
        return _with_cover(
            session_factory or get_sessionmaker(),
            actor_user_id,
            (staff_id, cover_staff_id),
            (starts_on, ends_on),
            reason,
            on,
        )
    with admin_action(actor_user_id, on, session_factory) as action:
        person = action.person_to_change(staff_id)
        absence = _add_absence(action.session, action.actor, person, starts_on, ends_on, reason)
        fields = [FieldChange("starts_on", None, starts_on), FieldChange("ends_on", None, ends_on)]
        action.changes.add(
            Change(NEW, "absence", person.staff_number, person.id, fields, absence.id),
            {staff_fact_id(person.id)},
        )
        done = _finish(action, "create", absence, person, events.ABSENCE_RECORDED)
        return AbsenceResult(absence.id, None, done.next_task_ids)


def _with_cover(factory, actor_user_id, people, dates, reason, on) -> AbsenceResult:
    """The team page's own action: who may arrange it, who may cover, the moves."""
    (staff_id, cover_staff_id), (starts_on, ends_on) = people, dates
    if ends_on is None:
        raise FieldProblem("ends_on", "Enter the last day of the absence to arrange cover.")
    with factory() as session:
        actor = actor_for_login(session, actor_user_id)
    done = arrange_cover(
        absent_staff_id=staff_id,
        cover_staff_id=cover_staff_id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        by_staff_id=actor.staff_id,
        on=on,
        actor_user_id=actor_user_id,
        session_factory=factory,
    )
    return AbsenceResult(done.absence_id, done.cover_arrangement_id, done.moved_task_ids)


def _add_absence(session, actor, person, starts_on, ends_on, reason: str) -> Absence:
    _refuse_overlap(session, person, starts_on, ends_on)
    absence = Absence(
        staff_id=person.id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason[:120],
        recorded_by_id=actor.staff_id,
    )
    session.add(absence)
    session.flush()
    return absence


def _refuse_overlap(session, person: StaffMember, starts_on: date, ends_on: date | None) -> None:
    overlapping = session.scalars(
        select(Absence).where(
            Absence.staff_id == person.id,
            or_(Absence.ends_on.is_(None), Absence.ends_on >= starts_on),
            *([Absence.starts_on <= ends_on] if ends_on is not None else []),
        )
    ).first()
    if overlapping is not None:
        raise FieldProblem(
            "starts_on",
            f"{person.name} is already recorded as absent from "
            f"{overlapping.starts_on:%-d %B %Y}; it overlaps these dates.",
        )


@dataclass(frozen=True)
class ShortenedAbsence:
    absence_id: int
    cover_arrangement_ids: tuple[int, ...]
    changes: tuple[str, ...]


def shorten_absence(
    *,
    actor_user_id: int,
    absence_id: int,
    ends_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> ShortenedAbsence:
    """End an absence on a day (one with no end yet) or bring its last day
    forward, and the cover arranged within it with it: the covered tasks go
    back to the supervisor at once when the cover is over, the change is
    audited from what to what and announced, in one transaction."""
    with admin_action(actor_user_id, on, session_factory) as action:
        session, actor, changes = action.session, action.actor, action.changes
        absence = session.get(Absence, absence_id)
        person = session.get(StaffMember, absence.staff_id) if absence else None
        if person is None or person.organisation_id != actor.organisation_id:
            raise ActionError("There is no such absence.")
        check_may_change_staff(session, actor, person)
        _check_shorter(absence, ends_on)
        changes.add(
            Change(
                CHANGED,
                "absence",
                person.staff_number,
                person.id,
                [FieldChange("ends_on", absence.ends_on, ends_on)],
                absence.id,
            ),
            {staff_fact_id(person.id)},
        )
        covers = _shorten_cover(session, person, absence, ends_on, changes)
        absence.ends_on = ends_on
        session.flush()
        _give_back_covered_tasks(session, person, actor, on)
        _finish(
            action,
            "update",
            absence,
            person,
            events.ABSENCE_SHORTENED,
            ends_on=ends_on.isoformat(),
            cover_arrangement_ids=list(covers),
        )
        return ShortenedAbsence(absence.id, covers, tuple(map(str, changes.items)))


def _finish(
    action: AdminAction,
    verb: str,
    absence: Absence,
    person: StaffMember,
    event: Event,
    **payload: Any,
) -> Finished:
    """An absence's change ends one way: the person's absence and load
    lifecycles reconciled, the change announced about the person."""
    return action.finish(
        verb,
        "absence",
        absence.id,
        person.id,
        lifecycles=ABSENCE_LIFECYCLES,
        event=event,
        subject_id=person.id,
        payload={"absence_id": absence.id, **payload},
    )


def _check_shorter(absence: Absence, ends_on: date) -> None:
    if ends_on < absence.starts_on:
        raise FieldProblem(
            "ends_on",
            f"The last day must be on or after the first day, {absence.starts_on:%-d %B %Y}.",
        )
    if absence.ends_on is not None and ends_on >= absence.ends_on:
        raise FieldProblem(
            "ends_on",
            f"The absence already ends on {absence.ends_on:%-d %B %Y}: give an earlier last day "
            "to shorten it, or record a new absence.",
        )


def _shorten_cover(
    session: Session, person: StaffMember, absence: Absence, ends_on: date, changes: Changes
) -> tuple[int, ...]:
    """The cover arranged within the absence that would outlast it now ends with it."""
    covers = session.scalars(
        select(CoverArrangement)
        .where(
            CoverArrangement.absent_supervisor_id == person.id,
            CoverArrangement.starts_on >= absence.starts_on,
            *([CoverArrangement.starts_on <= absence.ends_on] if absence.ends_on else []),
            or_(CoverArrangement.ends_on.is_(None), CoverArrangement.ends_on > ends_on),
        )
        .order_by(CoverArrangement.starts_on)
    ).all()
    for cover in covers:
        if cover.starts_on > ends_on:
            # Cutting it to before its own start would leave a cover that never was.
            raise FieldProblem(
                "ends_on",
                f"Cover is arranged from {cover.starts_on:%-d %B %Y}, after that day: give a "
                "last day on or after it.",
            )
        changes.add(
            Change(
                CHANGED,
                "cover_arrangement",
                person.staff_number,
                person.id,
                [FieldChange("ends_on", cover.ends_on, ends_on)],
                cover.id,
            ),
            (),
        )
        cover.ends_on = ends_on
    return tuple(c.id for c in covers)


def _give_back_covered_tasks(session: Session, person: StaffMember, actor, on: date) -> None:
    """Reconcile the supervisor's tasks the cover holds, lifecycle by lifecycle,
    for their own subjects: when the cover is over they are back in the
    supervisor's inbox now, not at the next daily run."""
    held = session.execute(
        select(HumanTask.lifecycle, HumanTask.subject).where(
            HumanTask.organisation_id == person.organisation_id,
            HumanTask.status.in_(OPEN_STATUSES),
            HumanTask.original_assignee_id == person.id,
            HumanTask.assignee_id != person.id,
        )
    ).all()
    subjects: dict[str, set[str]] = defaultdict(set)
    for lifecycle, subject in held:
        subjects[lifecycle].add(subject)
    reconcile_each_lifecycle(session, person.organisation_id, subjects, on, actor.label)
