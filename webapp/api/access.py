"""Who may use the JSON API's routes that the pages do not share (the rest
are webapp.access's task rules, as on the inbox pages)."""

from __future__ import annotations

from webapp import queries, scope
from webapp.access import Rule

task_assignee_or_manager = Rule(
    "task_assignee_or_manager",
    "The person the human task is assigned to, or someone who manages them.",
    load=lambda user, args: (
        queries.task_for_assignee(user, args["task_id"])
        or scope.may_manage_task(user, args["task_id"])
    ),
)
