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
the sample (Sample.seed). Where the profile has sampling.audit_follow_up, a
supervisor whose last audit of their supervision records found shortfalls has
their records drawn first in the next quarter's sample (its note cites why);
the audits known at the moment of the draw decide it, so a redraw agrees."""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session, aliased

from models.tables.org import Organisation, ServiceArea, StaffMember, Team
from models.tables.oversight import Sample
from models.tables.record_audit import SupervisionRecordAudit
from models.tables.supervision import (
    AgreementSignature,
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
    supervisor_id: int | None = None  # whose supervision the record is


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


def choose(
    population: list[Candidate],
    seed: str,
    size: int,
    first: frozenset[int] = frozenset(),
    each: int = 1,
) -> list[Candidate]:
    """Weighted random sampling without replacement (Efraimidis and Spirakis):
    each candidate gets the key u ** (1 / weight) for a uniform u, and the
    largest keys are drawn. The population is in a fixed order and the
    generator is seeded from the recorded seed, so the same inputs always give
    the same sample, in the same order.

    `first`: supervisors whose records are drawn before the rest (their last
    record audit found shortfalls, audit_follow_up): up to `each` of each
    one's records, their session records before their agreements, the
    largest keys first; the weighted draw fills the places left."""
    match = _SEED.match(seed)
    rng = random.Random(int(match.group(2), 16) if match else seed)
    ordered = sorted(population, key=lambda c: (c.object_type, c.object_id))
    keyed = []
    for candidate in ordered:
        weight = OVERDUE_WEIGHT if candidate.overdue else ON_TIME_WEIGHT
        u = rng.random() or math.ulp(0)
        keyed.append((u ** (1.0 / weight), candidate))
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    ahead = _followed_up(keyed, first, each)[:size]
    drawn_first = set(ahead)
    rest = [candidate for _key, candidate in keyed if candidate not in drawn_first]
    return ahead + rest[: size - len(ahead)]


def _followed_up(keyed, first: frozenset[int], each: int) -> list[Candidate]:
    """Up to `each` records of every supervisor in `first`, in key order."""
    if not first:
        return []
    mine = sorted(
        (pair for pair in keyed if pair[1].supervisor_id in first),
        key=lambda pair: (pair[1].object_type != SESSION, -pair[0]),
    )
    taken: dict[int, int] = {}
    out = []
    for key, candidate in mine:
        if taken.get(candidate.supervisor_id, 0) < each:
            taken[candidate.supervisor_id] = taken.get(candidate.supervisor_id, 0) + 1
            out.append((key, candidate))
    out.sort(key=lambda pair: pair[0], reverse=True)
    return [candidate for _key, candidate in out]


def candidates(
    session: Session, area: ServiceArea, period: Period, sampler_id: int | None = None
) -> list[Candidate]:
    """The service area's records from the period as they stood at the moment
    of the draw, each marked overdue or not by the organisation's profile (its
    recording deadline and its agreement deadline), leaving out those the
    sampler is a party to. Two queries, whatever the size of the area."""
    profile = load_profile(session.get(Organisation, area.organisation_id).profile)
    relationships = _relationships(area, period, sampler_id)
    return _session_candidates(
        session, relationships, period, profile.rule("recording.session")
    ) + _agreement_candidates(session, relationships, period, profile.rule("agreement.deadline"))


@dataclass(frozen=True)
class FollowUp:
    """Supervisors whose records are drawn first, and how many of each's."""

    supervisors: frozenset[int] = frozenset()
    each: int = 1

    def describe(self, chosen: list[Candidate]) -> str:
        """For the audit log: how many drawn records are followed-up supervisors'."""
        if not self.supervisors:
            return ""
        theirs = sum(1 for c in chosen if c.supervisor_id in self.supervisors)
        return f", {theirs} of supervisors whose last record audit found shortfalls"


def audit_follow_up(session: Session, area: ServiceArea, period: Period) -> FollowUp:
    """Where the profile says so (sampling.audit_follow_up), the supervisors
    whose last record audit known at the draw found shortfalls and was made in
    the quarter whose records are sampled: the next quarterly sample after the
    audit reads their records first. One query."""
    profile = load_profile(session.get(Organisation, area.organisation_id).profile)
    rule = profile.rule("sampling.audit_follow_up")
    if rule is None:
        return FollowUp()
    audit, later = SupervisionRecordAudit, aliased(SupervisionRecordAudit)

    def known(row):
        return (row.audited_on <= period.drawn_on) & (row.created_at < period.drawn_at)

    superseded = (
        select(later.id)
        .where(
            later.supervisor_id == audit.supervisor_id,
            later.audited_on > audit.audited_on,
            known(later),
        )
        .exists()
    )
    found = session.scalars(
        select(audit.supervisor_id).where(
            audit.organisation_id == area.organisation_id,
            audit.shortfalls > 0,
            audit.audited_on >= period.start,
            audit.audited_on < period.end,
            known(audit),
            ~superseded,
        )
    )
    return FollowUp(frozenset(found), rule["records_each"])


