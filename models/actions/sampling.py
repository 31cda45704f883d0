"""Quarterly sampling of supervision records by heads of service.

Lancashire 000 §2.1: "The Principal Social Worker, Heads of Service, and
Senior Managers (in their part of the service), are expected to regularly
sample supervision records at least four times a year. At a minimum this
means, checking supervision agreements are in place, reading supervision
records and observing supervision should they feel this is required."
Bristol 002 §5.10: "quarterly quality assurance activity ... Supervision
records may be reviewed ... for auditing purposes".

A sample is drawn once per service area and quarter (a unique constraint, and
the organisation's row lock so two draws at once make one sample), random but
reproducible (models/actions/sample_population.py). The head of service
records a finding on each record; when every record has one the sample is
complete and the quarter's sampling obligation is met. Each action is one
transaction ended by finish_action."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models import events
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.form_steps import open_task_by_key
from models.actions.sample_population import (
    Candidate,
    Period,
    audit_follow_up,
    candidates,
    choose,
    derive_seed,
    verify_seed,
)
from models.actions.unit_of_work import Audit, Finish, finish_action
from models.base import utcnow
from models.configuration import whole_number_setting
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.org import ServiceArea
from models.tables.oversight import Sample, SampleItem
from policy import keys
from policy.keys import staff_fact_id

SAMPLE_SIZE_ENV = "OVERSIGHT_SAMPLE_SIZE"
DEFAULT_SAMPLE_SIZE = 10
LIFECYCLES = frozenset({"sampling"})

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


class SamplingError(ActionError):
    pass


def sample_size() -> int:
    """OVERSIGHT_SAMPLE_SIZE, default 10. The seeds give no number; ten records
    a quarter is what one head of service can read properly in a sitting."""
    return whole_number_setting(SAMPLE_SIZE_ENV, DEFAULT_SAMPLE_SIZE, of="records")


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """The quarter's first day and the first day after it."""
    match = _QUARTER.match(quarter)
    if match is None:
        raise ValueError(f"quarter {quarter!r} should look like 2026-Q2")
    start = date(int(match.group(1)), 3 * (int(match.group(2)) - 1) + 1, 1)
    return start, start + relativedelta(months=3)


def period_sampled(quarter: str, drawn_on: date, drawn_at) -> Period:
    """A quarter's sample reads the records of the quarter before it."""
    start, _end = quarter_bounds(quarter)
    return Period(start - relativedelta(months=3), start, drawn_on, drawn_at)


def records_from(quarter: str) -> str:
    """The months a quarter's sample reads, in words: for 2026-Q4, "July to
    September 2026" (the records come from the quarter before)."""
    start, _end = quarter_bounds(quarter)
    return f"{start - relativedelta(months=3):%B} to {start - relativedelta(days=1):%B %Y}"


def sample_title(quarter: str) -> str:
    """The one wording for a quarter's sample, on pages and in messages."""
    return f"Sample of supervision records from {records_from(quarter)}"


@dataclass(frozen=True)
class DrawResult:
    sample_id: int
    created: bool  # False: the sample for this area and quarter already existed
    item_count: int


def draw_sample(
    service_area_id: int,
    quarter: str,
    size: int | None = None,
    drawn_on: date | None = None,
    *,
    salt: str | None = None,
    session_factory: sessionmaker | None = None,
) -> DrawResult:
    """Draw this service area's sample for the quarter, or return the one
    already drawn. Safe to call twice, and from two processes at once."""
    quarter_bounds(quarter)  # refuse a malformed quarter before touching the database
    size = sample_size() if size is None else size
    if size < 1:
        raise ValueError("a sample needs at least one record")
    drawn_on = drawn_on or date.today()
    factory = session_factory or get_sessionmaker()
    try:
        with factory() as session, session.begin():
            area = session.get(ServiceArea, service_area_id)
            if area is None:
                raise SamplingError("That service area does not exist.")
            lock_organisation(session, area.organisation_id)
            existing = _existing(session, service_area_id, quarter)
            if existing is not None:
                return DrawResult(existing.id, False, len(existing.items))
            sample = draw_in_session(session, area, quarter, size, drawn_on, salt)
            return DrawResult(sample.id, True, len(sample.items))
    except IntegrityError:
        # Another process drew it between our check and our insert (possible
        # only where the organisation lock is not held, e.g. a different
        # organisation row); the unique constraint kept one. Return that one.
        with factory() as session:
            existing = _existing(session, service_area_id, quarter)
            if existing is None:
                raise
            return DrawResult(existing.id, False, len(existing.items))


