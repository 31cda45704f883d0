"""The inbox's picture: open and overdue human tasks by kind and team, and
escalations (a human task whose overdue state went up the chain) with how
long each took to resolve."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import (
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    literal,
    null,
    or_,
    select,
    true,
)

from models.engine.reconcile_counts import task_team_id
from models.reports.sql import days_between
from models.reports.window import Period, ReportScope
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.org import StaffMember

OPEN_OUTCOMES = (("overdue", "Overdue"), ("not_yet_due", "Not yet due"))
ESCALATION_OUTCOMES = (("resolved", "Resolved"), ("unresolved", "Still open"))


def _tasks(scope: ReportScope, *columns) -> Select:
    query = (
        select(
            HumanTask.subject_staff_id.label("staff_id"),
            task_team_id().label("team_id"),
            *columns,
        )
        .select_from(HumanTask)
        .join(StaffMember, StaffMember.id == HumanTask.subject_staff_id, isouter=True)
    )
    return query.where(task_in_scope(scope))


def task_in_scope(scope: ReportScope):
    """A human task (joined to its subject as StaffMember) counts for one of
    the scope's teams: task_team_id, written so the task's own team can be
    read from an index, and before anything is computed per task."""
    if scope.whole_organisation:
        return true()
    return or_(
        scope.covers(HumanTask.team_id),
        and_(HumanTask.team_id.is_(None), scope.covers(StaffMember.team_id)),
    )


def open_task_items(session, scope: ReportScope, period: Period) -> Select:
    """Human tasks open now, overdue as of the period's day or not yet due."""
    overdue = case((HumanTask.due_on < period.as_of, literal("overdue")), else_="not_yet_due")
    return _tasks(
        scope,
        overdue.label("outcome"),
        HumanTask.title.label("ref"),
        HumanTask.due_on.label("day"),
        cast(null(), Integer).label("amount"),
        cast(null(), Float).label("days"),
        HumanTask.kind.label("kind"),
    ).where(
        HumanTask.organisation_id == scope.organisation_id,
        HumanTask.status.in_(OPEN_STATUSES),
    )


def escalation_items(session, scope: ReportScope, period: Period) -> Select:
    """Human tasks escalated in the period; resolved when closed, with the
    days from escalation to closing."""
    resolved = HumanTask.completed_at.is_not(None) & HumanTask.status.not_in(OPEN_STATUSES)
    start = datetime.combine(period.starts_on, time.min)
    end = datetime.combine(period.ends_on + timedelta(days=1), time.min)
    took = days_between(session, HumanTask.escalated_at, HumanTask.completed_at)
    return _tasks(
        scope,
        case((resolved, literal("resolved")), else_="unresolved").label("outcome"),
        HumanTask.title.label("ref"),
        HumanTask.due_on.label("day"),
        cast(null(), Integer).label("amount"),
        case((resolved, took), else_=cast(null(), Float)).label("days"),
        HumanTask.lifecycle.label("lifecycle"),
    ).where(
        HumanTask.organisation_id == scope.organisation_id,
        HumanTask.escalated_at >= start,
        HumanTask.escalated_at < end,
    )
