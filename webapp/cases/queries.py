"""Reads for children's cases, by case ID only, scoped to the signed-in
person's organisation. None means "not yours to see", so views answer 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g
from sqlalchemy import select

from models import (
    CaseAllocation,
    CaseSupervision,
    CoverArrangement,
    StaffMember,
    SupervisionRelationship,
)
from models.actions.permissions import supervises_or_covers
from models.engine.unit_obligations import obligations_for_units
from policy import units as units_of
from policy.obligations import ObligationStatus
from webapp import queries, scope
from webapp.database import db_session
from webapp.dates import today
from webapp.users import AppUser


def overseen_staff(user: AppUser) -> set[int]:
    """People the user supervises now (a relationship in force) or line-manages."""
    if "overseen_staff" in g:
        return g.overseen_staff
    on = today()
    supervised = set(
        db_session().scalars(
            select(SupervisionRelationship.supervisee_id).where(
                SupervisionRelationship.supervisor_id == user.staff_id,
                SupervisionRelationship.started_on <= on,
                (SupervisionRelationship.ended_on.is_(None))
                | (SupervisionRelationship.ended_on > on),
            )
        )
    )
    managed = set(
        db_session().scalars(
            select(StaffMember.id).where(
                StaffMember.line_manager_id == user.staff_id,
                StaffMember.organisation_id == user.organisation_id,
            )
        )
    )
    g.overseen_staff = supervised | managed
    return g.overseen_staff


@dataclass(frozen=True)
class Cover:
    """Why a cover supervisor sees a worker's cases: whom they cover for, and until when."""

    absent_supervisor: StaffMember
    ends_on: date | None


def covered_staff(user: AppUser) -> dict[int, Cover]:
    """People the user supervises today only as cover for their absent
    supervisor (Wokingham 003 standards 12-13), each with whom they cover for
    and until when. A cover is in force by CoverArrangement.in_force_on
    and a relationship as in overseen_staff: the dates supervises_or_covers
    (case_for_supervisor) and webapp.scope (case_for_viewer) apply, so the list
    holds exactly the cases the cover supervisor may open and direct. Anyone
    the user supervises or line-manages anyway, and the user themselves, are
    in the other lists instead."""
    on = today()
    session = db_session()
    # The earliest arrangement in force per absent supervisor, as cover_in_force picks.
    covers: dict[int, CoverArrangement] = {}
    for arrangement in session.scalars(
        select(CoverArrangement)
        .where(
            CoverArrangement.cover_supervisor_id == user.staff_id,
            CoverArrangement.in_force_on(on),
        )
        .order_by(CoverArrangement.starts_on, CoverArrangement.id)
    ):
        covers.setdefault(arrangement.absent_supervisor_id, arrangement)
    out: dict[int, Cover] = {}
    if covers:
        already = overseen_staff(user) | {user.staff_id}
        relationships = session.scalars(
            select(SupervisionRelationship)
            .where(
                SupervisionRelationship.supervisor_id.in_(covers),
                SupervisionRelationship.started_on <= on,
                (SupervisionRelationship.ended_on.is_(None))
                | (SupervisionRelationship.ended_on > on),
            )
            .order_by(SupervisionRelationship.id)
        ).all()
        for rel in relationships:
            if rel.supervisee_id not in already and rel.supervisee_id not in out:
                out[rel.supervisee_id] = Cover(
                    absent_supervisor=rel.supervisor, ends_on=covers[rel.supervisor_id].ends_on
                )
    return out


def case_for_viewer(user: AppUser, case_ref: str) -> CaseAllocation | None:
    """The worker, their supervisors and managers, and anyone whose scope covers
    the worker (a head of service, the principal social worker, an auditor)."""
    allocation = queries.case_allocation(user, case_ref, open_only=False)
    if allocation is None:
        return None
    if allocation.worker_id == user.staff_id or allocation.worker_id in overseen_staff(user):
        return allocation
    return allocation if scope.may_see_staff(user, allocation.worker_id) else None


def case_for_overseer(user: AppUser, case_ref: str) -> CaseAllocation | None:
    """The worker's supervisor or line manager: they allocate, reallocate and
    close the case and set how often it is supervised."""
    allocation = queries.case_allocation(user, case_ref, open_only=False)
    if allocation is None or allocation.worker_id not in overseen_staff(user):
        return None
    return allocation


def case_for_supervisor(user: AppUser, case_ref: str) -> CaseAllocation | None:
    """Who records case supervision (a direction, and that it is on the child's
    record): the overseers, and a colleague covering today for the worker's
    supervisor (Wokingham 003 standards 12-13)."""
    allocation = queries.case_allocation(user, case_ref, open_only=False)
    if allocation is None:
        return None
    if allocation.worker_id in overseen_staff(user) or supervises_or_covers(
        db_session(), user.staff_id, allocation.worker_id, today()
    ):
        return allocation
    return None


def open_cases_of(worker_ids) -> list[CaseAllocation]:
    if not worker_ids:
        return []
    return list(
        db_session().scalars(
            select(CaseAllocation)
            .where(CaseAllocation.worker_id.in_(worker_ids), CaseAllocation.ended_on.is_(None))
            .order_by(CaseAllocation.case_ref)
        )
    )


def last_supervised(allocation_ids) -> dict[int, date]:
    out: dict[int, date] = {}
    if not allocation_ids:
        return out
    for allocation_id, day in db_session().execute(
        select(CaseSupervision.allocation_id, CaseSupervision.supervised_on).where(
            CaseSupervision.allocation_id.in_(allocation_ids)
        )
    ):
        out[allocation_id] = max(day, out.get(allocation_id, day))
    return out


def next_due(user: AppUser, case_refs) -> dict[str, date]:
    """Case ID -> the next case supervision the engine says is owed (the earliest
    not met), as of today, for these cases."""
    owed = obligations_for_units(
        db_session(),
        user.organisation_id,
        [units_of.case(ref) for ref in case_refs],
        today(),
        lifecycles=["case_supervision"],
    )
    out: dict[str, date] = {}
    for ob in owed:
        if ob.kind == "case_supervision" and ob.status != ObligationStatus.MET:
            out[ob.subject] = min(ob.due, out.get(ob.subject, ob.due))
    return out


def directions_for(case_ref: str, organisation_id: int) -> list[CaseSupervision]:
    return list(
        db_session().scalars(
            select(CaseSupervision)
            .join(CaseAllocation, CaseAllocation.id == CaseSupervision.allocation_id)
            .where(
                CaseAllocation.organisation_id == organisation_id,
                CaseAllocation.case_ref == case_ref,
            )
            .order_by(CaseSupervision.supervised_on.desc(), CaseSupervision.id.desc())
        )
    )


def staff_choices(user: AppUser) -> list[tuple[str, str]]:
    ids = overseen_staff(user)
    if not ids:
        return []
    people = db_session().scalars(
        select(StaffMember)
        .where(StaffMember.id.in_(ids), StaffMember.left_on.is_(None))
        .order_by(StaffMember.name)
    )
    return [(str(p.id), p.name) for p in people]