def draw_in_session(
    session: Session,
    area: ServiceArea,
    quarter: str,
    size: int,
    drawn_on: date,
    salt: str | None = None,
) -> Sample:
    """Draw and store the sample inside the caller's transaction (which holds
    the organisation's lock): the flow's draw, and the demo's, are this one."""
    seed = derive_seed(area.id, quarter, salt or secrets.token_hex(8))
    drawn_at = utcnow()
    period = period_sampled(quarter, drawn_on, drawn_at)
    follow_up = audit_follow_up(session, area, period)
    population = candidates(session, area, period, area.head_of_service_id)
    chosen = choose(population, seed, size, follow_up.supervisors, follow_up.each)
    sample = Sample(
        service_area_id=area.id,
        sampler_id=area.head_of_service_id,
        quarter=quarter,
        seed=seed,
        size=size,
        drawn_on=drawn_on,
        drawn_at=drawn_at,
        items=[
            SampleItem(
                position=position,
                object_type=item.object_type,
                object_id=item.object_id,
                was_overdue=item.overdue,
            )
            for position, item in enumerate(chosen, start=1)
        ],
    )
    session.add(sample)
    session.flush()
    finish_action(
        session,
        Finish(
            organisation_id=area.organisation_id,
            actor_staff_id=None,
            actor_user_id=None,
            on=drawn_on,
            event=events.SAMPLE_DRAWN,
            subject_id=area.id,
            payload={"sample_id": sample.id, "quarter": quarter},
            audit=Audit(
                "create",
                "sample",
                sample.id,
                None,
                f"Drew {len(chosen)} of up to {size} records for {quarter} with seed {seed}"
                + follow_up.describe(chosen),
            ),
        ),
    )
    return sample


def redraw(sample_id: int, *, session_factory: sessionmaker | None = None) -> list[Candidate]:
    """Draw the sample again from its recorded seed, size and date, without
    storing anything: a check that it is what the seed says it is."""
    with (session_factory or get_sessionmaker())() as session:
        sample = session.get(Sample, sample_id)
        if sample is None:
            raise SamplingError("That sample does not exist.")
        if not verify_seed(sample):
            raise SamplingError("The sample's recorded seed does not match its area and quarter.")
        area = session.get(ServiceArea, sample.service_area_id)
        period = period_sampled(sample.quarter, sample.drawn_on, sample.drawn_at)
        population = candidates(session, area, period, sample.sampler_id)
        follow_up = audit_follow_up(session, area, period)
        return choose(population, sample.seed, sample.size, follow_up.supervisors, follow_up.each)


def _existing(session: Session, service_area_id: int, quarter: str) -> Sample | None:
    return session.scalars(
        select(Sample).where(Sample.service_area_id == service_area_id, Sample.quarter == quarter)
    ).one_or_none()


# --- findings -----------------------------------------------------------------


@dataclass(frozen=True)
class FindingResult:
    sample_id: int
    item_id: int
    sample_complete: bool
    completed_task_id: int | None


def may_review(sample: Sample, area: ServiceArea, staff_id: int) -> bool:
    """The head of service who drew it, or whoever heads the area now."""
    return staff_id in {sample.sampler_id, area.head_of_service_id} - {None}


