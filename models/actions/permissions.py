"""Who may record supervision for whom on a given day: the supervisor in a
relationship in force, or the colleague covering for them while a cover
arrangement is in force (Wokingham 003 standards 12-13: while a supervisor is
absent "effective arrangements are in place for the supervision of the
affected staff and their work"). Nobody supervises themselves: a supervisee
covering for their own supervisor does not cover their own supervision.

Sessions, records, case directions, ASYE reviews, registration checks and
observations ask here; allocating, reallocating and closing a case and
setting its frequency stay with the worker's own supervisor or line manager
(`may_oversee`), and signing the agreement with the named supervisor."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actions.errors import ActionError, NotPermitted
from models.engine.reconcile import lock_organisation
from models.tables.org import StaffMember
from models.tables.oversight import CoverArrangement
from models.tables.supervision import SupervisionRelationship


def cover_in_force(
    session: Session, absent_staff_id: int, cover_staff_id: int, on: date
) -> CoverArrangement | None:
    """The cover arrangement under which `cover_staff_id` covers for
    `absent_staff_id` on `on`, if there is one (the earliest, if several)."""
    return session.scalars(
        select(CoverArrangement)
        .where(
            CoverArrangement.absent_supervisor_id == absent_staff_id,
            CoverArrangement.cover_supervisor_id == cover_staff_id,
            CoverArrangement.in_force_on(on),
        )
        .order_by(CoverArrangement.starts_on, CoverArrangement.id)
        .limit(1)
    ).one_or_none()


def may_record_for(session: Session, rel: SupervisionRelationship, staff_id: int, on: date) -> bool:
    """Whether this person may record and sign this relationship's supervision
    on `on`: its supervisor, or the colleague covering for them that day.
    Signing the agreement is not in this: it stays between the named
    supervisor and the supervisee."""
    if rel.supervisor_id == staff_id:
        return True
    if rel.supervisee_id == staff_id:
        return False  # covering for their own supervisor does not cover themselves
    return cover_in_force(session, rel.supervisor_id, staff_id, on) is not None


def check_may_record(
    session: Session,
    rel: SupervisionRelationship,
    staff_id: int,
    on: date,
    held_on: date | None,
) -> CoverArrangement | None:
    """None for the relationship's supervisor; the arrangement for a colleague
    covering for them; NotPermitted for anyone else. A cover supervisor
    records the sessions held while they cover, not one the absent supervisor
    held before the cover began."""
    if rel.supervisor_id == staff_id:
        return None
    cover = cover_in_force(session, rel.supervisor_id, staff_id, on)
    if rel.supervisee_id == staff_id:
        raise NotPermitted("You cannot record your own supervision, even while covering.")
    if cover is None:
        raise NotPermitted(
            "Only the supervisor in this relationship, or a colleague covering for them while "
            "the cover is in force, can record and sign its sessions."
        )
    if held_on is not None and held_on < cover.starts_on:
        raise NotPermitted(
            f"You are covering from {_long(cover.starts_on)}: you can record sessions held "
            "from then on. A session held before that is for the supervisor to record."
        )
    return cover


def _in_force(on: date):
    return (
        SupervisionRelationship.started_on <= on,
        (SupervisionRelationship.ended_on.is_(None)) | (SupervisionRelationship.ended_on > on),
    )


def supervises_or_covers(session: Session, staff_id: int, supervisee_id: int, on: date) -> bool:
    """Whether `staff_id` supervises `supervisee_id` on `on` (a relationship in
    force), themselves or as the colleague covering for their supervisor."""
    if staff_id == supervisee_id:
        return False
    covered = select(CoverArrangement.absent_supervisor_id).where(
        CoverArrangement.cover_supervisor_id == staff_id,
        CoverArrangement.in_force_on(on),
    )
    found = session.scalar(
        select(SupervisionRelationship.id)
        .where(
            (SupervisionRelationship.supervisor_id == staff_id)
            | SupervisionRelationship.supervisor_id.in_(covered),
            SupervisionRelationship.supervisee_id == supervisee_id,
            *_in_force(on),
        )
        .limit(1)
    )
    return found is not None


def supervised_person(
    session: Session, staff_id: int, recorder_staff_id: int, on: date, records: str
) -> StaffMember:
    """The person, with their organisation locked, if the recorder supervises
    them or covers for their supervisor today; `records` names what is
    being recorded ("their checks"), for the refusal."""
    person = session.get(StaffMember, staff_id)
    if person is None:
        raise ActionError("That member of staff does not exist.")
    lock_organisation(session, person.organisation_id)
    if not supervises_or_covers(session, recorder_staff_id, staff_id, on):
        raise NotPermitted(
            "Only this person's supervisor, or a colleague covering for them, can record "
            f"{records}."
        )
    return person


def may_oversee(session: Session, staff_id: int, worker_id: int, on: date) -> bool:
    """The worker's supervisor (a relationship in force) or line manager: who
    allocates, reallocates and closes their cases and sets how often a case is
    supervised."""
    worker = session.get(StaffMember, worker_id)
    if worker is None:
        return False
    if worker.line_manager_id == staff_id:
        return True
    found = session.scalar(
        select(SupervisionRelationship.id)
        .where(
            SupervisionRelationship.supervisor_id == staff_id,
            SupervisionRelationship.supervisee_id == worker_id,
            *_in_force(on),
        )
        .limit(1)
    )
    return found is not None


def may_supervise_case(session: Session, staff_id: int, worker_id: int, on: date) -> bool:
    """Case supervision: the worker's supervisor or line manager, or a colleague
    covering on `on` for a supervisor of the worker."""
    return may_oversee(session, staff_id, worker_id, on) or supervises_or_covers(
        session, staff_id, worker_id, on
    )


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
