"""Quarterly sampling of supervision records by heads of service.

Lancashire 000 §2.1: "The Principal Social Worker, Heads of Service, and
Senior Managers (in their part of the service), are expected to regularly
sample supervision records at least four times a year. At a minimum this
means, checking supervision agreements are in place, reading supervision
records and observing supervision should they feel this is required."
Bristol 002 §5.10: "quarterly quality assurance activity ... Supervision
records may be reviewed ... for auditing purposes".

A sample is drawn once per service area and quarter (a unique constraint, and
the organisation's row lock so two draws at once make one sample). It is
random but reproducible: the random generator is seeded from the service
area, the quarter and a random salt, all recorded on the row (Sample.seed), so
anyone can draw it again from the same records and check it is the same.

What is drawn: the supervision records (sessions held) in the quarter before
the sampling quarter, and, for every supervision relationship in the service
area during that quarter, its current agreement, or the relationship itself
when it has no agreement (so "checking supervision agreements are in place"
finds the missing ones). Only records that existed at the moment of the
draw (Sample.drawn_at) count, so a later draw from the same seed sees the
same population."""

from __future__ import annotations

import hashlib
import math
import os
import random
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.base import utcnow
from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation, reconcile_in_session
from models.tables.audit import AuditEntry
from models.tables.human_task import HumanTask
from models.tables.org import Organisation, ServiceArea, StaffMember, Team
from models.tables.outbox import OutboxEvent
from models.tables.oversight import Sample, SampleItem
from models.tables.supervision import (
    AgreementStatus,
    SessionStatus,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import load_profile
from policy.keys import staff_fact_id

SAMPLE_SIZE_ENV = "OVERSIGHT_SAMPLE_SIZE"
DEFAULT_SAMPLE_SIZE = 10

# How much likelier an overdue or late record is to be drawn than one on time.
# Ofsted's commonest finding is "supervision is not regular" (DESIGN.md), and a
# head of service's sample is where late records and missing agreements should
# be read, so each counts three times; records made on time still appear,
# because a sample of only the late ones would say nothing about the rest.
OVERDUE_WEIGHT = 3.0
ON_TIME_WEIGHT = 1.0

SESSION = "supervision_session"
AGREEMENT = "supervision_agreement"
NO_AGREEMENT = "supervision_relationship"  # a relationship with no agreement

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_SEED = re.compile(r"^v1:([0-9a-f]{16}):([0-9a-f]{40})$")


class SamplingError(ActionError):
    pass


def sample_size() -> int:
    """OVERSIGHT_SAMPLE_SIZE, default 10. The seeds give no number; ten records
    a quarter is what one head of service can read properly in a sitting."""
    raw = os.environ.get(SAMPLE_SIZE_ENV, "").strip()
    if not raw:
        return DEFAULT_SAMPLE_SIZE
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{SAMPLE_SIZE_ENV}: {raw!r} should be a whole number of records, e.g. 10")
    return int(raw)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """The quarter's first day and the first day after it."""
    match = _QUARTER.match(quarter)
    if match is None:
        raise ValueError(f"quarter {quarter!r} should look like 2026-Q2")
    start = date(int(match.group(1)), 3 * (int(match.group(2)) - 1) + 1, 1)
    return start, start + relativedelta(months=3)


def derive_seed(service_area_id: int, quarter: str, salt: str) -> str:
    """The recorded seed: the salt and the digest of (service area, quarter,
    salt). The digest seeds the random generator."""
    digest = hashlib.sha256(f"{service_area_id}:{quarter}:{salt}".encode()).hexdigest()[:40]
    return f"v1:{salt}:{digest}"


def verify_seed(sample: Sample) -> bool:
    """The recorded seed really is derived from this sample's area and quarter."""
    match = _SEED.match(sample.seed or "")
    return bool(match) and derive_seed(sample.service_area_id, sample.quarter, match.group(1)) == (
        sample.seed
    )


@dataclass(frozen=True)
class Candidate:
    object_type: str
    object_id: int
    overdue: bool


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
    salt = salt or secrets.token_hex(8)
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
            seed = derive_seed(service_area_id, quarter, salt)
            drawn_at = utcnow()
            chosen = choose(candidates(session, area, quarter, drawn_on, drawn_at), seed, size)
            sample = Sample(
                service_area_id=service_area_id,
                sampler_id=area.head_of_service_id,
                quarter=quarter,
                seed=seed,
                size=size,
                drawn_on=drawn_on,
                drawn_at=drawn_at,
            )
            session.add(sample)
            session.flush()
            for position, item in enumerate(chosen, start=1):
                session.add(
                    SampleItem(
                        sample_id=sample.id,
                        position=position,
                        object_type=item.object_type,
                        object_id=item.object_id,
                        was_overdue=item.overdue,
                    )
                )
            session.add(
                OutboxEvent(
                    event="oversight.sample.drawn",
                    resource_id=f"oversight.service-area.{service_area_id}",
                    payload={
                        "sample_id": sample.id,
                        "organisation_id": area.organisation_id,
                        "quarter": quarter,
                        "on": drawn_on.isoformat(),
                    },
                )
            )
            session.add(
                AuditEntry(
                    actor="system",
                    action="create",
                    object_type="sample",
                    object_id=str(sample.id),
                    detail=f"Drew {len(chosen)} of up to {size} records for {quarter} "
                    f"with seed {seed}",
                )
            )
            session.flush()
            return DrawResult(sample.id, True, len(chosen))
    except IntegrityError:
        # Another process drew it between our check and our insert (possible
        # only where the organisation lock is not held, e.g. a different
        # organisation row); the unique constraint kept one. Return that one.
        with factory() as session:
            existing = _existing(session, service_area_id, quarter)
            if existing is None:
                raise
            return DrawResult(existing.id, False, len(existing.items))


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
        population = candidates(session, area, sample.quarter, sample.drawn_on, sample.drawn_at)
        return choose(population, sample.seed, sample.size)


def choose(population: list[Candidate], seed: str, size: int) -> list[Candidate]:
    """Weighted random sampling without replacement (Efraimidis and Spirakis):
    each candidate gets the key u ** (1 / weight) for a uniform u, and the
    largest keys are drawn. The population is in a fixed order and the
    generator is seeded from the recorded seed, so the same inputs always give
    the same sample, in the same order."""
    match = _SEED.match(seed)
    rng = random.Random(int(match.group(2), 16) if match else seed)
    ordered = sorted(population, key=lambda c: (c.object_type, c.object_id))
    keyed = []
    for candidate in ordered:
        weight = OVERDUE_WEIGHT if candidate.overdue else ON_TIME_WEIGHT
        u = rng.random() or math.ulp(0)
        keyed.append((u ** (1.0 / weight), candidate))
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return [candidate for _key, candidate in keyed[:size]]


def candidates(
    session: Session, area: ServiceArea, quarter: str, drawn_on: date, drawn_at: datetime
) -> list[Candidate]:
    """The service area's records from the quarter before `quarter`, as they
    stood at the moment of the draw (`drawn_at`; dates after `drawn_on` are
    not known yet), each marked overdue or not by the organisation's
    profile (its recording deadline and its agreement deadline)."""
    start, _end = quarter_bounds(quarter)
    period_start, period_end = start - relativedelta(months=3), start
    cutoff = drawn_at
    profile = load_profile(session.get(Organisation, area.organisation_id).profile)
    record_rule = profile.rule("recording.session")
    agreement_rule = profile.rule("agreement.deadline")

    team_ids = select(Team.id).where(Team.service_area_id == area.id)
    supervisee_ids = select(StaffMember.id).where(StaffMember.team_id.in_(team_ids))
    relationships = list(
        session.scalars(
            select(SupervisionRelationship)
            .where(
                SupervisionRelationship.supervisee_id.in_(supervisee_ids),
                SupervisionRelationship.started_on < period_end,
                (SupervisionRelationship.ended_on.is_(None))
                | (SupervisionRelationship.ended_on > period_start),
                SupervisionRelationship.created_at < cutoff,
            )
            .order_by(SupervisionRelationship.id)
        )
    )
    rel_ids = [r.id for r in relationships]
    out: list[Candidate] = []

    sessions = session.scalars(
        select(SupervisionSession)
        .where(
            SupervisionSession.relationship_id.in_(rel_ids),
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on >= period_start,
            SupervisionSession.held_on < period_end,
            SupervisionSession.created_at < cutoff,
        )
        .order_by(SupervisionSession.id)
    )
    for row in sessions:
        # Late: written up after the profile's recording deadline, or not
        # written up by the time of the draw although the deadline had passed.
        recorded = row.recorded_on if row.recorded_on and row.recorded_on <= drawn_on else None
        late = False
        if record_rule is not None:
            deadline = record_rule["within"].after(row.held_on)
            late = recorded > deadline if recorded else deadline < drawn_on
        out.append(Candidate(SESSION, row.id, late))

    for rel in relationships:
        agreement = session.scalars(
            select(SupervisionAgreement)
            .where(
                SupervisionAgreement.relationship_id == rel.id,
                SupervisionAgreement.status != AgreementStatus.DRAFT,
                SupervisionAgreement.created_at < cutoff,
            )
            .order_by(SupervisionAgreement.version.desc())
            .limit(1)
        ).one_or_none()
        deadline = agreement_rule["within"].after(rel.started_on) if agreement_rule else None
        if agreement is None:
            # Missing: overdue once the profile's deadline has passed.
            out.append(Candidate(NO_AGREEMENT, rel.id, bool(deadline and deadline < drawn_on)))
            continue
        signed = _fully_signed_on(agreement, drawn_on)
        if agreement.version > 1 or deadline is None:
            late = False  # a review; its first version was judged when it was drawn up
        else:
            late = signed > deadline if signed else deadline < drawn_on
        out.append(Candidate(AGREEMENT, agreement.id, late))
    return out


def _fully_signed_on(agreement: SupervisionAgreement, drawn_on: date) -> date | None:
    days = {s.party: s.signed_on for s in agreement.signatures if s.signed_on <= drawn_on}
    if set(days) != set(SignatoryParty):
        return None
    return max(days.values())


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
        session.add(
            AuditEntry(
                actor_user_id=actor_user_id,
                actor=f"staff-{reviewer_staff_id}",
                action="update",
                object_type="sample_item",
                object_id=str(item.id),
                detail=f"Finding recorded on {item.object_type} {item.object_id}",
            )
        )
        session.flush()
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
    sample.completed_on = on
    sampler = sample.sampler_id or staff_id
    start, _end = quarter_bounds(sample.quarter)
    key = f"sampling:{staff_fact_id(sampler)}:{start.isoformat()}"
    task = session.scalars(select(HumanTask).where(HumanTask.key == key)).one_or_none()
    if task is not None and task.is_open:
        task.complete(staff_id)
    session.flush()
    reconcile_in_session(
        session,
        organisation_id=area.organisation_id,
        lifecycles={"sampling"},
        as_of=on,
        subjects={staff_fact_id(sampler)},
        actor=f"staff-{staff_id}",
    )
    session.add(
        OutboxEvent(
            event="oversight.sample.completed",
            resource_id=f"oversight.service-area.{area.id}",
            payload={
                "sample_id": sample.id,
                "organisation_id": area.organisation_id,
                "quarter": sample.quarter,
                "on": on.isoformat(),
            },
        )
    )
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            actor=f"staff-{staff_id}",
            action="complete",
            object_type="sample",
            object_id=str(sample.id),
            detail=f"Sample for {sample.quarter} complete: {len(sample.items)} records read",
        )
    )
    session.flush()
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
