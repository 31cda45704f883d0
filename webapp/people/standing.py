"""Where one person stands against their council's policy: the policy
engine's obligations about them (their own, their supervision relationships',
their cases'), counted per lifecycle, and the points of their supervision
timeline (sessions held, sessions due)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    CaseAllocation,
    SessionStatus,
    StaffMember,
    SupervisionRelationship,
    SupervisionSession,
)
from models.engine.unit_obligations import obligations_for_units
from policy import ObligationStatus, kinds
from policy import units as units_of
from policy.keys import staff_fact_id
from policy.obligations import Obligation

LIFECYCLE_LABELS = {
    "agreement": "Supervision agreement",
    "agreement_review": "Annual review of the agreement",
    "personal_supervision": "Personal supervision",
    "asye": "ASYE supervision",
    "case_supervision": "Case supervision",
    "recording": "Recording supervision",
    "observation": "Observations",
    "development": "Development discussed",
    "sampling": "Sampling records",
    "case_file_audit": "Case file audits",
    "registration": "Registration checks",
    "retention": "Keeping and deleting records",
    "supervisor_absence": "Cover while away",
    "supervisor_load": "Number of supervisees",
}
SESSION_LIFECYCLES = ("personal_supervision", "asye")


@dataclass(frozen=True)
class LifecycleStanding:
    lifecycle: str
    label: str
    met: int
    due: int
    overdue: int


@dataclass(frozen=True)
class TimelinePoint:
    on: date
    what: str  # "held", "due", "overdue", "met"
    label: str


@dataclass(frozen=True)
class Standing:
    obligations: list[Obligation]
    by_lifecycle: list[LifecycleStanding]
    cadence: Obligation | None  # the next (or latest) session obligation
    timeline: list[TimelinePoint]
    starts: date
    ends: date


def person_obligations(session: Session, person: StaffMember, on: date) -> list[Obligation]:
    """Everything about a person and their open cases, met or not, over their history."""
    cases = session.scalars(
        select(CaseAllocation.case_ref).where(
            CaseAllocation.worker_id == person.id, CaseAllocation.ended_on.is_(None)
        )
    )
    units = [units_of.person(staff_fact_id(person.id)), *(units_of.case(c) for c in cases)]
    return obligations_for_units(session, person.organisation_id, units, on, history=True)


def standing_for(
    session: Session, person: StaffMember, relationships: list[SupervisionRelationship], on: date
) -> Standing:
    obligations = person_obligations(session, person, on)
    sessions_due = [o for o in obligations if o.lifecycle in SESSION_LIFECYCLES]
    upcoming = [o for o in sessions_due if o.status != ObligationStatus.MET]
    cadence = upcoming[0] if upcoming else (sessions_due[-1] if sessions_due else None)
    # From when supervision began (at most a year back) to three months ahead.
    began = min((r.started_on for r in relationships), default=on)
    starts = max(on - timedelta(days=365), min(began, on - timedelta(days=60)) - timedelta(7))
    ends = on + timedelta(days=91)
    return Standing(
        obligations=obligations,
        by_lifecycle=_by_lifecycle(obligations),
        cadence=cadence,
        timeline=_timeline(session, relationships, sessions_due, starts, ends),
        starts=starts,
        ends=ends,
    )


def _by_lifecycle(obligations: list[Obligation]) -> list[LifecycleStanding]:
    """Met, due and overdue counted per lifecycle, one for each piece of work as
    a person thinks of it: an agreement is one, though the supervisor signs and
    the supervisee countersigns it, and its escalation is not another."""
    things: dict[tuple, list[ObligationStatus]] = {}
    for o in obligations:
        if o.escalates is not None:
            continue
        work = (o.lifecycle, kinds.kind(o.kind).label, o.subject, o.due)
        things.setdefault(work, []).append(o.status)
    counts: dict[str, Counter] = {}
    for (lifecycle, *_work), statuses in things.items():
        if all(s == ObligationStatus.MET for s in statuses):
            bucket = "met"
        elif ObligationStatus.OVERDUE in statuses:
            bucket = "overdue"
        else:
            bucket = "due"
        counts.setdefault(lifecycle, Counter())[bucket] += 1
    return [
        LifecycleStanding(
            lifecycle=name,
            label=LIFECYCLE_LABELS.get(name, name.replace("_", " ").capitalize()),
            met=c["met"],
            due=c["due"],
            overdue=c["overdue"],
        )
        for name, c in sorted(counts.items(), key=lambda kv: _lifecycle_order(kv[0]))
    ]


def _timeline(
    session: Session,
    relationships: list[SupervisionRelationship],
    sessions_due: list[Obligation],
    starts: date,
    ends: date,
) -> list[TimelinePoint]:
    """Sessions held since `starts`, and sessions due or overdue until `ends`."""
    rel_ids = [r.id for r in relationships]
    held = (
        session.scalars(
            select(SupervisionSession)
            .where(
                SupervisionSession.relationship_id.in_(rel_ids),
                SupervisionSession.held_on.is_not(None),
                SupervisionSession.held_on >= starts,
            )
            .order_by(SupervisionSession.held_on)
        ).all()
        if rel_ids
        else []
    )
    points = [
        TimelinePoint(s.held_on, "held", f"Session held {s.held_on.day} {s.held_on:%B %Y}")
        for s in held
        if s.status == SessionStatus.HELD
    ]
    for o in sessions_due:
        if not starts <= o.due <= ends or o.status == ObligationStatus.MET:
            continue
        what = "overdue" if o.status == ObligationStatus.OVERDUE else "due"
        points.append(TimelinePoint(o.due, what, f"Session {what}"))
    points.sort(key=lambda p: (p.on, p.what))
    return points


def _lifecycle_order(name: str) -> tuple[int, str]:
    order = list(LIFECYCLE_LABELS)
    return (order.index(name) if name in order else len(order), name)


@dataclass(frozen=True)
class Chart:
    """The timeline as SVG geometry (no inline styles: the CSP forbids them)."""

    width: int
    ticks: list[tuple[float, str]]
    points: list[tuple[float, TimelinePoint]]
    today_x: float


def chart_for(standing: Standing, on: date, width: int = 1000, margin: int = 30) -> Chart:
    span = (standing.ends - standing.starts).days or 1

    def x(day: date) -> float:
        return round(margin + (day - standing.starts).days / span * (width - 2 * margin), 1)

    ticks = []
    month = date(standing.starts.year, standing.starts.month, 1)
    while month <= standing.ends:
        if month >= standing.starts:
            ticks.append((x(month), f"{month:%b}" if month.month != 1 else f"{month:%b %Y}"))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return Chart(
        width=width,
        ticks=ticks,
        points=[(x(p.on), p) for p in standing.timeline],
        today_x=x(on),
    )
