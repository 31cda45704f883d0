"""Figures about people as of a day: who has a signed agreement in force,
supervisors over the profile's supervisee cap, supervisors absent without
cover, and leavers whose supervision records are due for deletion. The
profile's numbers (the cap, the absence limit, the retention period) come
from the organisation's policy profile; where the profile sets none the
figure says so."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session

from models.reports.window import Period, ReportScope
from models.tables.org import Organisation, StaffMember
from models.tables.oversight import Absence, CoverArrangement
from models.tables.supervision import AgreementStatus, SupervisionAgreement, SupervisionRelationship
from policy import load_profile
from policy.profile import Profile

AGREEMENT_OUTCOMES = (("signed", "Agreement in force"), ("not_signed", "No agreement in force"))
CAP_OUTCOMES = (("over_cap", "Over the cap"),)
ABSENCE_OUTCOMES = (("past_limit", "Past the profile's limit"), ("within_limit", "Within it"))
LEAVER_OUTCOMES = (("due", "Due for deletion"),)


def profile_of(session: Session, organisation_id: int) -> Profile:
    """The organisation's policy profile, read once per session: every
    figure's query and note asks for it, and load_profile looks at the
    profile's files each time it is asked."""
    key = ("reports.profile", organisation_id)
    if key not in session.info:
        organisation = session.get(Organisation, organisation_id)
        session.info[key] = load_profile(organisation.profile)
    return session.info[key]


def _in_post(on: date):
    staff = StaffMember
    return and_(staff.started_on <= on, or_(staff.left_on.is_(None), staff.left_on > on))


def _relationship_in_force(on: date):
    rel = SupervisionRelationship
    return and_(rel.started_on <= on, or_(rel.ended_on.is_(None), rel.ended_on > on))


def _people(outcome, *, ref=None, day=None, amount=None) -> Select:
    return select(
        StaffMember.id.label("staff_id"),
        StaffMember.team_id.label("team_id"),
        outcome.label("outcome"),
        (ref if ref is not None else cast(null(), String)).label("ref"),
        (day if day is not None else null()).label("day"),
        (amount if amount is not None else cast(null(), Integer)).label("amount"),
        cast(null(), Float).label("days"),
    ).where(StaffMember.organisation_id.is_not(None))


def agreement_items(session, scope: ReportScope, period: Period) -> Select:
    """Everyone in post and supervised on the day: has an agreement version
    of a relationship in force come into force by then."""
    on = period.as_of
    rel = SupervisionRelationship
    supervised = exists().where(rel.supervisee_id == StaffMember.id, _relationship_in_force(on))
    signed = exists().where(
        SupervisionAgreement.relationship_id == rel.id,
        rel.supervisee_id == StaffMember.id,
        _relationship_in_force(on),
        SupervisionAgreement.in_force_on <= on,
        SupervisionAgreement.status.in_((AgreementStatus.IN_FORCE, AgreementStatus.SUPERSEDED)),
    )
    outcome = case((signed, literal("signed")), else_=literal("not_signed"))
    return _people(outcome, ref=StaffMember.job_title, day=StaffMember.started_on).where(
        StaffMember.organisation_id == scope.organisation_id, _in_post(on), supervised
    )


def cap_items(session, scope: ReportScope, period: Period) -> Select:
    """Supervisors with more supervisees in force on the day than the cap."""
    rule = profile_of(session, scope.organisation_id).rule("supervisor_load.cap")
    rel = SupervisionRelationship
    load = (
        select(rel.supervisor_id, func.count().label("supervisees"))
        .where(_relationship_in_force(period.as_of))
        .group_by(rel.supervisor_id)
        .subquery()
    )
    over = load.c.supervisees > rule["max_supervisees"] if rule is not None else false()
    return (
        _people(literal("over_cap"), amount=load.c.supervisees)
        .join(load, load.c.supervisor_id == StaffMember.id)
        .where(StaffMember.organisation_id == scope.organisation_id, over)
    )


def absence_items(session, scope: ReportScope, period: Period) -> Select:
    """Supervisors absent on the day with no cover arrangement in force; past
    the profile's limit when their absence began longer ago than it."""
    on = period.as_of
    rule = profile_of(session, scope.organisation_id).rule("supervisor_absence.cover")
    absent = (
        select(Absence.staff_id, func.min(Absence.starts_on).label("since"))
        .where(Absence.starts_on <= on, or_(Absence.ends_on.is_(None), Absence.ends_on >= on))
        .group_by(Absence.staff_id)
        .subquery()
    )
    supervising = exists().where(
        SupervisionRelationship.supervisor_id == StaffMember.id, _relationship_in_force(on)
    )
    covered = exists().where(
        CoverArrangement.absent_supervisor_id == StaffMember.id, CoverArrangement.in_force_on(on)
    )
    outcome = literal("within_limit")
    if rule is not None:
        limit_from = rule["longer_than"].before(on)
        outcome = case((absent.c.since < limit_from, literal("past_limit")), else_=outcome)
    return (
        _people(outcome, day=absent.c.since)
        .join(absent, absent.c.staff_id == StaffMember.id)
        .where(StaffMember.organisation_id == scope.organisation_id, supervising, ~covered)
    )


def leaver_items(session, scope: ReportScope, period: Period) -> Select:
    """Leavers whose records the profile's retention period has run out for
    by the day, not yet deleted."""
    rule = profile_of(session, scope.organisation_id).rule("retention.deletion")
    due = (
        StaffMember.left_on <= rule["after_leaving"].before(period.as_of)
        if rule is not None
        else false()
    )
    return _people(literal("due"), day=StaffMember.left_on).where(
        StaffMember.organisation_id == scope.organisation_id,
        StaffMember.left_on.is_not(None),
        StaffMember.records_deleted_on.is_(None),
        due,
    )


def rule_note(rule_id: str, present: str, absent: str):
    """A figure's note: what the profile says, or that it says nothing."""

    def note(session: Session, scope: ReportScope) -> str:
        rule = profile_of(session, scope.organisation_id).rule(rule_id)
        if rule is None:
            return absent
        return present.format(**{k: str(v) for k, v in rule.params.items()}, cite=rule.source)

    return note
