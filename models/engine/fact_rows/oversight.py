"""A person's other facts: hours, absences, observations, sampling, ASYE reviews."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from models.engine.among import among
from models.tables.org import ServiceArea, StaffMember
from models.tables.oversight import Absence as AbsenceRow
from models.tables.oversight import AsyeReview as AsyeReviewRow
from models.tables.oversight import (
    CoverArrangement,
    ObservationSignature,
    Sample,
)
from models.tables.oversight import HoursWorked as HoursRow
from models.tables.oversight import Observation as ObservationRow
from policy.facts import (
    Absence,
    AsyeReview,
    HoursWorked,
    Observation,
    Sampling,
)
from policy.keys import staff_fact_id


def hours_facts(session: Session, where) -> tuple[HoursWorked, ...]:
    rows = session.execute(
        select(HoursRow.staff_id, HoursRow.worked_on, HoursRow.hours)
        .join(StaffMember, StaffMember.id == HoursRow.staff_id)
        .where(where)
        .order_by(HoursRow.staff_id, HoursRow.worked_on)
    ).all()
    return tuple(
        HoursWorked(staff=staff_fact_id(staff_id), worked_on=worked_on, hours=float(hours))
        for staff_id, worked_on, hours in rows
    )


def absence_facts(session: Session, where) -> tuple[Absence, ...]:
    """Absences, each with the start of the earliest cover arrangement for that
    supervisor that overlaps it."""
    absences = session.execute(
        select(AbsenceRow.staff_id, AbsenceRow.starts_on, AbsenceRow.ends_on)
        .join(StaffMember, StaffMember.id == AbsenceRow.staff_id)
        .where(where)
        .order_by(AbsenceRow.staff_id, AbsenceRow.starts_on, AbsenceRow.id)
    ).all()
    covers: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for absent_id, starts_on, ends_on in session.execute(
        select(
            CoverArrangement.absent_supervisor_id,
            CoverArrangement.starts_on,
            CoverArrangement.ends_on,
        )
        .where(CoverArrangement.absent_supervisor_id.in_({a[0] for a in absences}))
        .order_by(CoverArrangement.starts_on, CoverArrangement.id)
    ):
        covers[absent_id].append((starts_on, ends_on))

    def overlaps(cover, start, end) -> bool:
        cover_start, cover_end = cover
        return (end is None or cover_start <= end) and (cover_end is None or cover_end >= start)

    return tuple(
        Absence(
            staff=staff_fact_id(staff_id),
            started_on=start,
            ended_on=end,
            cover_arranged_on=next(
                (c[0] for c in covers[staff_id] if overlaps(c, start, end)), None
            ),
        )
        for staff_id, start, end in absences
    )


def observation_facts(session: Session, where, staff_ids: set[int]) -> tuple[Observation, ...]:
    rows = session.execute(
        select(
            ObservationRow.staff_id,
            ObservationRow.observed_on,
            ObservationRow.kind,
            ObservationRow.with_family,
            ObservationRow.observer_id,
        )
        .join(StaffMember, StaffMember.id == ObservationRow.staff_id)
        .where(
            where,
            ObservationRow.observed_on.is_not(None),
            # An observation counts once both have signed it: a planned one whose
            # date has passed may never have happened. Counted per observation read
            # (an index probe each), not by grouping every signature ever made.
            select(func.count(distinct(ObservationSignature.party)))
            .where(ObservationSignature.observation_id == ObservationRow.id)
            .scalar_subquery()
            == 2,
        )
        .order_by(ObservationRow.staff_id, ObservationRow.observed_on, ObservationRow.id)
    ).all()
    return tuple(
        Observation(
            staff=staff_fact_id(staff_id),
            observed_on=observed_on,
            kind=kind.value,
            with_family=with_family,
            observer=staff_fact_id(observer) if observer in staff_ids else None,
        )
        for staff_id, observed_on, kind, with_family, observer in rows
    )


def sampling_facts(session: Session, organisation_id: int, staff_ids, since: date | None = None):
    query = (
        select(Sample.sampler_id, Sample.completed_on)
        .join(ServiceArea, ServiceArea.id == Sample.service_area_id)
        .where(
            ServiceArea.organisation_id == organisation_id,
            Sample.completed_on.is_not(None),
            among(Sample.sampler_id, staff_ids),
        )
        .order_by(Sample.completed_on, Sample.id)
    )
    if since is not None:
        query = query.where(Sample.completed_on >= since)
    return tuple(
        Sampling(by=staff_fact_id(sampler), sampled_on=completed_on)
        for sampler, completed_on in session.execute(query)
    )


def asye_review_facts(session: Session, where) -> tuple[AsyeReview, ...]:
    rows = session.execute(
        select(AsyeReviewRow.staff_id, AsyeReviewRow.stage, AsyeReviewRow.reviewed_on)
        .join(StaffMember, StaffMember.id == AsyeReviewRow.staff_id)
        .where(where)
        .order_by(AsyeReviewRow.staff_id, AsyeReviewRow.stage, AsyeReviewRow.id)
    ).all()
    return tuple(
        AsyeReview(staff=staff_fact_id(staff_id), stage=stage, reviewed_on=reviewed_on)
        for staff_id, stage, reviewed_on in rows
    )
