"""What a head of service's quarterly sample is drawn from, and how, so the
same sample can be drawn again from its recorded seed and checked.

The population: the supervision records (sessions held) in the quarter before
the sampling quarter, and, for every supervision relationship in the service
area during that quarter, its current agreement, or the relationship itself
when it has no agreement (so "checking supervision agreements are in place",
Lancashire 000 §2.1, finds the missing ones). Only records that existed at
the moment of the draw count, so a later draw from the same seed sees the
same population. Nobody samples their own supervision: relationships the
sampler is a party to (supervisor or supervisee) are left out, with their
records and agreements, because a reader cannot judge their own record.

The draw: weighted random sampling without replacement, the generator
seeded from the service area, the quarter and a random salt, all recorded on
the sample (Sample.seed)."""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from models.tables.org import Organisation, ServiceArea, StaffMember, Team
from models.tables.oversight import Sample
from models.tables.supervision import (
    AgreementStatus,
    SessionStatus,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy import load_profile

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

_SEED = re.compile(r"^v1:([0-9a-f]{16}):([0-9a-f]{40})$")


@dataclass(frozen=True)
class Candidate:
    object_type: str
    object_id: int
    overdue: bool


@dataclass(frozen=True)
class Period:
    """The records' quarter, and the moment of the draw: dates after `drawn_on`
    and rows made after `drawn_at` are not known to it."""

    start: date
    end: date  # the first day after it
    drawn_on: date
    drawn_at: datetime


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
    session: Session, area: ServiceArea, period: Period, sampler_id: int | None = None
) -> list[Candidate]:
    """The service area's records from the period as they stood at the moment
    of the draw, each marked overdue or not by the organisation's profile (its
    recording deadline and its agreement deadline), leaving out those the
    sampler is a party to."""
    profile = load_profile(session.get(Organisation, area.organisation_id).profile)
    relationships = _relationships(session, area, period, sampler_id)
    return _session_candidates(
        session, [r.id for r in relationships], period, profile.rule("recording.session")
    ) + _agreement_candidates(session, relationships, period, profile.rule("agreement.deadline"))


def _relationships(session: Session, area: ServiceArea, period: Period, sampler_id: int | None):
    team_ids = select(Team.id).where(Team.service_area_id == area.id)
    supervisee_ids = select(StaffMember.id).where(StaffMember.team_id.in_(team_ids))
    not_own = (
        true()
        if sampler_id is None
        else (
            (SupervisionRelationship.supervisor_id != sampler_id)
            & (SupervisionRelationship.supervisee_id != sampler_id)
        )
    )
    return list(
        session.scalars(
            select(SupervisionRelationship)
            .where(
                not_own,
                SupervisionRelationship.supervisee_id.in_(supervisee_ids),
                SupervisionRelationship.started_on < period.end,
                (SupervisionRelationship.ended_on.is_(None))
                | (SupervisionRelationship.ended_on > period.start),
                SupervisionRelationship.created_at < period.drawn_at,
            )
            .order_by(SupervisionRelationship.id)
        )
    )


def _session_candidates(session: Session, rel_ids, period: Period, record_rule):
    sessions = session.scalars(
        select(SupervisionSession)
        .where(
            SupervisionSession.relationship_id.in_(rel_ids),
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on >= period.start,
            SupervisionSession.held_on < period.end,
            SupervisionSession.created_at < period.drawn_at,
        )
        .order_by(SupervisionSession.id)
    )
    out = []
    for row in sessions:
        # Late: written up after the profile's recording deadline, or not
        # written up by the time of the draw although the deadline had passed.
        recorded = (
            row.recorded_on if row.recorded_on and row.recorded_on <= period.drawn_on else None
        )
        late = False
        if record_rule is not None:
            deadline = record_rule["within"].after(row.held_on)
            late = recorded > deadline if recorded else deadline < period.drawn_on
        out.append(Candidate(SESSION, row.id, late))
    return out


def _latest_agreements(session: Session, relationship_ids, drawn_at) -> dict:
    """Each relationship's latest version that is not a draft, made before the
    draw, in one query (its signatures come with it)."""
    ranked = (
        select(
            SupervisionAgreement.id,
            func.row_number()
            .over(
                partition_by=SupervisionAgreement.relationship_id,
                order_by=SupervisionAgreement.version.desc(),
            )
            .label("n"),
        )
        .where(
            SupervisionAgreement.relationship_id.in_(relationship_ids),
            SupervisionAgreement.status != AgreementStatus.DRAFT,
            SupervisionAgreement.created_at < drawn_at,
        )
        .subquery()
    )
    latest = select(SupervisionAgreement).join(ranked, ranked.c.id == SupervisionAgreement.id)
    return {a.relationship_id: a for a in session.scalars(latest.where(ranked.c.n == 1))}


def _agreement_candidates(session: Session, relationships, period: Period, agreement_rule):
    out = []
    latest = _latest_agreements(session, [rel.id for rel in relationships], period.drawn_at)
    for rel in relationships:
        agreement = latest.get(rel.id)
        deadline = agreement_rule["within"].after(rel.started_on) if agreement_rule else None
        if agreement is None:
            # Missing: overdue once the profile's deadline has passed.
            overdue = bool(deadline and deadline < period.drawn_on)
            out.append(Candidate(NO_AGREEMENT, rel.id, overdue))
            continue
        signed = _fully_signed_on(agreement, period.drawn_on)
        if agreement.version > 1 or deadline is None:
            late = False  # a review; its first version was judged when it was drawn up
        else:
            late = signed > deadline if signed else deadline < period.drawn_on
        out.append(Candidate(AGREEMENT, agreement.id, late))
    return out


def _fully_signed_on(agreement: SupervisionAgreement, drawn_on: date) -> date | None:
    days = {s.party: s.signed_on for s in agreement.signatures if s.signed_on <= drawn_on}
    if set(days) != set(SignatoryParty):
        return None
    return max(days.values())
