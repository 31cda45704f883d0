"""Figures about the quality of supervision: the records the heads of service
sampled (models/actions/sampling.py) and the supervision record audits
(models/tables/record_audit.py), with their findings; and one-to-one
sessions shorter than the council's document allows
(policy.schedule.minimum_session_minutes)."""

from __future__ import annotations

from sqlalchemy import (
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from models.actions.sample_population import AGREEMENT, NO_AGREEMENT, SESSION
from models.reports.people import profile_of
from models.reports.sql import month_of
from models.reports.window import Period, ReportScope
from models.tables.org import ServiceArea, StaffMember
from models.tables.oversight import Sample, SampleItem
from models.tables.record_audit import SupervisionRecordAudit
from models.tables.supervision import (
    SessionKind,
    SessionStatus,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.schedule import minimum_session_minutes

FINDING_OUTCOMES = (
    ("meets", "Meets the standard"),
    ("falls_short", "Falls short"),
    ("not_reviewed", "No finding yet"),
)
LENGTH_OUTCOMES = (
    ("short", "Shorter than the minimum"),
    ("long_enough", "At least the minimum"),
    ("not_recorded", "Length not recorded"),
)
SAMPLED = "quarterly_sample"
AUDITED = "record_audit"


def _supervisee_of_item():
    """The person a sampled record is about: the supervisee of its session's,
    agreement's or relationship's relationship."""
    rel = aliased(SupervisionRelationship, name="sampled_rel")
    relationship_id = case(
        (
            SampleItem.object_type == SESSION,
            select(SupervisionSession.relationship_id)
            .where(SupervisionSession.id == SampleItem.object_id)
            .correlate(SampleItem)
            .scalar_subquery(),
        ),
        (
            SampleItem.object_type == AGREEMENT,
            select(SupervisionAgreement.relationship_id)
            .where(SupervisionAgreement.id == SampleItem.object_id)
            .correlate(SampleItem)
            .scalar_subquery(),
        ),
        (SampleItem.object_type == NO_AGREEMENT, SampleItem.object_id),
    )
    return (
        select(rel.supervisee_id)
        .where(rel.id == relationship_id)
        .correlate(SampleItem)
        .scalar_subquery()
    )


def _with_team(rows) -> Select:
    """The figure's columns over `rows` (staff_id, outcome, ref, day, source),
    with the team of the person each is about."""
    return (
        select(
            rows.c.staff_id,
            StaffMember.team_id.label("team_id"),
            rows.c.outcome,
            cast(rows.c.ref, String).label("ref"),
            rows.c.day,
            cast(null(), Integer).label("amount"),
            cast(null(), Float).label("days"),
            rows.c.source,
        )
        .select_from(rows)
        .join(StaffMember, StaffMember.id == rows.c.staff_id, isouter=True)
    )


def finding_items(session: Session, scope: ReportScope, period: Period) -> Select:
    """Each record sampled in a sample drawn in the period (its finding), and
    each supervision record audit done in the period (falls short when any
    answer fell short), by the team of the person the record is about (the
    supervisee; for an audit, the supervisor audited)."""
    finding = case(
        (SampleItem.meets_standard.is_(True), literal("meets")),
        (SampleItem.meets_standard.is_(False), literal("falls_short")),
        else_=literal("not_reviewed"),
    )
    samples = (
        select(
            _supervisee_of_item().label("staff_id"),
            finding.label("outcome"),
            cast(Sample.quarter, String).label("ref"),
            func.coalesce(SampleItem.reviewed_on, Sample.drawn_on).label("day"),
            literal(SAMPLED).label("source"),
        )
        .select_from(SampleItem)
        .join(Sample, Sample.id == SampleItem.sample_id)
        .join(ServiceArea, ServiceArea.id == Sample.service_area_id)
        .where(
            ServiceArea.organisation_id == scope.organisation_id,
            Sample.drawn_on >= period.starts_on,
            Sample.drawn_on <= min(period.ends_on, period.as_of),
        )
    )
    audit = SupervisionRecordAudit
    audits = select(
        audit.supervisor_id.label("staff_id"),
        case((audit.shortfalls > 0, literal("falls_short")), else_=literal("meets")).label(
            "outcome"
        ),
        cast(audit.findings, String).label("ref"),
        audit.audited_on.label("day"),
        literal(AUDITED).label("source"),
    ).where(
        audit.organisation_id == scope.organisation_id,
        audit.audited_on >= period.starts_on,
        audit.audited_on <= min(period.ends_on, period.as_of),
    )
    return _with_team(union_all(samples, audits).subquery("findings"))


def length_items(session: Session, scope: ReportScope, period: Period) -> Select:
    """One-to-one sessions held in the period, by team and month: shorter than
    the document's minimum (its own for a supervisee in their ASYE year), at
    least it, or with no length recorded."""
    profile = profile_of(session, scope.organisation_id)
    least, least_asye = (
        minimum_session_minutes(profile),
        minimum_session_minutes(profile, asye=True),
    )
    minutes = SupervisionSession.duration_minutes
    person = StaffMember
    minimum = case((person.asye.is_(True), literal(least_asye)), else_=literal(least))
    outcome = case(
        (minutes.is_(None), literal("not_recorded")),
        (and_(minimum.is_not(None), minutes < minimum), literal("short")),
        else_=literal("long_enough"),
    )
    held = SupervisionSession.held_on
    query = (
        select(
            person.id.label("staff_id"),
            person.team_id.label("team_id"),
            outcome.label("outcome"),
            cast(minimum, String).label("ref"),
            held.label("day"),
            minutes.label("amount"),
            cast(null(), Float).label("days"),
            month_of(session, held).label("month"),
        )
        .select_from(SupervisionSession)
        .join(
            SupervisionRelationship,
            SupervisionRelationship.id == SupervisionSession.relationship_id,
        )
        .join(person, person.id == SupervisionRelationship.supervisee_id)
        .where(
            person.organisation_id == scope.organisation_id,
            SupervisionSession.kind == SessionKind.INDIVIDUAL,
            SupervisionSession.status == SessionStatus.HELD,
            held >= period.starts_on,
            held <= min(period.ends_on, period.as_of),
        )
    )
    if least is None and least_asye is None:
        return query.where(false())
    return query


def length_note(session: Session, scope: ReportScope) -> str:
    profile = profile_of(session, scope.organisation_id)
    least, least_asye = (
        minimum_session_minutes(profile),
        minimum_session_minutes(profile, asye=True),
    )
    if least is None and least_asye is None:
        return "This council's document sets no minimum length for a session."
    parts = [f"{least} minutes" if least is not None else "no minimum"]
    if least_asye != least:
        parts.append(f"{least_asye} minutes in the ASYE year")
    return "The document's minimum: " + ", ".join(parts) + "."
