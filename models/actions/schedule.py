"""The year's schedule of supervision sessions, as PLANNED rows.

Nottingham (001_223e21d801bb36c8.txt §2.4): "The supervisor will provide the
supervisee with a schedule of supervision sessions covering the 12-month
period ... The supervisor is responsible for rescheduling these sessions if
they are cancelled for any reason." Other profiles may plan a year too.

Plain functions taking IDs, each owning its transaction and holding the
organisation's lock (models.engine.reconcile.lock_organisation) so two runs at once
serialise: re-running `plan_year` creates nothing new, and concurrent runs
create no duplicates. The dates, and how long a session lasts, come from
policy.schedule (pure). Each ends with unit_of_work.finish_action."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, sessionmaker

from models import events
from models.actions.errors import ActionError
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.engine.transient import is_transient_error
from models.engine.unit_obligations import supervisee_history, unit_facts
from models.events import Event
from models.tables.org import Organisation
from models.tables.oversight import Absence
from models.tables.supervision import (
    SessionKind,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import load_profile
from policy import schedule as planning
from policy.dates import long_date
from policy.facts import Facts
from policy.keys import parse_fact_id, relationship_fact_id, staff_fact_id
from policy.units import person

NO_RELATIONSHIP = "That supervision relationship does not exist."


class ScheduleError(ActionError):
    """A plain-English reason the schedule could not be changed; nothing was stored."""


@dataclass(frozen=True)
class PlanResult:
    relationship_id: int
    created: tuple[int, ...]  # new PLANNED session ids, earliest first
    dates: tuple[date, ...]
    required_by: str | None  # the citation when the profile requires a schedule


@dataclass(frozen=True)
class CancelResult:
    cancelled_id: int
    replacement_id: int
    moved_to: date


def plan_year(
    relationship_id: int,
    from_date: date,
    *,
    actor: str = "system",
    actor_user_id: int | None = None,
    kinds: tuple[str, ...] = ("individual", "asye_reflective"),
    session_factory: sessionmaker | None = None,
) -> PlanResult:
    """Create PLANNED sessions for the 12 months from `from_date`, continuing
    after the latest session already held or planned, so running it again (the
    same day, or from a flow every night) creates nothing new."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        rel = _relationship(session, relationship_id)
        lock_organisation(session, rel.supervisee.organisation_id)
        session.refresh(rel)
        return plan_year_in_session(
            session, rel, from_date, actor=actor, actor_user_id=actor_user_id, kinds=kinds
        )


def plan_years(
    organisation_id: int,
    plans: Sequence[tuple[int, date]],
    *,
    actor: str = "system",
    session_factory: sessionmaker | None = None,
) -> dict[int, PlanResult | Exception]:
    """plan_year for many of an organisation's relationships (id, plan from) in
    one transaction, their supervisees' histories read together rather than
    one person at a time. Each relationship is planned in a savepoint of its
    own: one refused (ScheduleError) or failing leaves the others planned, and
    its outcome is the error. A passing database fault is raised: the whole
    batch is tried again, and running again plans nothing twice."""
    outcomes: dict[int, PlanResult | Exception] = {}
    with (session_factory or get_sessionmaker())() as session, session.begin():
        lock_organisation(session, organisation_id)
        rels = {
            r.id: r
            for r in session.scalars(
                select(SupervisionRelationship)
                .where(SupervisionRelationship.id.in_([rel_id for rel_id, _ in plans]))
                .options(joinedload(SupervisionRelationship.supervisee))
            )
        }
        histories = _histories(session, organisation_id, rels.values(), plans)
        for rel_id, from_date in plans:
            rel = rels.get(rel_id)
            try:
                if rel is None or rel.supervisee.organisation_id != organisation_id:
                    raise ScheduleError(NO_RELATIONSHIP)
                with session.begin_nested():
                    outcomes[rel_id] = plan_year_in_session(
                        session, rel, from_date, actor=actor, facts=histories[rel_id, from_date]
                    )
            except Exception as error:
                if is_transient_error(error):
                    raise
                outcomes[rel_id] = error
    return outcomes


