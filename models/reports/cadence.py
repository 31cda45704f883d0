"""The cadence the engine owes, in SQL: for every supervision relationship,
the intervals that may be in force over time (its supervisee's role, their
employment type's first months, probation, the ASYE year's stages, and a
frequency recorded in a signed agreement), as rows a query can join to.

Built once per profile from its rules, never per person: each rule becomes
one SELECT over the relationships it applies to, so the whole organisation's
cadence is one UNION whatever its size. The engine reads the same rules in
policy/rules/personal_supervision.py (supervision_segments); the next due
date after a session on `last` is the earliest, over the intervals still in
force at `last` or later, of max(last, interval's start) + interval
(policy/rules/cadence.py next_segment), which is what `due_after` computes.

An agreement's recorded frequency only ever tightens the cadence here: no
supervision rule in any profile sets `may_vary_to`, so the engine's `vary`
is the stricter of the two, which the earliest due date already gives."""

from __future__ import annotations

import math

from sqlalchemy import Date, Integer, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import type_coerce

from models.engine.history_bounds import FAR_PAST
from models.reports.sql import dialect_of
from models.tables.org import Employment, StaffMember, StaffRole
from models.tables.supervision import (
    AgreementSignature,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
)
from policy.durations import Duration
from policy.profile import Profile


def months_and_days(duration: Duration) -> tuple[int, int]:
    """A cadence interval as calendar months plus days, the way SQL adds it."""
    if duration.unit == "months":
        return duration.amount, 0
    if duration.unit == "years":
        return 12 * duration.amount, 0
    if duration.unit == "weeks":
        return 0, 7 * duration.amount
    if duration.unit == "hours":
        return 0, math.ceil(duration.amount / 24)
    if duration.unit == "working_days":
        # No cadence is set in working days; five to the week if one ever is.
        return 0, math.ceil(duration.amount * 7 / 5)
    return 0, duration.amount


def longest_interval_days(profile: Profile) -> int:
    """The longest cadence any rule here can set, in whole days (a month at
    its longest): no cycle counted from a day longer ago than this before a
    period can fall due in it."""
    rules = [profile.rule(f"supervision.role.{r.value}") for r in StaffRole]
    rules += [profile.rule(f"supervision.employment.{e.value}") for e in Employment]
    rules += [profile.rule("supervision.default"), profile.rule("supervision.probation")]
    durations = [r["every"] for r in rules if r is not None]
    asye = profile.rule("asye.stages")
    durations += [stage["every"] for stage in asye["stages"]] if asye is not None else []
    longest = 0
    for duration in durations:
        months, days = months_and_days(duration)
        longest = max(longest, 31 * months + days)
    return longest


def add_interval(session: Session, day, months, days):
    """`day` plus `months` calendar months (the day of the month kept, or the
    month's last day, as policy.durations.add_months) plus `days` days."""
    if dialect_of(session) == "postgresql":
        return cast(day + func.make_interval(0, months, 0, days), Date)
    first = func.date(day, "start of month", func.printf("+%d months", months))
    keep_day = func.date(first, func.printf("+%d days", func.strftime("%d", day) - 1))
    month_end = func.date(first, "+1 month", "-1 day")
    clipped = func.min(keep_day, month_end)
    return type_coerce(func.date(clipped, func.printf("+%d days", days)), Date)


def add_duration(session: Session, day, duration: Duration):
    months, days = months_and_days(duration)
    return add_interval(session, day, literal(months), literal(days))


def _rows(
    rel, person, starts_on, ends_on, duration: Duration | None = None, months=None, days=None
):
    """One SELECT of intervals over the relationships (`rel`) and their
    supervisees (`person`)."""
    if duration is not None:
        months, days = months_and_days(duration)
    return (
        select(
            rel.id.label("relationship_id"),
            type_coerce(starts_on, Date).label("starts_on"),
            type_coerce(ends_on, Date).label("ends_on"),
            cast(months, Integer).label("months"),
            cast(days, Integer).label("days"),
        )
        .select_from(rel)
        .join(person, person.id == rel.supervisee_id)
    )


def _base(profile: Profile, rel, person):
    """The role's cadence (or the default's), from the beginning of time."""
    whens, default = [], profile.rule("supervision.default")
    for role in StaffRole:
        rule = profile.rule(f"supervision.role.{role.value}")
        if rule is not None:
            whens.append((role.value, months_and_days(rule["every"])))
    fallback = months_and_days(default["every"]) if default is not None else (None, None)
    if not whens and default is None:
        return None

    def pick(i):
        if not whens:
            return literal(fallback[i])
        chosen = ((person.role == value, literal(md[i])) for value, md in whens)
        return case(*chosen, else_=literal(fallback[i]))

    query = _rows(rel, person, literal(FAR_PAST), cast(null(), Date), months=pick(0), days=pick(1))
    return query.where(pick(0).is_not(None))


