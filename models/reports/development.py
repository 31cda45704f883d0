"""Figures about a person's development: the ASYE year's reviews against its
milestones, and practice observations done against each person's
requirement. The milestones and requirements are the profile's
(`asye.reviews`, `asye.observations`, `observation.practice`); each becomes
one SELECT over the people it applies to, never a loop over people."""

from __future__ import annotations

from datetime import timedelta

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
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from models.reports.cadence import add_duration
from models.reports.people import profile_of
from models.reports.window import Period, ReportScope
from models.tables.org import StaffMember
from models.tables.oversight import (
    AsyeReview,
    Observation,
    ObservationKind,
    ObservationSignature,
)
from models.tables.supervision import SignatoryParty
from policy.durations import Duration

ASYE_OUTCOMES = (
    ("on_time", "Reviewed by the milestone"),
    ("late", "Reviewed after it"),
    ("overdue", "Not reviewed, past the milestone"),
    ("not_yet_due", "Not yet due"),
)
OBSERVATION_OUTCOMES = (
    ("met", "Requirement met"),
    ("short", "Fewer than required"),
    ("not_yet_due", "Not yet due"),
)


def _in_post(on):
    return and_(
        StaffMember.started_on <= on,
        or_(StaffMember.left_on.is_(None), StaffMember.left_on > on),
    )


def _months(duration: Duration) -> int:
    """A milestone as the month an ASYE review records (3, 6 or 12)."""
    return duration.amount * (12 if duration.unit == "years" else 1)


def _row(outcome, *, ref, day, amount, **dims) -> Select:
    return select(
        StaffMember.id.label("staff_id"),
        StaffMember.team_id.label("team_id"),
        outcome.label("outcome"),
        cast(ref, String).label("ref"),
        day.label("day"),
        cast(amount, Integer).label("amount"),
        cast(null(), Float).label("days"),
        *(value.label(name) for name, value in dims.items()),
    )


def _none(**dims) -> Select:
    """No items (the profile owes nothing of the kind)."""
    return _row(
        literal("not_yet_due"),
        ref=null(),
        day=StaffMember.started_on,
        amount=null(),
        **dims,
    ).where(false())


def asye_items(session: Session, scope: ReportScope, period: Period) -> Select:
    """Each ASYE worker in post whose year runs into the period, and each of
    the year's review milestones: reviewed by it, after it, overdue, or not
    yet due on the day."""
    rule = profile_of(session, scope.organisation_id).rule("asye.reviews")
    if rule is None:
        return _none(milestone=cast(null(), Integer))
    start = func.coalesce(StaffMember.asye_started_on, StaffMember.started_on)
    year_end = add_duration(session, start, max(rule["at"], key=lambda d: d.approx_days()))
    parts = []
    for milestone in rule["at"]:
        month = _months(milestone)
        due = add_duration(session, start, milestone)
        reviewed = (
            select(func.min(AsyeReview.reviewed_on))
            .where(
                AsyeReview.staff_id == StaffMember.id,
                AsyeReview.stage == month,
                AsyeReview.reviewed_on <= period.as_of,
            )
            .scalar_subquery()
        )
        outcome = case(
            (and_(reviewed.is_not(None), reviewed <= due), literal("on_time")),
            (reviewed.is_not(None), literal("late")),
            (due < period.as_of, literal("overdue")),
            else_=literal("not_yet_due"),
        )
        parts.append(
            _row(outcome, ref=reviewed, day=due, amount=null(), milestone=literal(month)).where(
                StaffMember.organisation_id == scope.organisation_id,
                StaffMember.asye.is_(True),
                start <= period.as_of,
                year_end >= period.starts_on,
                _in_post(period.as_of),
            )
        )
    return union_all(*parts).subquery("asye").select()


def _signed_by(party: SignatoryParty):
    return (
        select(ObservationSignature.id)
        .where(
            ObservationSignature.observation_id == Observation.id,
            ObservationSignature.party == party,
        )
        .exists()
    )


