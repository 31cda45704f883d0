"""Who may use the JSON API's routes that the pages do not share (the rest
are webapp.access's task rules, as on the inbox pages)."""

from __future__ import annotations

from models import HumanTask
from webapp import queries, scope
from webapp.access import Rule
from webapp.users import AppUser


def task_held_or_managed(user: AppUser, task_id: int) -> HumanTask | None:
    """The human task, if assigned to this person or open and assigned to
    someone they manage."""
    return queries.task_for_assignee(user, task_id) or scope.may_manage_task(user, task_id)


task_assignee_or_manager = Rule(
    "task_assignee_or_manager",
    "The person the human task is assigned to, or someone who manages them.",
    load=lambda user, args: task_held_or_managed(user, args["task_id"]),
)
