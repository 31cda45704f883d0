"""Reconcile lifecycles for one organisation as Prefect task runs
(models/engine/lifecycle_runs.py): plan the run's batches (key ranges of
units), reconcile each batch in its own transaction (a task run per batch of
hundreds or thousands of units, never one per person), then advance the
watermark and count what is open and overdue. A run for chosen subjects (an
event about one relationship, person or case) is one task run and one
transaction."""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.logging import get_run_logger

from models.engine.lifecycle_runs import (
    ReconcileCounts,
    describe_run,
    reconcile_batch_now,
    reconcile_subjects_now,
    summarise,
)
from models.engine.reconcile_counts import ChangeCounts
from models.engine.reconcile_runs import RunPlan, UnitBatch, finish_run, plan_run
from tasks.retries import TRANSIENT


@task(name="Plan the run's batches", **TRANSIENT)
def plan_organisation_run(
    organisation_id: int, lifecycles: list[str], as_of: date, changed_only: bool = False
) -> RunPlan:
    plan = plan_run(organisation_id, lifecycles, as_of, touched_only=changed_only)
    get_run_logger().info(
        "Organisation %d: %d units in %d batches (%s run)",
        organisation_id,
        plan.units,
        len(plan.batches),
        "changed-only" if plan.touched_only else "full",
    )
    return plan


def _batch_run_name() -> str:
    from prefect.runtime import task_run

    batch = task_run.parameters["batch"]
    return f"{batch.kind}s-{batch.label}"


@task(name="Reconcile a batch of units", task_run_name=_batch_run_name, **TRANSIENT)
def reconcile_batch(
    organisation_id: int, lifecycles: list[str], as_of: date, batch: UnitBatch
) -> ChangeCounts:
    return reconcile_batch_now(organisation_id, lifecycles, as_of, batch)


@task(name="Reconcile the subjects of an event", **TRANSIENT)
def reconcile_subjects(
    organisation_id: int, lifecycles: list[str], as_of: date, subjects: list[str]
) -> ChangeCounts:
    return reconcile_subjects_now(organisation_id, lifecycles, as_of, subjects)


@task(name="Finish the run: watermark, open and overdue", **TRANSIENT)
def finish_organisation_run(
    organisation_id: int,
    lifecycles: list[str],
    as_of: date,
    subjects: list[str] | None,
    changes: list[ChangeCounts],
    plan: RunPlan | None = None,
) -> list[ReconcileCounts]:
    if plan is not None:
        finish_run(plan)
    merged = ChangeCounts()
    for part in changes:
        merged.merge(part)
    results = summarise(organisation_id, lifecycles, as_of, subjects, merged)
    logger = get_run_logger()
    for counts in results:
        logger.info(
            "Reconciled %s: %d created, %d completed, %d cancelled, %d reopened, "
            "%d escalated, %d updated; %d open, %d overdue",
            describe_run(organisation_id, counts.lifecycle, as_of, subjects),
            counts.created,
            counts.completed,
            counts.cancelled,
            counts.reopened,
            counts.escalated,
            counts.updated,
            counts.open_total,
            counts.overdue_total,
        )
    return results
