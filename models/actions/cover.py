"""A supervisor's absence and the colleague who covers for them (Wokingham 003
standards 12-13: while a supervisor is absent "effective arrangements are in
place for the supervision of the affected staff and their work"). Arranging
cover reconciles the absent supervisor's open human tasks at once, so they
are in the cover supervisor's inbox from the first day of the absence, and
back in the supervisor's after the last day, at the daily reconcile. One
transaction, ended by finish_action."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.eligibility import cover_arrangers, cover_candidates, is_among
from models.actions.errors import ActionError, NotPermitted
from models.actions.inbox import MAX_REASON
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.org import StaffMember
from models.tables.oversight import Absence, CoverArrangement
from policy.dates import long_date
from policy.keys import staff_fact_id


@dataclass(frozen=True)
class CoverResult:
    absence_id: int
    cover_arrangement_id: int
    moved_task_ids: tuple[int, ...]


def arrange_cover(
    *,
    absent_staff_id: int,
    cover_staff_id: int,
    starts_on: date,
    ends_on: date,
    reason: str,
    by_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CoverResult:
    """Record a supervisor's absence and who covers for them, then move their
    open human tasks to the cover supervisor's inbox at once."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ActionError(f"The reason must be {MAX_REASON} characters or fewer.")
    if ends_on < starts_on:
        raise ActionError("The last day of the absence must be on or after the first day.")
    if absent_staff_id == cover_staff_id:
        raise ActionError("Choose someone other than the absent supervisor to cover.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        absent, cover, by = _cover_people(
            session, absent_staff_id, cover_staff_id, by_staff_id, starts_on, ends_on
        )
        lock_organisation(session, absent.organisation_id)
        _refuse_overlap(session, absent, starts_on, ends_on)
        absence, arrangement = _add_absence(session, absent, cover, by, starts_on, ends_on, reason)
        moved = _move_held_tasks(session, absent, cover, by, on)
        finish_action(
            session,
            Finish(
                organisation_id=absent.organisation_id,
                actor_staff_id=by.id,
                actor_user_id=actor_user_id,
                on=on,
                event=events.COVER_ARRANGED,
                subject_id=absent.id,
                payload={
                    "absent_staff_id": absent.id,
                    "cover_staff_id": cover.id,
                    "starts_on": starts_on.isoformat(),
                    "ends_on": ends_on.isoformat(),
                    "cover_arrangement_id": arrangement.id,
                },
                audit=Audit(
                    "create",
                    "cover_arrangement",
                    arrangement.id,
                    absent.id,
                    f"{by.name} arranged cover by {cover.name} for {absent.name} from "
                    f"{_long(starts_on)} to {_long(ends_on)}; "
                    f"{len(moved)} open task(s) moved",
                ),
            ),
        )
        return CoverResult(
            absence_id=absence.id, cover_arrangement_id=arrangement.id, moved_task_ids=moved
        )


def _add_absence(session: Session, absent, cover, by, starts_on, ends_on, reason: str):
    """The absence, and who covers it, from the first day to the last."""
    absence = Absence(
        staff_id=absent.id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason[:120],
        recorded_by_id=by.id,
    )
    arrangement = CoverArrangement(
        absent_supervisor_id=absent.id,
        cover_supervisor_id=cover.id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        arranged_by_id=by.id,
    )
    session.add_all([absence, arrangement])
    session.flush()
    return absence, arrangement


def _cover_people(
    session: Session, absent_id: int, cover_id: int, by_id: int, starts_on: date, ends_on: date
):
    """The absent supervisor, the colleague covering and the person arranging
    it, all of one organisation: arranged by someone who manages the absent
    supervisor, given to a colleague in post who may supervise those
    supervisees (models/actions/eligibility.py)."""
    absent = session.get(StaffMember, absent_id)
    cover = session.get(StaffMember, cover_id)
    by = session.get(StaffMember, by_id)
    if absent is None or by is None or absent.organisation_id != by.organisation_id:
        raise ActionError("That person is not on your organisation's staff list.")
    if cover is None or cover.organisation_id != absent.organisation_id:
        raise ActionError("Choose a colleague in your organisation to cover.")
    if cover.left_on is not None and cover.left_on <= starts_on:
        raise ActionError(f"{cover.name} has left, so cannot cover.")
    if by.id == absent.id or not is_among(session, cover_arrangers(absent), by.id):
        raise NotPermitted(
            f"Only someone who manages {absent.name} can arrange cover for them "
            "(their line manager, the head of their service or the workforce team)."
        )
    if not is_among(session, cover_candidates(absent, starts_on, ends_on), cover.id):
        raise NotPermitted(
            f"{cover.name} cannot cover for {absent.name}: choose a colleague in post who may "
            f"supervise, not {absent.name} and not one of their supervisees."
        )
    return absent, cover, by


def _refuse_overlap(session: Session, absent: StaffMember, starts_on: date, ends_on: date):
    overlapping = session.scalars(
        select(CoverArrangement).where(
            CoverArrangement.absent_supervisor_id == absent.id,
            CoverArrangement.starts_on <= ends_on,
            (CoverArrangement.ends_on.is_(None)) | (CoverArrangement.ends_on >= starts_on),
        )
    ).first()
    if overlapping is not None:
        raise ActionError(
            f"{absent.name} already has cover arranged from "
            f"{_long(overlapping.starts_on)}; it overlaps these dates."
        )


def reconcile_each_lifecycle(
    session: Session, organisation_id: int, subjects: dict[str, set[str]], on: date, actor: str
) -> None:
    """Reconcile each lifecycle for its own subjects only (the tasks a cover
    holds or gives back), so no other subject's tasks move."""
    for lifecycle, lifecycle_subjects in sorted(subjects.items()):
        reconcile_in_session(
            session,
            organisation_id=organisation_id,
            lifecycles={lifecycle},
            as_of=on,
            subjects=lifecycle_subjects,
            actor=actor,
        )


def _move_held_tasks(session: Session, absent, cover, by, on: date) -> tuple[int, ...]:
    """Reconcile the absent supervisor's open human tasks, lifecycle by
    lifecycle, for their own subjects only, and the supervisor-absence
    lifecycle for the supervisor themselves (cover now arranged); the ids of
    the tasks that moved to the cover supervisor."""
    held = session.scalars(
        select(HumanTask).where(
            HumanTask.organisation_id == absent.organisation_id,
            HumanTask.status.in_(OPEN_STATUSES),
            HumanTask.assignee_id == absent.id,
        )
    ).all()
    subjects: dict[str, set[str]] = defaultdict(set)
    for task in held:
        subjects[task.lifecycle].add(task.subject)
    subjects["supervisor_absence"].add(staff_fact_id(absent.id))
    reconcile_each_lifecycle(session, absent.organisation_id, subjects, on, staff_fact_id(by.id))
    session.flush()
    return tuple(
        sorted(
            t.id for t in held if t.assignee_id == cover.id and t.original_assignee_id == absent.id
        )
    )


def _long(day: date) -> str:
    return long_date(day)
