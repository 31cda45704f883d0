"""The shape every lifecycle flow shares: find what the run is about (the
whole organisation, or one relationship, person or case), reconcile the
flow's lifecycles for each organisation (a task run per batch of hundreds or
thousands of units, never one per person), publish what each run did. A
flow that is a reconcile and nothing more is made from its row of
flows/table.py by `lifecycle_flow`; the others call `run_lifecycles`.

A scheduled daily run passes `changed_only`: it looks only at the units whose
facts changed or whose dates came (models/engine/reconcile_runs.py); a run asked for
by hand, and the weekly catch-up, look at everyone."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prefect import Flow, flow
from prefect.logging import get_run_logger
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner

from flows.limits import batch_workers
from flows.subjects import AS_OF_HELP, CHANGED_ONLY_HELP, ORGANISATION, SUBJECTS
from flows.table import BY_ENTRYPOINT, FlowRow
from models import events
from models.engine.lifecycle_runs import ReconcileCounts
from models.engine.organisations import Scope
from tasks.artifacts import publish_reconcile_report
from tasks.organisations import find_scope, list_organisations
from tasks.reconcile import (
    finish_organisation_run,
    plan_organisation_run,
    reconcile_batch,
    reconcile_subjects,
)

LONDON = ZoneInfo("Europe/London")
# The launcher's --today: served runs judge by the same day as the demo's web app.
TODAY_ENV = "OVERSIGHT_TODAY"


def today_in_london() -> date:
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if fixed:
        return date.fromisoformat(fixed)
    return datetime.now(LONDON).date()


def flow_run_namer(name: str):
    """A flow run name that says what the run covered, e.g. "agreement-2026-12-01-rel-42"."""

    def run_name() -> str:
        from prefect.runtime import flow_run

        params = flow_run.parameters
        parts = [name, str(params.get("as_of") or today_in_london())]
        for subject in (*SUBJECTS, ORGANISATION):
            if params.get(subject.parameter) not in (None, ""):
                parts.append(f"{subject.run_name}-{params[subject.parameter]}")
                break
        return "-".join(parts)

    return run_name


def row_flow(row: FlowRow) -> dict:
    """The @flow options a row gives its flow: name, description, run names, and
    a thread pool that reconciles at most OVERSIGHT_BATCH_WORKERS batches at once."""
    options = {
        "name": row.name,
        "description": row.description,
        "log_prints": True,
        "task_runner": ThreadPoolTaskRunner(max_workers=batch_workers()),
    }
    if row.run_name:
        options["flow_run_name"] = flow_run_namer(row.run_name)
    return options


def lifecycle_flow(entrypoint: str) -> Flow:
    """The flow of a row that is a reconcile and nothing more, to be bound to
    the module-level name its entrypoint gives. Its parameters (as_of,
    organisation_id, the row's subjects, changed_only) are typed in the
    function's signature, which is where Prefect builds the UI's parameter form
    from (prefect.utilities.callables.parameter_schema reads
    inspect.signature, which honours __signature__), described by its
    docstring's Args."""
    row = BY_ENTRYPOINT[entrypoint]
    helps = {
        "as_of": AS_OF_HELP,
        ORGANISATION.parameter: ORGANISATION.help,
        **{s.parameter: s.help for s in row.subjects},
        "changed_only": CHANGED_ONLY_HELP,
    }
    kinds = {"as_of": date | None, "changed_only": bool}
    kinds |= {s.parameter: s.type | None for s in (ORGANISATION, *row.subjects)}
    signature = inspect.Signature(
        [
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=False if name == "changed_only" else None,
                annotation=kinds[name],
            )
            for name in helps
        ],
        return_annotation=list[ReconcileCounts],
    )

    def run(*args, **kwargs) -> list[ReconcileCounts]:
        asked = signature.bind(*args, **kwargs)
        asked.apply_defaults()
        return run_lifecycles(row.lifecycles, name=row.run_name, title=row.title, **asked.arguments)

    run.__module__, run.__name__, run.__qualname__ = row.module, row.function, row.function
    run.__signature__ = signature  # type: ignore[attr-defined]
    run.__annotations__ = {**kinds, "return": list[ReconcileCounts]}
    args = "".join(f"    {name}: {text}\n" for name, text in helps.items())
    run.__doc__ = f"{row.title}.\n\nArgs:\n{args}"
    return flow(run, **row_flow(row))


class LifecycleRunFailed(RuntimeError):
    """Some organisations could not be reconciled; the others were."""


