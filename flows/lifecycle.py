"""The shape every lifecycle flow shares: find the organisations, reconcile
each one (one task run per organisation, never one per person), publish what
each run did. A lifecycle flow is a few lines that call `run_lifecycle`."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from prefect.logging import get_run_logger
from prefect.states import State

from tasks.artifacts import publish_reconcile_report
from tasks.organisations import find_relationship_organisation, list_organisations
from tasks.reconcile import ReconcileCounts, reconcile_organisation

LONDON = ZoneInfo("Europe/London")


def today_in_london() -> date:
    return datetime.now(LONDON).date()


def flow_run_namer(lifecycle: str):
    """A flow run name that says what the run covered, e.g. "agreement-2026-12-01-rel-42"."""

    def name() -> str:
        from prefect.runtime import flow_run

        params = flow_run.parameters
        parts = [lifecycle, str(params.get("as_of") or today_in_london())]
        if params.get("relationship_id") is not None:
            parts.append(f"rel-{params['relationship_id']}")
        elif params.get("organisation_id") is not None:
            parts.append(f"org-{params['organisation_id']}")
        return "-".join(parts)

    return name


class LifecycleRunFailed(RuntimeError):
    """Some organisations could not be reconciled; the others were."""


def run_lifecycle(
    lifecycle: str,
    *,
    as_of: date | None = None,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
) -> list[ReconcileCounts]:
    """Reconcile `lifecycle` for every organisation, one organisation, or the
    one relationship asked for. Call from inside a flow."""
    as_of = as_of or today_in_london()
    subjects: list[str] | None = None
    if relationship_id is not None:
        found = find_relationship_organisation(relationship_id)
        if organisation_id is not None and organisation_id != found:
            raise ValueError(
                f"Supervision relationship {relationship_id} belongs to organisation {found}, "
                f"not organisation {organisation_id}"
            )
        organisation_id = found
        subjects = [f"rel-{relationship_id}"]

    organisations = list_organisations(organisation_id)
    reconcile = reconcile_organisation.with_options(
        name=f"Reconcile the {lifecycle.replace('_', ' ')} lifecycle for one organisation"
    )
    results: list[ReconcileCounts] = []
    failures: list[str] = []
    # One organisation's failure (a broken profile, say) must not hold back the others.
    for org_id, org_name in organisations.items():
        state: State = reconcile(org_id, lifecycle, as_of, subjects, return_state=True)
        if state.is_completed():
            counts = state.result()
            publish_reconcile_report(counts, org_name)
            results.append(counts)
        else:
            failures.append(f"{org_name} (organisation {org_id}): {state.message}")
    if failures:
        raise LifecycleRunFailed(
            f"The {lifecycle} lifecycle failed for {len(failures)} of {len(organisations)} "
            "organisations:\n" + "\n".join(failures)
        )
    if not organisations:
        get_run_logger().warning("There are no organisations to reconcile yet.")
    return results
