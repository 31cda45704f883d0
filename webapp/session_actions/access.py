"""Who may read a person's actions agreed in supervision and mark one done;
the rules hand the row to the view."""

from __future__ import annotations

from webapp import scope
from webapp.access import Rule
from webapp.session_actions import queries

supervisee_actions = Rule(
    "supervisee_actions",
    "Anyone whose scope covers the supervisee (webapp.scope).",
    load=lambda user, args: scope.may_see_staff(user, args["staff_id"]),
)

action_owner = Rule(
    "action_owner",
    "The action's owner only: the person who agreed to do it.",
    load=lambda user, args: queries.action_i_own(user, args["action_id"]),
)
