"""Human tasks (inbox items) of any kind, put straight into the table, for
tests of what happens to a task, not of how the reconcile makes one."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import HumanTask, Organisation, StaffMember, SupervisionRelationship
from policy import keys, kinds
from tests.factories import next_number
from tests.factories.base import added, id_of


def make_human_task(
    session: Session,
    organisation: Organisation | int,
    *,
    kind: str = "agreement",
    due_on: date,
    assignee: StaffMember | int | None = None,
    relationship: SupervisionRelationship | int | None = None,
    subject_staff: StaffMember | int | None = None,
    lifecycle: str | None = None,
    key: str | None = None,
    title: str | None = None,
    status: str = "open",
    rule: str = "test",
    source: str = "test",
    **columns,
) -> HumanTask:
    """A task of `kind`, which policy/kinds/ must declare. Unless given: its
    lifecycle is the kind's first, its key "test:<kind>:<n>", its title the
    kind's label and a number, and its subject the relationship, else the
    person it is about, else the assignee (no assignee: offered to a role,
    with candidate_role=...)."""
    if kind not in kinds.KINDS:
        raise ValueError(f"{kind!r} is no kind of human task in policy/kinds/")
    declared = kinds.KINDS[kind]
    if lifecycle is None and not declared.lifecycles:
        raise ValueError(f"the {kind!r} kind belongs to no lifecycle: pass lifecycle=")
    # Numbered only when a key or title is made up, so a test that names both
    # leaves the numbering of the staff it builds next as it was.
    n = next_number() if key is None or title is None else None
    assignee_id, relationship_id = id_of(assignee), id_of(relationship)
    subject_staff_id = id_of(subject_staff)
    columns.setdefault(
        "subject",
        keys.relationship_fact_id(relationship_id)
        if relationship_id
        else keys.staff_fact_id(subject_staff_id or assignee_id),
    )
    columns.setdefault("payload", {})
    return added(
        session,
        HumanTask(
            organisation_id=id_of(organisation),
            key=key or f"test:{kind}:{n}",
            kind=kind,
            lifecycle=lifecycle or declared.lifecycles[0],
            title=title or f"{declared.label} {n}",
            relationship_id=relationship_id,
            subject_staff_id=subject_staff_id,
            assignee_id=assignee_id,
            due_on=due_on,
            status=status,
            rule=rule,
            source=source,
            created_by="test",
            **columns,
        ),
    )
