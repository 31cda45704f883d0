"""Supervision records written and shared with the supervisee within the
deadline the council's document sets (`recording.session`: written;
`recording.shared`: shared, the day the supervisee had their copy), for each
one-to-one session held in the period. One SELECT per step the profile owes,
over every session at once."""

from __future__ import annotations

from sqlalchemy import (
    Float,
    Integer,
    Select,
    String,
    case,
    cast,
    false,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from models.reports.cadence import add_duration
from models.reports.people import profile_of
from models.reports.window import Period, ReportScope
from models.tables.org import StaffMember
from models.tables.supervision import (
    SessionKind,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
)

RECORD_OUTCOMES = (
    ("on_time", "Within the deadline"),
    ("late", "After it"),
    ("overdue", "Not yet, past the deadline"),
    ("not_yet_due", "Not yet due"),
)
STEPS = (
    ("written", "recording.session", "recorded_on"),
    ("shared", "recording.shared", "shared_on"),
)
STEP_LABELS = {"written": "Record written", "shared": "Record shared with the supervisee"}


def record_items(session: Session, scope: ReportScope, period: Period) -> Select:
    """Each step the profile owes for each session held in the period."""
    profile = profile_of(session, scope.organisation_id)
    held = SupervisionSession.held_on
    parts = []
    for step, rule_id, column_name in STEPS:
        rule = profile.rule(rule_id)
        done = getattr(SupervisionSession, column_name, None)
        if rule is None or done is None:
            continue
        deadline = add_duration(session, held, rule["within"])
        outcome = case(
            (done.is_not(None) & (done <= period.as_of) & (done <= deadline), literal("on_time")),
            (done.is_not(None) & (done <= period.as_of), literal("late")),
            (deadline < period.as_of, literal("overdue")),
            else_=literal("not_yet_due"),
        )
        parts.append(_step(outcome, done, deadline, step))
    if not parts:
        return _step(literal("not_yet_due"), held, held, "written").where(false())
    mine = [
        p.where(
            StaffMember.organisation_id == scope.organisation_id,
            SupervisionSession.kind == SessionKind.INDIVIDUAL,
            SupervisionSession.status == SessionStatus.HELD,
            held >= period.starts_on,
            held <= min(period.ends_on, period.as_of),
        )
        for p in parts
    ]
    return union_all(*mine).subquery("records").select()


def _step(outcome, done, deadline, step: str) -> Select:
    return (
        select(
            StaffMember.id.label("staff_id"),
            StaffMember.team_id.label("team_id"),
            outcome.label("outcome"),
            cast(done, String).label("ref"),
            deadline.label("day"),
            cast(null(), Integer).label("amount"),
            cast(null(), Float).label("days"),
            literal(step).label("step"),
        )
        .select_from(SupervisionSession)
        .join(
            SupervisionRelationship,
            SupervisionRelationship.id == SupervisionSession.relationship_id,
        )
        .join(StaffMember, StaffMember.id == SupervisionRelationship.supervisee_id)
    )