def _histories(session, organisation_id, rels, plans) -> dict[tuple[int, date], Facts]:
    """Each (relationship, plan from)'s supervisee history, read for all the
    supervisees planned from one day at once."""
    supervisee = {r.id: person(staff_fact_id(r.supervisee_id)) for r in rels}
    out = {}
    for from_date in sorted({day for _, day in plans}):
        ids = [rel_id for rel_id, day in plans if day == from_date and rel_id in supervisee]
        facts = unit_facts(
            session, organisation_id, [supervisee[i] for i in ids], from_date, history=True
        )
        out |= {(i, from_date): facts[supervisee[i]] for i in ids}
    return out


def plan_year_in_session(
    session: Session,
    rel: SupervisionRelationship,
    from_date: date,
    *,
    actor: str = "system",
    actor_user_id: int | None = None,
    kinds: tuple[str, ...] = ("individual", "asye_reflective"),
    facts: Facts | None = None,
) -> PlanResult:
    """plan_year inside a caller's transaction, which holds the organisation's lock
    (an agreement coming into force plans the year in the same transaction).
    `facts` is the supervisee's history when the caller has read it already."""
    org = session.get(Organisation, rel.supervisee.organisation_id)
    if rel.ended_on is not None and rel.ended_on <= from_date:
        raise ScheduleError("This supervision relationship has ended; nothing was planned.")
    profile = load_profile(org.profile)
    if facts is None:
        facts = supervisee_history(session, org.id, rel, from_date)
    unavailable = _absent(session, rel)
    created: list[SupervisionSession] = []
    for kind in kinds:
        created += _plan_kind(session, rel, profile, facts, from_date, kind, unavailable)
    session.flush()
    created.sort(key=lambda s: (s.planned_on, s.id))
    if created:
        _announce(
            session,
            rel,
            event=events.SCHEDULE_PLANNED,
            actor=actor,
            actor_user_id=actor_user_id,
            object_id=rel.id,
            detail=f"Planned {len(created)} session(s) from {long_date(from_date)}",
            payload={"session_ids": [s.id for s in created]},
            on=from_date,
        )
    return PlanResult(
        relationship_id=rel.id,
        created=tuple(s.id for s in created),
        dates=tuple(s.planned_on for s in created),
        required_by=planning.schedule_required_by(profile),
    )


def _plan_kind(session, rel, profile, facts, from_date: date, kind: str, unavailable):
    """New PLANNED sessions of one kind, on the days not planned already."""
    taken = _planned_days(session, rel.id, SessionKind(kind), from_date)
    planned = planning.plan_year(
        profile,
        facts,
        relationship_fact_id(rel.id),
        from_date=from_date,
        last=max(taken, default=None) or _last_held(session, rel.id, SessionKind(kind), from_date),
        kind=kind,
        unavailable=unavailable,
    )
    rows = [
        SupervisionSession(
            relationship_id=rel.id,
            kind=SessionKind(kind),
            status=SessionStatus.PLANNED,
            planned_on=item.on,
            planned_time=planning.DEFAULT_START,
            duration_minutes=planning.session_minutes(profile, kind),
        )
        for item in planned
        if item.on not in taken
    ]
    session.add_all(rows)
    return rows