def resolve_scope(
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    case_ref: str | None = None,
) -> tuple[Scope, dict[int, str]]:
    """What a run is about, and the organisations it covers (id -> name)."""
    if relationship_id is None and staff_id is None and case_ref in (None, ""):
        scope = Scope(organisation_id)
    else:
        scope = find_scope(organisation_id, relationship_id, staff_id, case_ref)
    return scope, list_organisations(scope.organisation_id)


def run_lifecycles(
    lifecycles: Sequence[str],
    *,
    name: str,
    title: str,
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    case_ref: str | None = None,
    scope: tuple[Scope, dict[int, str]] | None = None,
    extra: Mapping[int, Sequence[str]] | None = None,
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    """Reconcile `lifecycles` for every organisation, one organisation, or the
    one subject asked for. Call from inside a flow. `extra` adds lines to an
    organisation's report (what the flow did besides the reconcile)."""
    as_of = as_of or today_in_london()
    found, organisations = scope or resolve_scope(
        organisation_id, relationship_id, staff_id, case_ref
    )
    subjects = list(found.subjects) if found.subjects is not None else None
    results: list[ReconcileCounts] = []
    failures: list[str] = []
    # One organisation's failure (a broken profile, say) must not hold back the others.
    for org_id, org_name in organisations.items():
        state = reconcile_one_organisation(org_id, list(lifecycles), as_of, subjects, changed_only)
        if state.is_completed():
            counts = state.result()
            publish_reconcile_report(
                counts, org_name, name=name, title=title, extra=list((extra or {}).get(org_id, ()))
            )
            announce_escalations(org_id, counts)
            results += counts
        else:
            failures.append(f"{org_name} (organisation {org_id}): {state.message}")
    if failures:
        raise LifecycleRunFailed(
            f"{title} failed for {len(failures)} of {len(organisations)} organisations "
            f"({found.label}):\n" + "\n".join(failures)
        )
    if not organisations:
        get_run_logger().warning("There are no organisations to reconcile yet.")
    return results


def reconcile_after(
    row: FlowRow,
    step: Callable[[int], Any],
    *,
    as_of: date,
    scope: tuple[Scope, dict[int, str]],
    changed_only: bool = False,
) -> list[ReconcileCounts]:
    """Do a row's own work for each organisation, `step(org_id)` (whose
    report_lines() join the organisation's report), then reconcile its lifecycles."""
    extra = {org_id: step(org_id).report_lines() for org_id in scope[1]}
    return run_lifecycles(
        row.lifecycles,
        name=row.run_name,
        title=row.title,
        as_of=as_of,
        scope=scope,
        extra=extra,
        changed_only=changed_only,
    )


def reconcile_one_organisation(
    organisation_id: int,
    lifecycles: list[str],
    as_of: date,
    subjects: list[str] | None,
    changed_only: bool,
) -> State:
    """One organisation's reconcile as task runs: the subjects' units in one, or
    a plan, its batches, and the finish. Returns the finishing task's state."""
    if subjects is not None:
        done = reconcile_subjects(organisation_id, lifecycles, as_of, subjects, return_state=True)
        if not done.is_completed():
            return done
        return finish_organisation_run(
            organisation_id, lifecycles, as_of, subjects, [done.result()], return_state=True
        )
    planned = plan_organisation_run(
        organisation_id, lifecycles, as_of, changed_only, return_state=True
    )
    if not planned.is_completed():
        return planned
    plan = planned.result()
    batches = [
        reconcile_batch.submit(organisation_id, list(plan.lifecycles), as_of, batch)
        for batch in plan.batches
    ]
    for future in batches:
        future.wait()
    failed = [f.state for f in batches if not f.state.is_completed()]
    if failed:
        return failed[0]
    return finish_organisation_run(
        organisation_id,
        lifecycles,
        as_of,
        None,
        [f.result() for f in batches],
        plan,
        return_state=True,
    )


def announce_escalations(organisation_id: int, counts: Sequence[ReconcileCounts]) -> None:
    """Tell Prefect a run escalated something, so the escalation mail goes at
    once (the notifications deployment has a trigger on this event). Best
    effort: the mail deployment's own schedule catches anything this misses."""
    escalated = sum(c.escalated for c in counts)
    if not escalated:
        return
    from prefect.events import emit_event

    emit_event(
        events.HUMAN_TASKS_ESCALATED.name,
        resource={"prefect.resource.id": events.HUMAN_TASKS_ESCALATED.resource(organisation_id)},
        payload={"organisation_id": organisation_id, "escalated": escalated},
    )
