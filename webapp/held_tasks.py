"""What holding an open human task about a relationship lets its holder read
beyond their scope (webapp/scope.py): only the object the task is about, and
only while it is open.

By the key family (policy/keys.py) of the task, or of the task an escalation
is about: an agreement task the relationship's agreement; a record task (write
it up, say why it was late, countersign it) the record of the day its key
names. Nothing else: not the relationship's other records, not its schedule,
not the person's page. A delegate, or an escalation's holder outside the
supervisee's scope, needs no more to do the task; once it closes, nothing."""

from __future__ import annotations

from sqlalchemy import select

from models import OPEN_STATUSES, HumanTask, SupervisionRelationship, SupervisionSession
from policy import keys
from webapp import queries, scope
from webapp.database import db_session
from webapp.users import AppUser

AGREEMENT_FAMILIES = frozenset(
    {
        "agreement",
        "agreement_countersign",
        "agreement_version_countersign",
        "agreement_review",
        "review_questionnaire",
        "review_questionnaire_forward",
    }
)
RECORD_FAMILIES = frozenset({"record", "record_countersign", "late_reason"})


def open_task_keys(user: AppUser, relationship_id: int) -> list[keys.Key]:
    """The keys of this person's open tasks about the relationship, an
    escalation read as the key it escalates; a key no family reads grants nothing."""
    found = []
    for key in db_session().scalars(
        select(HumanTask.key).where(
            HumanTask.relationship_id == relationship_id,
            HumanTask.organisation_id == user.organisation_id,
            HumanTask.assignee_id == user.staff_id,
            HumanTask.status.in_(OPEN_STATUSES),
        )
    ):
        try:
            parsed = keys.parse(key)
        except keys.KeyFormatError:
            continue
        found.append(parsed.escalates or parsed)
    return found


def may_see_agreement(user: AppUser, relationship_id: int) -> SupervisionRelationship | None:
    """The relationship, for its agreement's page: whoever may see the
    relationship, and the holder of an open agreement task about it."""
    rel = scope.may_see_relationship(user, relationship_id)
    if rel is not None:
        return rel
    if any(k.family in AGREEMENT_FAMILIES for k in open_task_keys(user, relationship_id)):
        return queries.relationship_in_org(user, relationship_id)
    return None


def may_see_session(user: AppUser, session_id: int) -> SupervisionSession | None:
    """A session and its record: whoever may see the relationship, and the
    holder of an open task about the record of the day it was held."""
    row = queries.session_in_org(user, session_id)
    if row is None:
        return None
    if scope.may_see_relationship(user, row.relationship_id) is not None:
        return row
    held = row.held_on is not None and any(
        k.family in RECORD_FAMILIES and k.day == row.held_on
        for k in open_task_keys(user, row.relationship_id)
    )
    return row if held else None