def cancel_session(
    session_id: int,
    reason: str,
    by: int,
    *,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CancelResult:
    """Cancel a planned session, keeping the reason, and plan its replacement on
    the next available working day (neither party absent, no other session of
    theirs together that day). `by` is the staff id of the person cancelling:
    either party may (Bristol 002_d53851039f9fa32d.txt §3.11, "If either party
    has to cancel"); rescheduling is the supervisor's (Nottingham §1.4, §2.4)."""
    reason = (reason or "").strip()
    if not reason:
        raise ScheduleError("Enter why the session is cancelled.")
    with (session_factory or get_sessionmaker())() as session, session.begin():
        row = session.get(SupervisionSession, session_id)
        if row is None:
            raise ScheduleError("That session does not exist.")
        rel = row.supervision_relationship
        lock_organisation(session, rel.supervisee.organisation_id)
        session.refresh(row)
        if by not in (rel.supervisor_id, rel.supervisee_id):
            raise ScheduleError("Only the supervisor or the supervisee can cancel this session.")
        if row.status != SessionStatus.PLANNED:
            raise ScheduleError(
                "This session is not planned any more: it has already been "
                f"{'held' if row.status == SessionStatus.HELD else 'cancelled'}."
            )
        moved_to = _next_free_day(session, rel, row, on)
        row.status = SessionStatus.CANCELLED
        row.cancelled_reason = reason
        replacement = SupervisionSession(
            relationship_id=rel.id,
            kind=row.kind,
            status=SessionStatus.PLANNED,
            planned_on=moved_to,
            planned_time=row.planned_time,
            duration_minutes=row.duration_minutes,
            rescheduled_from_id=row.id,
        )
        session.add(replacement)
        session.flush()
        _announce(
            session,
            rel,
            event=events.SESSION_RESCHEDULED,
            actor=staff_fact_id(by),
            actor_user_id=actor_user_id,
            object_id=row.id,
            detail=(
                f"Cancelled the session planned for {long_date(row.planned_on)} "
                f"({reason}); moved to {long_date(moved_to)}"
            ),
            payload={"cancelled_id": row.id, "replacement_id": replacement.id},
            on=on,
        )
        return CancelResult(cancelled_id=row.id, replacement_id=replacement.id, moved_to=moved_to)


def _next_free_day(
    session: Session, rel: SupervisionRelationship, row: SupervisionSession, on: date
) -> date:
    """The next working day after the session's (or today) when neither party
    is absent and no other session of theirs is planned."""
    booked = _planned_days(session, rel.id, besides=row.id)
    absent = _absent(session, rel)

    def unavailable(day: date) -> bool:
        return day in booked or absent(day)

    moved_to = planning.next_available_day(max(row.planned_on, on), unavailable)
    if moved_to is None:
        raise ScheduleError(
            "There is no working day in the next year when both of you are available "
            "(an absence has no end date). Record the return date, or arrange cover."
        )
    return moved_to


def _relationship(session: Session, relationship_id: int) -> SupervisionRelationship:
    rel = session.get(SupervisionRelationship, relationship_id)
    if rel is None:
        raise ScheduleError(NO_RELATIONSHIP)
    return rel


def _planned_days(
    session: Session,
    relationship_id: int,
    kind: SessionKind | None = None,
    from_date: date | None = None,
    *,
    besides: int | None = None,
) -> set[date]:
    """The days the relationship's sessions (of a kind) are planned for, from a
    day on; the dates alone, not every session the relationship ever had."""
    query = select(SupervisionSession.planned_on).where(
        SupervisionSession.relationship_id == relationship_id,
        SupervisionSession.status == SessionStatus.PLANNED,
        SupervisionSession.planned_on.is_not(None),
    )
    if kind is not None:
        query = query.where(SupervisionSession.kind == kind)
    if from_date is not None:
        query = query.where(SupervisionSession.planned_on >= from_date)
    if besides is not None:
        query = query.where(SupervisionSession.id != besides)
    return set(session.scalars(query))


def _last_held(session: Session, relationship_id: int, kind: SessionKind, on: date) -> date | None:
    """With nothing planned from `on`, the plan runs on from the last session of
    the kind held by then (a planned date already past that was never held is
    not a session, so it does not move the cadence on)."""
    return session.scalar(
        select(func.max(SupervisionSession.held_on)).where(
            SupervisionSession.relationship_id == relationship_id,
            SupervisionSession.kind == kind,
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on <= on,
        )
    )


def _absent(session: Session, rel: SupervisionRelationship):
    """Days either party is recorded as absent."""
    spans = [
        (a.starts_on, a.ends_on)
        for a in session.scalars(
            select(Absence).where(Absence.staff_id.in_([rel.supervisor_id, rel.supervisee_id]))
        )
    ]

    def absent(day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in spans)

    return absent


def _announce(
    session: Session,
    rel: SupervisionRelationship,
    *,
    event: Event,
    actor: str,
    actor_user_id: int | None,
    object_id: int,
    detail: str,
    payload: dict,
    on: date,
) -> None:
    """Announce and audit a change to the schedule."""
    finish_action(
        session,
        Finish(
            organisation_id=rel.supervisee.organisation_id,
            actor_staff_id=parse_fact_id(actor, "staff"),
            actor_user_id=actor_user_id,
            on=on,
            event=event,
            subject_id=rel.id,
            payload={"relationship_id": rel.id, **payload},
            audit=Audit(
                "create" if event is events.SCHEDULE_PLANNED else "cancel",
                "supervision_schedule",
                object_id,
                rel.supervisee_id,
                detail,
            ),
        ),
    )
