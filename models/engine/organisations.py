"""What one run covers: every organisation or one, and, for a run about one
subject (a supervision relationship, a member of staff, a child's case), the
policy engine's subjects it reconciles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from models.db import get_sessionmaker
from models.engine.reconcile import organisation_ids
from models.tables.cases import CaseAllocation, CaseIdError, check_case_id
from models.tables.org import Organisation, StaffMember
from models.tables.supervision import SupervisionRelationship
from policy.keys import relationship_fact_id, staff_fact_id


class UnknownSubject(LookupError):
    """The run was asked about a relationship, person, case or organisation that does not exist."""


@dataclass(frozen=True)
class Scope:
    """What one run covers: an organisation (None: every organisation) and, for
    a run about one subject, the engine's subjects it reconciles (None: all)."""

    organisation_id: int | None
    subjects: tuple[str, ...] | None = None
    label: str = "every subject"


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


def scope_for(
    *,
    organisation_id: int | None = None,
    relationship_id: int | None = None,
    staff_id: int | None = None,
    case_ref: str | None = None,
    session_factory: sessionmaker | None = None,
) -> Scope:
    """The organisation and subjects of a run asked for by ID (at most one subject).

    A person's run covers everything about them: their own obligations
    (registration, absence cover, load, retention, observations), every
    relationship they are in (as supervisee or supervisor, so cover moves their
    supervisees' tasks at once) and the cases allocated to them. A case's run
    covers that case; a case ID is unique within an organisation."""
    asked = [
        name
        for name, value in (
            ("relationship_id", relationship_id),
            ("staff_id", staff_id),
            ("case_ref", case_ref),
        )
        if value not in (None, "")
    ]
    if len(asked) > 1:
        raise ValueError(f"Run for one subject at a time, not {' and '.join(asked)}")
    if not asked:
        if organisation_id is not None:
            organisations_to_run(organisation_id, session_factory)  # exists, or says so
        return Scope(organisation_id)
    if relationship_id is not None:
        found = organisation_of_relationship(relationship_id, session_factory)
        scope = Scope(
            found,
            (relationship_fact_id(relationship_id),),
            f"supervision relationship {relationship_id}",
        )
    else:
        with (session_factory or get_sessionmaker())() as session:
            if staff_id is not None:
                scope = _person_scope(session, staff_id)
            else:
                scope = _case_scope(session, str(case_ref), organisation_id)
    if organisation_id is not None and organisation_id != scope.organisation_id:
        raise ValueError(
            f"The {scope.label} belongs to organisation {scope.organisation_id}, "
            f"not organisation {organisation_id}"
        )
    return scope


def _person_scope(session: Session, staff_id: int) -> Scope:
    person = session.get(StaffMember, staff_id)
    if person is None:
        raise UnknownSubject(f"No member of staff with id {staff_id}")
    rel_ids = session.scalars(
        select(SupervisionRelationship.id).where(
            or_(
                SupervisionRelationship.supervisee_id == staff_id,
                SupervisionRelationship.supervisor_id == staff_id,
            )
        )
    )
    cases = session.scalars(
        select(CaseAllocation.case_ref).where(
            CaseAllocation.worker_id == staff_id, CaseAllocation.ended_on.is_(None)
        )
    )
    subjects = {staff_fact_id(staff_id)}
    subjects |= {relationship_fact_id(i) for i in rel_ids}
    subjects |= set(cases)
    return Scope(person.organisation_id, tuple(sorted(subjects)), f"member of staff {staff_id}")


def _case_scope(session: Session, case_ref: str, organisation_id: int | None) -> Scope:
    try:
        ref = check_case_id(case_ref)
    except CaseIdError as error:
        raise UnknownSubject(f"{case_ref!r} is not a case ID: {error}") from None
    query = select(CaseAllocation.organisation_id).where(CaseAllocation.case_ref == ref)
    if organisation_id is not None:
        query = query.where(CaseAllocation.organisation_id == organisation_id)
    orgs = sorted(set(session.scalars(query)))
    if not orgs:
        raise UnknownSubject(f"No case {ref} has been allocated")
    if len(orgs) > 1:
        raise UnknownSubject(
            f"Case {ref} is in organisations {orgs}; say which with organisation_id"
        )
    return Scope(orgs[0], (ref,), f"case {ref}")
