"""Was it done on time: each session and each case supervision that fell due
in the period, held on time, held late, or missed (not held by the day the
report is seen as of). The due dates are the human tasks the reconcile made
for them (a task per obligation, due when the policy says); a task is met by
the first session (or case supervision) after the event its cycle ran from
(policy/rules/cadence.py), so the day that met it is read back from the facts."""

from __future__ import annotations

from sqlalchemy import Float, Integer, Select, String, and_, case, cast, func, literal, null, select

from models.engine.history_bounds import FAR_PAST
from models.engine.reconcile_counts import task_team_id
from models.reports.sql import month_of
from models.reports.window import Period, ReportScope
from models.reports.work import task_in_scope
from models.tables.cases import CaseAllocation, CaseSupervision
from models.tables.human_task import HumanTask, HumanTaskStatus
from models.tables.org import StaffMember
from models.tables.supervision import SessionStatus, SupervisionSession

SESSION_KINDS = ("supervision",)
CASE_KINDS = ("case_supervision",)
OUTCOMES = (("on_time", "Held on time"), ("late", "Held late"), ("missed", "Missed"))


def _outcome(held, due):
    return case(
        (held.is_(None), literal("missed")),
        (held <= due, literal("on_time")),
        else_=literal("late"),
    )


def _due_tasks(scope: ReportScope, period: Period, kinds, held):
    """The human tasks of these kinds due in the period and either met by
    as_of or past due by then (not yet due: not counted), with the day met."""
    task = HumanTask
    return (
        select(
            task.id.label("task_id"),
            task.subject_staff_id.label("staff_id"),
            task_team_id().label("team_id"),
            task.subject.label("subject"),
            task.due_on.label("due_on"),
            held.label("held_on"),
        )
        .select_from(task)
        .join(StaffMember, StaffMember.id == task.subject_staff_id, isouter=True)
        .where(
            task.organisation_id == scope.organisation_id,
            task.kind.in_(kinds),
            task.status != HumanTaskStatus.CANCELLED,
            task.due_on >= period.starts_on,
            task.due_on <= period.ends_on,
            task_in_scope(scope),
        )
        # Materialised: the day met is a correlated subquery the outcome reads
        # three times; inlined, PostgreSQL would run it once per reading.
        .cte("due_tasks")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def session_items(session, scope: ReportScope, period: Period) -> Select:
    """Personal supervision sessions (and the ASYE year's) by team and month."""
    held = (
        select(func.min(SupervisionSession.held_on))
        .where(
            SupervisionSession.relationship_id == HumanTask.relationship_id,
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on > func.coalesce(HumanTask.opens_on, FAR_PAST),
            SupervisionSession.held_on <= period.as_of,
        )
        .scalar_subquery()
    )
    due = _due_tasks(scope, period, SESSION_KINDS, held)
    return _timeliness(session, due, period, ref=cast(due.c.held_on, String)).add_columns(
        month_of(session, due.c.due_on).label("month")
    )


def case_items(session, scope: ReportScope, period: Period) -> Select:
    """Case supervision by the case's type."""
    allocation = CaseAllocation
    held = (
        select(func.min(CaseSupervision.supervised_on))
        .join(allocation, allocation.id == CaseSupervision.allocation_id)
        .where(
            allocation.organisation_id == HumanTask.organisation_id,
            allocation.case_ref == HumanTask.subject,
            CaseSupervision.supervised_on > func.coalesce(HumanTask.opens_on, FAR_PAST),
            CaseSupervision.supervised_on <= period.as_of,
        )
        .scalar_subquery()
    )
    due = _due_tasks(scope, period, CASE_KINDS, held)
    # The type of the allocation the case had when it fell due (the latest before).
    case_type = (
        select(allocation.case_type)
        .where(
            allocation.organisation_id == scope.organisation_id,
            allocation.case_ref == due.c.subject,
            allocation.allocated_on <= due.c.due_on,
        )
        .order_by(allocation.allocated_on.desc(), allocation.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return _timeliness(session, due, period, ref=due.c.subject).add_columns(
        case_type.label("case_type")
    )


def _timeliness(session, due, period: Period, ref=None) -> Select:
    return select(
        due.c.staff_id,
        due.c.team_id,
        _outcome(due.c.held_on, due.c.due_on).label("outcome"),
        (ref if ref is not None else cast(null(), String)).label("ref"),
        due.c.due_on.label("day"),
        cast(null(), Integer).label("amount"),
        cast(null(), Float).label("days"),
    ).where(and_(due.c.held_on.is_not(None)) | (due.c.due_on < period.as_of))
