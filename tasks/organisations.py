"""Which organisations a lifecycle run covers and what one subject of a run
means in the policy engine's names, as Prefect tasks (models/engine/organisations.py)."""

from __future__ import annotations

from prefect import task

from models.engine.organisations import Scope, organisations_to_run, scope_for
from tasks.retries import TRANSIENT


@task(name="List the organisations to run for", **TRANSIENT)
def list_organisations(organisation_id: int | None = None) -> dict[int, str]:
    return organisations_to_run(organisation_id)


@task(name="Find what the run is about", **TRANSIENT)
def find_scope(
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    case_ref: str | None = None,
) -> Scope:
    return scope_for(
        organisation_id=organisation_id,
        relationship_id=relationship_id,
        staff_id=staff_id,
        case_ref=case_ref,
    )