def _done_counts(scope: ReportScope, on, practice_since, read_from):
    """Per person in scope, practice observations both parties signed by `on`:
    in the year to the day (from `practice_since`) and since their ASYE year
    began. One aggregate over the observations from `read_from` (none earlier
    counts for anyone), joined to each person."""
    signed = (
        select(Observation.staff_id, Observation.observed_on)
        .where(
            Observation.kind == ObservationKind.PRACTICE,
            Observation.observed_on <= on,
            Observation.observed_on >= read_from,
            _signed_by(SignatoryParty.SUPERVISOR),
            _signed_by(SignatoryParty.SUPERVISEE),
        )
        .subquery("signed")
    )
    person = aliased(StaffMember, name="observed_person")
    asye_start = func.coalesce(person.asye_started_on, person.started_on)

    def counted(since):
        return func.sum(case((signed.c.observed_on >= since, 1), else_=0))

    return (
        select(
            person.id.label("staff_id"),
            counted(literal(practice_since)).label("practice"),
            counted(asye_start).label("asye"),
        )
        .join(signed, signed.c.staff_id == person.id)
        .where(scope.covers(person.team_id))
        .group_by(person.id)
        .subquery("done")
    )


def observation_items(session: Session, scope: ReportScope, period: Period) -> Select:
    """Everyone in post the profile owes practice observations: those done in
    the year to the day (an ASYE worker in their year: since it began)
    against the number owed; not yet due while the first is not owed yet."""
    profile = profile_of(session, scope.organisation_id)
    practice, asye = profile.rule("observation.practice"), profile.rule("asye.observations")
    on = period.as_of
    # The year to the day: the day a year before is not in it.
    per = practice["per"] if practice is not None else Duration(1, "years")
    practice_since = per.before(on) + timedelta(days=1)
    # An ASYE year's count starts when it began, and only a year still running
    # on the day is judged: it began less than its length before (a week's
    # margin for the month arithmetic of add_duration).
    read_from = practice_since
    if asye is not None:
        read_from = min(read_from, asye["within"].before(on) - timedelta(days=7))
    done = _done_counts(scope, on, practice_since, read_from)
    parts = []
    asye_start = func.coalesce(StaffMember.asye_started_on, StaffMember.started_on)
    in_asye_year = literal(False)
    if asye is not None:
        asye_end = add_duration(session, asye_start, asye["within"])
        in_asye_year = and_(StaffMember.asye.is_(True), asye_start <= on, asye_end > on)
        count = func.coalesce(done.c.asye, 0)
        parts.append(_judged(count, asye["count"], asye_end, on).where(in_asye_year))
    if practice is not None:
        first = practice.get("first_within") or practice["per"]
        deadline = add_duration(session, StaffMember.started_on, first)
        query = _judged(func.coalesce(done.c.practice, 0), practice["count"], deadline, on)
        roles = practice.get("roles")
        if roles is not None:
            query = query.where(StaffMember.role.in_(list(roles)))
        parts.append(query.where(~in_asye_year) if asye is not None else query)
    if not parts:
        return _none()
    mine = [
        p.select_from(StaffMember)
        .outerjoin(done, done.c.staff_id == StaffMember.id)
        .where(StaffMember.organisation_id == scope.organisation_id, _in_post(on))
        for p in parts
    ]
    return union_all(*mine).subquery("observed").select()


def _judged(done, required: int, deadline, on) -> Select:
    """Met when `done` reaches `required`; short once `deadline` (the first
    owed, counted from the start) has passed; not yet due before it."""
    outcome = case(
        (done >= required, literal("met")),
        (deadline > on, literal("not_yet_due")),
        else_=literal("short"),
    )
    return _row(outcome, ref=literal(required), day=deadline, amount=done)


def asye_note(session: Session, scope: ReportScope) -> str:
    rule = profile_of(session, scope.organisation_id).rule("asye.reviews")
    if rule is None:
        return "This council's policy sets no ASYE review milestones."
    at = ", ".join(str(d) for d in rule["at"])
    return f"Reviews at {at} from the start of the ASYE year ({rule.source})."
