"""What the pages say about a human task (the inbox, the team page, the
JSON API): its kind, where its form is, and the group it is about. What each
kind is (label, form, who may do it) is declared once, in policy/kinds/; a
kind may have its own partial template at inbox/templates/inbox/kinds/<kind>.html."""

from __future__ import annotations

from flask import url_for

from models import HumanTask
from policy.keys import parse_fact_id
from policy.kinds import KINDS, Kind, kind

__all__ = ["KINDS", "action_url", "group_id_of", "held_in_cover_only", "kind_of"]


def kind_of(task: HumanTask) -> Kind:
    return kind(task.kind)


def held_in_cover_only(task: HumanTask) -> bool:
    """A task the cover supervisor holds for an absent supervisor but may not
    do: it waits, visible in their inbox, until the supervisor is back (the
    reconcile moves it back when the cover ends)."""
    return task.reassignment == "cover" and kind_of(task).named_supervisor_only


def action_url(task: HumanTask) -> str | None:
    """Where the person completes this task, or None if it has no form (or
    they hold it only while covering and may not do it)."""
    kind = kind_of(task)
    if not task.is_open or kind.endpoint is None or held_in_cover_only(task):
        return None
    value = _argument_value(task, kind.argument)
    if value is None:
        return None
    return url_for(kind.endpoint, **{kind.argument: value})


def _argument_value(task: HumanTask, argument: str):
    if argument == "relationship_id":
        return task.relationship_id
    if argument == "task_id":
        return task.id
    if argument == "staff_id":
        return task.subject_staff_id
    if argument == "group_id":
        return group_id_of(task)
    if argument == "case_ref":
        return task.subject
    return (task.payload or {}).get(argument)


def group_id_of(task: HumanTask) -> int | None:
    """The supervision group a task is about: its subject is "grp-<id>"
    (signing, reviewing, and the escalations of either)."""
    return parse_fact_id(task.subject, "grp")