def record_finding(
    *,
    sample_id: int,
    item_id: int,
    reviewer_staff_id: int,
    meets_standard: bool,
    finding: str,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> FindingResult:
    """A finding on one sampled record. A finding can be changed until every
    item has one; then the sample is complete, its date is recorded, and the
    head of service's sampling task for the quarter is met."""
    finding = (finding or "").strip()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        sample, area = _locked_sample(session, sample_id, reviewer_staff_id)
        item = next((i for i in sample.items if i.id == item_id), None)
        if item is None:
            raise SamplingError("That record is not in this sample.")
        if sample.completed_on is not None:
            raise AlreadySigned("This sample is complete; its findings can no longer change.")
        if not finding:
            raise SamplingError("Enter your finding.")
        item.meets_standard = bool(meets_standard)
        item.finding = finding
        item.reviewed_on = on
        item.reviewed_by_id = reviewer_staff_id
        finish_action(
            session,
            Finish(
                organisation_id=area.organisation_id,
                actor_staff_id=reviewer_staff_id,
                actor_user_id=actor_user_id,
                on=on,
                audit=Audit(
                    "update",
                    "sample_item",
                    item.id,
                    None,
                    f"Finding recorded on {item.object_type} {item.object_id}",
                ),
            ),
        )
        task = None
        if all(i.reviewed_on is not None for i in sample.items):
            task = _complete(session, sample, area, reviewer_staff_id, on, actor_user_id)
        return FindingResult(sample.id, item.id, sample.completed_on is not None, task)


def complete_empty_sample(
    *,
    sample_id: int,
    reviewer_staff_id: int,
    on: date,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> FindingResult:
    """A quarter with no records to sample: the head of service confirms it."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        sample, area = _locked_sample(session, sample_id, reviewer_staff_id)
        if sample.items:
            raise SamplingError("This sample has records to read.")
        if sample.completed_on is not None:
            raise AlreadySigned("This sample is already complete.")
        task = _complete(session, sample, area, reviewer_staff_id, on, actor_user_id)
        return FindingResult(sample.id, 0, True, task)


def _locked_sample(session: Session, sample_id: int, staff_id: int):
    sample = session.get(Sample, sample_id)
    if sample is None:
        raise SamplingError("That sample does not exist.")
    area = session.get(ServiceArea, sample.service_area_id)
    lock_organisation(session, area.organisation_id)
    session.refresh(sample)
    if not may_review(sample, area, staff_id):
        raise NotPermitted("Only the head of service for this area reviews its sample.")
    return sample, area


def _complete(session, sample, area, staff_id, on, actor_user_id) -> int | None:
    """The sample is complete: the sampler's task for the quarter is met."""
    sample.completed_on = on
    sampler = staff_fact_id(sample.sampler_id or staff_id)
    start, _end = quarter_bounds(sample.quarter)
    task = open_task_by_key(
        session, area.organisation_id, keys.build("sampling", staff=sampler, day=start)
    )
    finish_action(
        session,
        Finish(
            organisation_id=area.organisation_id,
            actor_staff_id=staff_id,
            actor_user_id=actor_user_id,
            on=on,
            completed=[task] if task else [],
            subjects={sampler},
            lifecycles=LIFECYCLES,
            event=events.SAMPLE_COMPLETED,
            subject_id=area.id,
            payload={"sample_id": sample.id, "quarter": sample.quarter},
            audit=Audit(
                "complete",
                "sample",
                sample.id,
                None,
                f"Sample for {sample.quarter} complete: {len(sample.items)} records read",
            ),
        ),
    )
    return task.id if task is not None else None


def service_areas_headed_by(session: Session, staff_id: int) -> list[ServiceArea]:
    return list(
        session.scalars(
            select(ServiceArea)
            .where(ServiceArea.head_of_service_id == staff_id)
            .order_by(ServiceArea.name, ServiceArea.id)
        )
    )


def samples_due_for(
    session: Session, head_of_service_id: int, quarter: str
) -> list[tuple[ServiceArea, Sample | None]]:
    """Each area this person heads, with its sample for the quarter if drawn."""
    return [
        (area, _existing(session, area.id, quarter))
        for area in service_areas_headed_by(session, head_of_service_id)
    ]


def draw_for_head_of_service(
    head_of_service_id: int,
    quarter: str,
    drawn_on: date,
    *,
    size: int | None = None,
    session_factory: sessionmaker | None = None,
) -> list[DrawResult]:
    """Draw (or find) the quarter's sample for every area this person heads:
    what the quarterly flow calls for each head of service."""
    factory = session_factory or get_sessionmaker()
    with factory() as session:
        area_ids = [a.id for a in service_areas_headed_by(session, head_of_service_id)]
    return [
        draw_sample(area_id, quarter, size, drawn_on, session_factory=factory)
        for area_id in area_ids
    ]
