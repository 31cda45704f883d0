"""Who may use each route, and the row the route is about.

Every view declares a rule with `@rule(...)` under `@bp.route(...)`; the rule
is recorded on the view function, and a test walks the URL map and fails on
any endpoint without one. A rule's loader reads the row the route is about
(or answers True for a rule about no row) and returns None when this person
may not use it; the view then gets that same row from the rule, so each row
is loaded once::

    # webapp/observations/access.py
    observation_viewer = Rule(
        "observation_viewer",
        "The observer, the person observed, or anyone whose scope covers them.",
        load=lambda user, args: queries.observation_for_viewer(user, args["observation_id"]),
    )

    # webapp/observations/routes.py
    @bp.route("/observations/<int:observation_id>")
    @rule(observation_viewer)
    def view(observation_id: int):
        observation = observation_viewer.loaded()

Object rules answer 404, not 403, for anything the person may not see, so a
guessed ID does not reveal that the row exists. An auditor's login is
read-only: `rule()` refuses its POSTs unless the rule says otherwise.

Rules used by one area live in that area's `access.py`; the ones here are
shared by several areas (human tasks, relationships, a session's parties)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, g, request
from flask_login import current_user

from webapp import held_tasks, queries, scope
from webapp.extensions import login_manager
from webapp.users import AppUser

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# (the signed-in person, the route's arguments) -> the row, True, or None/False
# (anything false refuses).
Loader = Callable[[AppUser, dict[str, Any]], Any]


@dataclass(frozen=True, eq=False)
class Rule:
    name: str
    description: str
    needs_login: bool = True
    load: Loader | None = None  # None: anyone the login rules let in
    denied_status: int = 404
    # An auditor's login is read-only: it may not POST (or PUT, DELETE) to a
    # route unless the rule says so (signing out).
    read_only_may_post: bool = False

    def loaded_for(self, user: AppUser, view_args: dict[str, Any]) -> Any:
        """What the route is about for this person, or None/False: refused."""
        return True if self.load is None else self.load(user, view_args)

    def loaded(self) -> Any:
        """The row this rule loaded for the current request's view."""
        held = g.get("access_loaded")
        if held is None or held[0] is not self:
            raise RuntimeError(f"the view is not guarded by the rule {self.name!r}")
        return held[1]


def _writing() -> bool:
    return request.method not in SAFE_METHODS


def reading_and_writing(name: str, description: str, read: Loader, write: Loader) -> Rule:
    """A route whose page anyone in scope may read (GET) but only some may
    submit (POST): reading follows scope, writing stays with the parties."""
    return Rule(
        name,
        description,
        load=lambda user, args: write(user, args) if _writing() else read(user, args),
    )


def rule(access_rule: Rule) -> Callable:
    """Declare and enforce who may use a view; the view reads what the rule
    loaded with `access_rule.loaded()`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any):
            loaded: Any = True
            if access_rule.needs_login:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                loaded = access_rule.loaded_for(current_user, kwargs)
                if not loaded:
                    abort(access_rule.denied_status)
                if (
                    request.method not in SAFE_METHODS
                    and current_user.read_only
                    and not access_rule.read_only_may_post
                ):
                    abort(access_rule.denied_status)
            g.access_loaded = (access_rule, loaded)
            return view(*args, **kwargs)

        guarded.access_rule = access_rule  # type: ignore[attr-defined]
        return guarded

    return decorate


def rule_for(view: Callable) -> Rule | None:
    return getattr(view, "access_rule", None)


# --- anyone -----------------------------------------------------------------------

public = Rule("public", "Anyone, signed in or not.", needs_login=False)

logged_in = Rule("logged_in", "Anyone signed in.")

signed_in_session = Rule(
    "signed_in_session",
    "Anyone signed in, auditors included (signing out changes nothing but the session).",
    read_only_may_post=True,
)

manager = Rule(
    "manager",
    "Someone who manages at least one person (line manager, head of service, workforce team).",
    load=lambda user, args: scope.manages_anyone(user),
)

# --- human tasks (the inbox and its JSON API) ---------------------------------------

task_assignee = Rule(
    "task_assignee",
    "The person the human task is assigned to.",
    load=lambda user, args: queries.task_for_assignee(user, args["task_id"]),
)

task_viewer = Rule(
    "task_viewer",
    "The person the human task is assigned to, or, while nobody has claimed it, anyone "
    "it is offered to (the task's role, with its subject in their scope).",
    load=lambda user, args: scope.may_see_task(user, args["task_id"]),
)

# --- supervision relationships and their sessions (agreements, reviews, sessions,
# calendars) -------------------------------------------------------------------------

relationship_supervisor = Rule(
    "relationship_supervisor",
    "The supervisor in this supervision relationship.",
    load=lambda user, args: queries.relationship_as_supervisor(user, args["relationship_id"]),
)

relationship_supervisee = Rule(
    "relationship_supervisee",
    "The supervisee in this supervision relationship.",
    load=lambda user, args: queries.relationship_as_supervisee(user, args["relationship_id"]),
)

relationship_viewer = Rule(
    "relationship_viewer",
    "Either party, or anyone whose scope covers the supervisee (webapp.scope).",
    load=lambda user, args: scope.may_see_relationship(user, args["relationship_id"]),
)

agreement_viewer = Rule(
    "agreement_viewer",
    "Either party, anyone whose scope covers the supervisee (webapp.scope), or the holder "
    "of an open agreement task about it (signing, countersigning, reviewing, or its "
    "escalation), only while it is open.",
    load=lambda user, args: held_tasks.may_see_agreement(user, args["relationship_id"]),
)

session_party = Rule(
    "session_party",
    "The supervisor or the supervisee in the session's relationship.",
    load=lambda user, args: queries.session_as_party(user, args["session_id"]),
)
