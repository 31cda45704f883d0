"""Who may use each route. Every view declares a rule with `@rule(...)`; the
rule is recorded on the view function, and a test walks the URL map and fails
on any endpoint without one.

Object rules answer 404, not 403, for anything the person may not see, so a
guessed ID does not reveal that the row exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from webapp import queries
from webapp.extensions import login_manager
from webapp.users import AppUser


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    needs_login: bool = True
    # (user, the route's arguments) -> allowed?
    check: Callable[[AppUser, dict[str, Any]], bool] | None = None
    denied_status: int = 404

    def allows(self, user: AppUser, view_args: dict[str, Any]) -> bool:
        return self.check is None or bool(self.check(user, view_args))


public = Rule("public", "Anyone, signed in or not.", needs_login=False)

logged_in = Rule("logged_in", "Anyone signed in.")

task_assignee = Rule(
    "task_assignee",
    "The person the human task is assigned to.",
    check=lambda user, args: queries.task_for_assignee(user, args["task_id"]) is not None,
)

relationship_supervisor = Rule(
    "relationship_supervisor",
    "The supervisor in this supervision relationship.",
    check=lambda user, args: (
        queries.relationship_as_supervisor(user, args["relationship_id"]) is not None
    ),
)

relationship_supervisee = Rule(
    "relationship_supervisee",
    "The supervisee in this supervision relationship.",
    check=lambda user, args: (
        queries.relationship_as_supervisee(user, args["relationship_id"]) is not None
    ),
)

relationship_viewer = Rule(
    "relationship_viewer",
    "Either party, either party's line manager, or anyone with a human task about it.",
    check=lambda user, args: (
        queries.relationship_for_viewer(user, args["relationship_id"]) is not None
    ),
)


def rule(access_rule: Rule) -> Callable:
    """Declare and enforce who may use a view."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any):
            if access_rule.needs_login:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if not access_rule.allows(current_user, kwargs):
                    abort(access_rule.denied_status)
            return view(*args, **kwargs)

        guarded.access_rule = access_rule  # type: ignore[attr-defined]
        return guarded

    return decorate


def rule_for(view: Callable) -> Rule | None:
    return getattr(view, "access_rule", None)
