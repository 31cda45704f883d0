"""What an escalation's page and mail say: what is wrong (in its own kind's
words, policy/kinds/ OVERDUE_CAUSES), who owes the overdue work, and a link
to that work. Read from the escalation's key, so it says the right thing even
when the overdue task itself is not one the reader may open."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from models import HumanTask, StaffMember
from policy import keys, kinds
from policy.dates import long_date
from policy.keys import parse_fact_id
from webapp.database import db_session

# Families owed by the supervisee, or by the signatory named in the key; the
# rest are owed by the supervisor (of the relationship, the group or the case).
_SUPERVISEE_OWES = {"agreement_countersign", "agreement_version_countersign"}
_SIGNATORY_OWES = {"group_agreement_sign"}


@dataclass(frozen=True)
class Escalation:
    cause: str
    owner: StaffMember | None
    work_url: str | None
    work_text: str


def escalated_key(task: HumanTask) -> keys.Key | None:
    try:
        return keys.parse(task.key).escalates
    except keys.KeyFormatError:
        return None


def escalated_family(task: HumanTask) -> str | None:
    escalated = escalated_key(task)
    return escalated.family if escalated is not None else None


def owner_of(task, escalated, relationship, group, staff_by_id) -> StaffMember | None:
    """Who owes the overdue work: whoever holds the overdue task (the named
    person, not a colleague holding it while they cover), else the party the
    escalated key's family makes responsible."""
    if escalated is not None and (escalated.original_assignee or escalated.assignee):
        return escalated.original_assignee or escalated.assignee
    family = escalated_family(task)
    if family in _SIGNATORY_OWES:
        return staff_by_id(parse_fact_id(escalated_key(task).parts.get("staff"), "staff"))
    if relationship is not None:
        return relationship.supervisee if family in _SUPERVISEE_OWES else relationship.supervisor
    if group is not None:
        return group.supervisor
    return None


def work_link(task: HumanTask, family: str | None, relationship, group) -> tuple[str | None, str]:
    """The page where the overdue work stands."""
    if group is not None:
        return url_for("group_agreements.view", group_id=group.id), (
            f"See where the group supervision agreement for {group.name} stands"
        )
    if relationship is not None and family and family.startswith("agreement"):
        return url_for("agreements.view", relationship_id=relationship.id), (
            f"See where the supervision agreement between {relationship.supervisor.name} "
            f"and {relationship.supervisee.name} stands"
        )
    if relationship is not None:
        return url_for("people.person", staff_id=relationship.supervisee_id), (
            f"See {relationship.supervisee.name}'s supervision: sessions, records and what is due"
        )
    if family == "case":
        return url_for("cases.view", case_ref=task.subject), f"See case {task.subject}"
    return None, ""


def escalation_of(task, escalated, relationship, group, staff_by_id) -> Escalation:
    family = escalated_family(task)
    kind = kinds.of_family(family) if family else None
    owner = owner_of(task, escalated, relationship, group, staff_by_id)
    cause = kinds.overdue_cause(
        kind.name if kind else None,
        owner=owner.name if owner is not None else None,
        supervisee=relationship.supervisee.name if relationship is not None else None,
        supervisor=relationship.supervisor.name if relationship is not None else None,
        due=_due(task, escalated),
        group=group.name if group is not None else None,
        case=task.subject if family == "case" else None,
    )
    url, text = work_link(task, family, relationship, group)
    return Escalation(cause, owner, url, text)


def _due(task: HumanTask, escalated) -> str | None:
    """The day the overdue work was due: its task's, else its key's."""
    if escalated is not None and escalated.due_on:
        return long_date(escalated.due_on)
    key = escalated_key(task)
    return long_date(key.day) if key is not None and key.day else None


def escalation_for_page(task, escalated, relationship, group) -> Escalation:
    """For the escalation's task page (a template global)."""
    return escalation_of(
        task,
        escalated,
        relationship,
        group,
        lambda staff_id: db_session().get(StaffMember, staff_id) if staff_id else None,
    )