def _relationships(area: ServiceArea, period: Period, sampler_id: int | None):
    """The area's relationships in the period known at the draw, not the
    sampler's own: a subquery (id, supervisor_id, started_on)."""
    team_ids = select(Team.id).where(Team.service_area_id == area.id)
    supervisee_ids = select(StaffMember.id).where(StaffMember.team_id.in_(team_ids))
    rel = SupervisionRelationship
    not_own = (
        true()
        if sampler_id is None
        else ((rel.supervisor_id != sampler_id) & (rel.supervisee_id != sampler_id))
    )
    return (
        select(rel.id, rel.supervisor_id, rel.started_on)
        .where(
            not_own,
            rel.supervisee_id.in_(supervisee_ids),
            rel.started_on < period.end,
            (rel.ended_on.is_(None)) | (rel.ended_on > period.start),
            rel.created_at < period.drawn_at,
        )
        .subquery("rels")
    )


def _session_candidates(session: Session, rels, period: Period, record_rule):
    held = SupervisionSession
    rows = session.execute(
        select(held.id, held.held_on, held.recorded_on, rels.c.supervisor_id)
        .join(rels, rels.c.id == held.relationship_id)
        .where(
            held.status == SessionStatus.HELD,
            held.held_on >= period.start,
            held.held_on < period.end,
            held.created_at < period.drawn_at,
        )
        .order_by(held.id)
    )
    out = []
    for session_id, held_on, recorded_on, supervisor_id in rows:
        # Late: written up after the profile's recording deadline, or not
        # written up by the time of the draw although the deadline had passed.
        recorded = recorded_on if recorded_on and recorded_on <= period.drawn_on else None
        late = False
        if record_rule is not None:
            deadline = record_rule["within"].after(held_on)
            late = recorded > deadline if recorded else deadline < period.drawn_on
        out.append(Candidate(SESSION, session_id, late, supervisor_id))
    return out


def _agreement_rows(session: Session, rels, period: Period):
    """Each relationship with its latest version that is not a draft, made
    before the draw, and the day its last party signed it if every party had
    by the day of the draw: one query."""
    agreement = SupervisionAgreement
    ranked = (
        select(
            agreement.id,
            agreement.relationship_id,
            agreement.version,
            func.row_number()
            .over(partition_by=agreement.relationship_id, order_by=agreement.version.desc())
            .label("n"),
        )
        .where(
            agreement.relationship_id.in_(select(rels.c.id)),
            agreement.status != AgreementStatus.DRAFT,
            agreement.created_at < period.drawn_at,
        )
        .subquery("ranked")
    )
    latest = select(ranked).where(ranked.c.n == 1).subquery("latest")
    signature = AgreementSignature
    signed = (
        select(
            signature.agreement_id,
            func.count(func.distinct(signature.party)).label("parties"),
            func.max(signature.signed_on).label("last_signed_on"),
        )
        .where(
            signature.agreement_id.in_(select(latest.c.id)),
            signature.signed_on <= period.drawn_on,
        )
        .group_by(signature.agreement_id)
        .subquery("signed")
    )
    return session.execute(
        select(
            rels.c.id,
            rels.c.supervisor_id,
            rels.c.started_on,
            latest.c.id,
            latest.c.version,
            signed.c.parties,
            signed.c.last_signed_on,
        )
        .select_from(rels)
        .outerjoin(latest, latest.c.relationship_id == rels.c.id)
        .outerjoin(signed, signed.c.agreement_id == latest.c.id)
        .order_by(rels.c.id)
    )


def _agreement_candidates(session: Session, rels, period: Period, agreement_rule):
    out = []
    every_party = len(SignatoryParty)
    for rel_id, supervisor_id, started_on, agreement_id, version, parties, last in _agreement_rows(
        session, rels, period
    ):
        deadline = agreement_rule["within"].after(started_on) if agreement_rule else None
        if agreement_id is None:
            # Missing: overdue once the profile's deadline has passed.
            overdue = bool(deadline and deadline < period.drawn_on)
            out.append(Candidate(NO_AGREEMENT, rel_id, overdue, supervisor_id))
            continue
        signed = last if parties == every_party else None
        if version > 1 or deadline is None:
            late = False  # a review; its first version was judged when it was drawn up
        else:
            late = signed > deadline if signed else deadline < period.drawn_on
        out.append(Candidate(AGREEMENT, agreement_id, late, supervisor_id))
    return out