def _employment(session: Session, profile: Profile, rel, person):
    out = []
    for employment in Employment:
        rule = profile.rule(f"supervision.employment.{employment.value}")
        if rule is None:
            continue
        until = (
            add_duration(session, person.started_on, rule["for_first"])
            if "for_first" in rule.params
            else cast(null(), Date)
        )
        out.append(
            _rows(rel, person, person.started_on, until, rule["every"]).where(
                person.employment == employment
            )
        )
    return out


def _probation(session: Session, profile: Profile, rel, person):
    rule = profile.rule("supervision.probation")
    if rule is None:
        return []
    ends = func.coalesce(
        person.probation_ends_on, add_duration(session, person.started_on, rule["for_first"])
    )
    query = _rows(rel, person, person.started_on, ends, rule["every"])
    if rule.get("employment") is not None:
        query = query.where(person.employment.in_(list(rule["employment"])))
    return [query]


def _asye(session: Session, profile: Profile, rel, person):
    """The ASYE year's stages, each running on from the one before."""
    rule = profile.rule("asye.stages")
    if rule is None:
        return []
    start = func.coalesce(person.asye_started_on, person.started_on)
    out, stage_start = [], start
    for stage in rule["stages"]:
        if "until" in stage:
            end = add_duration(session, start, stage["until"])
        else:
            end = add_duration(session, stage_start, stage["for"])
        stage_rows = _rows(rel, person, stage_start, end, stage["every"])
        out.append(stage_rows.where(person.asye.is_(True)))
        stage_start = end
    return out


def _variations(profile: Profile, rel, person):
    """A frequency recorded in an agreement version, in force from the day both
    signed it until the next version was signed."""
    if profile.rule("supervision.default") is None and not any(
        profile.rule(f"supervision.role.{r.value}") for r in StaffRole
    ):
        return []
    # Signed by both: one signature per party per version (the table's unique
    # key), so a join to each party's, in force from the later of the two.
    by_supervisor = aliased(AgreementSignature, name="supervisor_signature")
    by_supervisee = aliased(AgreementSignature, name="supervisee_signature")
    later = case(
        (by_supervisor.signed_on > by_supervisee.signed_on, by_supervisor.signed_on),
        else_=by_supervisee.signed_on,
    )
    signed = (
        select(
            SupervisionAgreement.relationship_id,
            SupervisionAgreement.frequency_weeks,
            type_coerce(later, Date).label("signed_on"),
        )
        .join(
            by_supervisor,
            (by_supervisor.agreement_id == SupervisionAgreement.id)
            & (by_supervisor.party == SignatoryParty.SUPERVISOR),
        )
        .join(
            by_supervisee,
            (by_supervisee.agreement_id == SupervisionAgreement.id)
            & (by_supervisee.party == SignatoryParty.SUPERVISEE),
        )
        .subquery()
    )
    versions = select(
        signed,
        func.lead(signed.c.signed_on)
        .over(partition_by=signed.c.relationship_id, order_by=signed.c.signed_on)
        .label("until"),
    ).subquery()
    weeks = versions.c.frequency_weeks
    query = (
        _rows(rel, person, versions.c.signed_on, versions.c.until, months=0, days=weeks * 7)
        .join(versions, versions.c.relationship_id == rel.id)
        .where(versions.c.frequency_weeks > 0)
    )
    return [query]


def cadence_intervals(
    session: Session, profile: Profile, organisation_id: int, team_ids: tuple[int, ...] | None
):
    """(relationship_id, starts_on, ends_on, months, days): every interval that
    may be in force for each relationship of the organisation's (whose
    supervisee is in one of `team_ids`, unless None), as a subquery."""
    rel = aliased(SupervisionRelationship, name="cadence_rel")
    person = aliased(StaffMember, name="cadence_person")
    parts = [
        part
        for part in (
            _base(profile, rel, person),
            *_employment(session, profile, rel, person),
            *_probation(session, profile, rel, person),
            *_asye(session, profile, rel, person),
            *_variations(profile, rel, person),
        )
        if part is not None
    ]
    if not parts:
        return None
    mine = [p.where(person.organisation_id == organisation_id) for p in parts]
    if team_ids is not None:
        mine = [p.where(person.team_id.in_(team_ids)) for p in mine]
    return union_all(*mine).subquery("cadence")
