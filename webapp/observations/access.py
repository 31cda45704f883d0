"""Who may use the observation pages; each rule hands the task or the
observation it loaded to the view: `observation_viewer.loaded()`."""

from __future__ import annotations

from models.actions.observations import OBSERVATION_TASK_KINDS
from webapp import queries
from webapp.access import Rule
from webapp.observations import queries as observation_queries

observation_task_assignee = Rule(
    "observation_task_assignee",
    "The person an observation task (practice, practice with families, supervision) is "
    "assigned to.",
    load=lambda user, args: queries.task_for_assignee(
        user, args["task_id"], kinds=OBSERVATION_TASK_KINDS
    ),
)

observation_viewer = Rule(
    "observation_viewer",
    "The observer, the person observed, or anyone whose scope covers the person observed.",
    load=lambda user, args: observation_queries.observation_for_viewer(
        user, args["observation_id"]
    ),
)
