"""Which organisations a lifecycle run covers, and where one subject lives."""

from __future__ import annotations

from prefect import task
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from models import Organisation, StaffMember, SupervisionRelationship
from models.db import get_sessionmaker
from models.reconcile import organisation_ids
from tasks.retries import TRANSIENT_RETRIES, TRANSIENT_RETRY_DELAYS, is_transient_failure


class UnknownSubject(LookupError):
    """The run was asked about a relationship or organisation that does not exist."""


def organisations_to_run(
    organisation_id: int | None = None, session_factory: sessionmaker | None = None
) -> dict[int, str]:
    """Every organisation, or the one asked for (checked to exist): id -> name,
    the name only for people reading the run's artifacts."""
    ids = organisation_ids(session_factory)
    if organisation_id is not None:
        if organisation_id not in ids:
            raise UnknownSubject(f"No organisation with id {organisation_id}")
        ids = [organisation_id]
    with (session_factory or get_sessionmaker())() as session:
        rows = session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        )
        names = {org_id: name for org_id, name in rows}  # noqa: C416 - Result has .keys()
    return {i: names.get(i, f"Organisation {i}") for i in ids}


def organisation_of_relationship(
    relationship_id: int, session_factory: sessionmaker | None = None
) -> int:
    """The organisation a supervision relationship belongs to (its supervisee's)."""
    with (session_factory or get_sessionmaker())() as session:
        found = session.scalar(
            select(StaffMember.organisation_id)
            .join(SupervisionRelationship, SupervisionRelationship.supervisee_id == StaffMember.id)
            .where(SupervisionRelationship.id == relationship_id)
        )
    if found is None:
        raise UnknownSubject(f"No supervision relationship with id {relationship_id}")
    return found


@task(
    name="List the organisations to run for",
    retries=TRANSIENT_RETRIES,
    retry_delay_seconds=TRANSIENT_RETRY_DELAYS,
    retry_condition_fn=is_transient_failure,
)
def list_organisations(organisation_id: int | None = None) -> dict[int, str]:
    return organisations_to_run(organisation_id)


@task(
    name="Find the organisation of a supervision relationship",
    retries=TRANSIENT_RETRIES,
    retry_delay_seconds=TRANSIENT_RETRY_DELAYS,
    retry_condition_fn=is_transient_failure,
)
def find_relationship_organisation(relationship_id: int) -> int:
    return organisation_of_relationship(relationship_id)
