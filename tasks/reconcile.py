"""Reconcile one lifecycle for one organisation: the unit of work of every
lifecycle flow. One task run per organisation, never one per person: the
reconcile itself is set-based and owns its transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from prefect import task
from prefect.logging import get_run_logger
from sqlalchemy.orm import sessionmaker

from models.reconcile import reconcile
from tasks.retries import (
    TRANSIENT_RETRIES,
    TRANSIENT_RETRY_DELAYS,
    is_transient_error,
    is_transient_failure,
)


@dataclass(frozen=True)
class ReconcileCounts:
    """What one reconcile did, as plain values a flow can return and publish."""

    organisation_id: int
    lifecycle: str
    as_of: date
    subjects: tuple[str, ...] | None
    created: int
    completed: int
    cancelled: int
    reopened: int
    escalated: int
    open_total: int
    overdue_by_team: dict[str, int] = field(default_factory=dict)

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue_by_team.values())


class ReconcileFailed(RuntimeError):
    """A reconcile failed; the message names the organisation, lifecycle, subjects and cause."""


def describe_run(
    organisation_id: int, lifecycle: str, as_of: date, subjects: list[str] | None
) -> str:
    scope = f"subjects {', '.join(subjects)}" if subjects else "every subject"
    return (
        f"the {lifecycle} lifecycle for organisation {organisation_id} "
        f"({scope}) as of {as_of.isoformat()}"
    )


def reconcile_lifecycle(
    organisation_id: int,
    lifecycle: str,
    as_of: date,
    subjects: list[str] | None = None,
    session_factory: sessionmaker | None = None,
) -> ReconcileCounts:
    """Make one organisation's human tasks for one lifecycle match what is owed."""
    try:
        result = reconcile(
            organisation_id=organisation_id,
            lifecycles=[lifecycle],
            as_of=as_of,
            subjects=subjects,
            actor=f"flow:{lifecycle}",
            session_factory=session_factory,
        )
    except Exception as error:
        kind = "transient database error" if is_transient_error(error) else "error"
        raise ReconcileFailed(
            f"Could not reconcile {describe_run(organisation_id, lifecycle, as_of, subjects)}: "
            f"{kind}: {type(error).__name__}: {error}"
        ) from error
    return ReconcileCounts(
        organisation_id=organisation_id,
        lifecycle=lifecycle,
        as_of=as_of,
        subjects=tuple(subjects) if subjects is not None else None,
        created=len(result.created),
        completed=len(result.completed),
        cancelled=len(result.cancelled),
        reopened=len(result.reopened),
        escalated=len(result.escalated),
        open_total=result.open_total,
        overdue_by_team=dict(result.overdue_by_team or {}),
    )


def _task_run_name() -> str:
    from prefect.runtime import task_run

    params = task_run.parameters
    scope = f" for {', '.join(params['subjects'])}" if params.get("subjects") else ""
    return f"{params['lifecycle']}-org-{params['organisation_id']}{scope}"


@task(
    name="Reconcile a lifecycle's human tasks for one organisation",
    task_run_name=_task_run_name,
    retries=TRANSIENT_RETRIES,
    retry_delay_seconds=TRANSIENT_RETRY_DELAYS,
    retry_condition_fn=is_transient_failure,
)
def reconcile_organisation(
    organisation_id: int, lifecycle: str, as_of: date, subjects: list[str] | None = None
) -> ReconcileCounts:
    counts = reconcile_lifecycle(organisation_id, lifecycle, as_of, subjects)
    get_run_logger().info(
        "Reconciled %s: %d created, %d completed, %d cancelled, %d reopened, %d escalated; "
        "%d open, %d overdue",
        describe_run(organisation_id, lifecycle, as_of, subjects),
        counts.created,
        counts.completed,
        counts.cancelled,
        counts.reopened,
        counts.escalated,
        counts.open_total,
        counts.overdue_total,
    )
    return counts
