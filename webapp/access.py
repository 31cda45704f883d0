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

from flask import abort, request
from flask_login import current_user

from webapp import queries, scope
from webapp.extensions import login_manager
from webapp.users import AppUser

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    needs_login: bool = True
    # (user, the route's arguments) -> allowed?
    check: Callable[[AppUser, dict[str, Any]], bool] | None = None
    denied_status: int = 404
    # An auditor's login is read-only: it may not POST (or PUT, DELETE) to a
    # route unless the rule says so (signing out).
    read_only_may_post: bool = False

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
    "Either party, anyone whose scope covers the supervisee (webapp.scope), or anyone "
    "with a human task about it.",
    check=lambda user, args: (
        queries.relationship_for_viewer(user, args["relationship_id"]) is not None
    ),
)

signed_in_session = Rule(
    "signed_in_session",
    "Anyone signed in, auditors included (signing out changes nothing but the session).",
    read_only_may_post=True,
)

task_viewer = Rule(
    "task_viewer",
    "The person the human task is assigned to, or, while nobody has claimed it, anyone "
    "it is offered to (the task's role, with its subject in their scope).",
    check=lambda user, args: scope.may_see_task(user, args["task_id"]) is not None,
)

task_manager = Rule(
    "task_manager",
    "Someone who manages the person an open human task is assigned to "
    "(their line manager, head of service, or the workforce team).",
    check=lambda user, args: scope.may_manage_task(user, args["task_id"]) is not None,
)

task_assignee_or_manager = Rule(
    "task_assignee_or_manager",
    "The person the human task is assigned to, or someone who manages them.",
    check=lambda user, args: (
        queries.task_for_assignee(user, args["task_id"]) is not None
        or scope.may_manage_task(user, args["task_id"]) is not None
    ),
)

staff_viewer = Rule(
    "staff_viewer",
    "Anyone whose scope covers this person (webapp.scope): themselves, their supervisor, "
    "line manager, head of service, the principal social worker, the workforce team, "
    "a current auditor.",
    check=lambda user, args: scope.may_see_staff(user, args["staff_id"]) is not None,
)

staff_self_or_organisation_wide = Rule(
    "staff_self_or_organisation_wide",
    "The person themselves, or someone who sees the whole organisation "
    "(principal social worker, workforce team, a current auditor).",
    check=lambda user, args: (
        args["staff_id"] == user.staff_id
        or (
            scope.sees_whole_organisation(user)
            and scope.may_see_staff(user, args["staff_id"]) is not None
        )
    ),
)

staff_self_or_manager = Rule(
    "staff_self_or_manager",
    "The person themselves, or someone who manages them (line manager, head of service, "
    "workforce team).",
    check=lambda user, args: (
        args["staff_id"] == user.staff_id
        or scope.may_manage_staff(user, args["staff_id"]) is not None
    ),
)

manager = Rule(
    "manager",
    "Someone who manages at least one person (line manager, head of service, workforce team).",
    check=lambda user, args: scope.manages_anyone(user),
)


# --- supervision sessions, cases and calendars (webapp/sessions, cases, calendar) ---


def _sessions():
    from webapp.sessions import queries as session_queries

    return session_queries


def _cases():
    from webapp.cases import queries as case_queries

    return case_queries


def _writing(request_method: str | None = None) -> bool:
    return (request_method or request.method) not in SAFE_METHODS


def reading_and_writing(
    name: str,
    description: str,
    read: Callable[[AppUser, dict[str, Any]], bool],
    write: Callable[[AppUser, dict[str, Any]], bool],
) -> Rule:
    """A route whose page anyone in scope may read (GET) but only some may
    submit (POST): reading follows scope, writing stays with the parties."""
    return Rule(
        name,
        description,
        check=lambda user, args: write(user, args) if _writing() else read(user, args),
    )


relationship_recorder = Rule(
    "relationship_recorder",
    "The supervisor in this relationship, or the colleague covering for them while a cover "
    "arrangement is in force (they record and sign its sessions; the agreement stays with "
    "the named supervisor).",
    check=lambda user, args: (
        _sessions().relationship_as_recorder(user, args["relationship_id"]) is not None
    ),
)

session_viewer = Rule(
    "session_viewer",
    "Either party to the session, anyone whose scope covers the supervisee (webapp.scope: "
    "their supervisor's line manager, head of service, the principal social worker, the "
    "workforce team, a current auditor), or anyone with a human task about the relationship.",
    check=lambda user, args: _sessions().session_for_viewer(user, args["session_id"]) is not None,
)

session_supervisor = Rule(
    "session_supervisor",
    "The supervisor in the session's relationship, or the colleague covering for them while "
    "a cover arrangement is in force.",
    check=lambda user, args: _sessions().session_as_recorder(user, args["session_id"]) is not None,
)

session_supervisee = Rule(
    "session_supervisee",
    "The supervisee in the session's relationship.",
    check=lambda user, args: (
        _sessions().session_as_supervisee(user, args["session_id"]) is not None
    ),
)

session_party = Rule(
    "session_party",
    "The supervisor or the supervisee in the session's relationship.",
    check=lambda user, args: _sessions().session_as_party(user, args["session_id"]) is not None,
)

case_viewer = Rule(
    "case_viewer",
    "The case's allocated worker, their supervisor or line manager, or anyone whose scope "
    "covers the worker (webapp.scope).",
    check=lambda user, args: _cases().case_for_viewer(user, args["case_ref"]) is not None,
)

case_overseer = Rule(
    "case_overseer",
    "The supervisor or line manager of the case's allocated worker.",
    check=lambda user, args: _cases().case_for_overseer(user, args["case_ref"]) is not None,
)

case_supervisor = Rule(
    "case_supervisor",
    "The supervisor or line manager of the case's allocated worker, or a colleague covering "
    "for the worker's supervisor while a cover arrangement is in force (case directions).",
    check=lambda user, args: _cases().case_for_supervisor(user, args["case_ref"]) is not None,
)

supervises_someone = Rule(
    "supervises_someone",
    "Anyone who supervises or line-manages at least one person.",
    check=lambda user, args: bool(_cases().overseen_staff(user)),
)

calendar_token = Rule(
    "calendar_token",
    "Anyone holding a live calendar token (the feed's URL is the secret); without a token, "
    "sign in.",
    needs_login=False,
)


# --- observations, reviews, sampling, checks (webapp/observations, reviews, sampling, checks) ---


def _observations():
    from webapp.observations import queries as observation_queries

    return observation_queries


def _reviews():
    from webapp.reviews import queries as review_queries

    return review_queries


def _sampling():
    from webapp.sampling import queries as sampling_queries

    return sampling_queries


def _checks():
    from webapp.checks import queries as check_queries

    return check_queries


observation_task_assignee = Rule(
    "observation_task_assignee",
    "The person an observation task (practice, practice with families, supervision) is "
    "assigned to.",
    check=lambda user, args: _observations().observation_task(user, args["task_id"]) is not None,
)

observation_viewer = Rule(
    "observation_viewer",
    "The observer, the person observed, or anyone whose scope covers the person observed.",
    check=lambda user, args: (
        _observations().observation_for_viewer(user, args["observation_id"]) is not None
    ),
)

questionnaire_viewer = Rule(
    "questionnaire_viewer",
    "Either party to the annual review, the line manager it was forwarded to, or anyone "
    "whose scope covers the supervisee.",
    check=lambda user, args: (
        _reviews().questionnaire_for_viewer(user, args["questionnaire_id"]) is not None
    ),
)

sampling_task_assignee = Rule(
    "sampling_task_assignee",
    "The head of service a quarterly sampling task is assigned to.",
    check=lambda user, args: _sampling().sampling_task(user, args["task_id"]) is not None,
)

sample_reviewer = Rule(
    "sample_reviewer",
    "The head of service who drew the sample, or who heads its service area now.",
    check=lambda user, args: _sampling().sample_for_reviewer(user, args["sample_id"]) is not None,
)

sample_reader = reading_and_writing(
    "sample_reader",
    "Reading: the sample's reviewers (the head of service who drew it or heads its area "
    "now), the principal social worker, the workforce team and a current auditor. Recording "
    "a finding: the reviewers.",
    read=lambda user, args: _sampling().sample_for_viewer(user, args["sample_id"]) is not None,
    write=lambda user, args: _sampling().sample_for_reviewer(user, args["sample_id"]) is not None,
)

staff_checks = reading_and_writing(
    "staff_checks",
    "Reading: anyone whose scope covers this person (webapp.scope). Recording a check: their "
    "supervisor while the relationship is in force, or a colleague covering for them.",
    read=lambda user, args: scope.may_see_staff(user, args["staff_id"]) is not None,
    write=lambda user, args: _checks().supervisee_of(user, args["staff_id"], _today()) is not None,
)

staff_asye_reviews = reading_and_writing(
    "staff_asye_reviews",
    "Reading: anyone whose scope covers this person (webapp.scope). Recording an ASYE "
    "review: their supervisor while the relationship is in force, or a colleague covering "
    "for them.",
    read=lambda user, args: scope.may_see_staff(user, args["staff_id"]) is not None,
    write=lambda user, args: _checks().supervisee_of(user, args["staff_id"], _today()) is not None,
)


# --- Lancashire's group supervision agreements (webapp/group_agreements) ---


def _groups():
    from webapp.group_agreements import queries as group_queries

    return group_queries


group_agreement_council = Rule(
    "group_agreement_council",
    "Anyone signed in whose council's policy has a group supervision agreement (Lancashire "
    "Appendix A); the list shows only the groups they may see.",
    check=lambda user, args: _groups().council_has_group_agreements(user),
)

group_drafter = Rule(
    "group_drafter",
    "A supervisor (app role) in a council whose policy has a group supervision agreement; "
    "never a read-only login.",
    check=lambda user, args: _groups().may_draw_up(user),
)

group_viewer = Rule(
    "group_viewer",
    "The group's supervisor, anyone named on any version of its agreement, anyone whose "
    "scope covers the supervisor or a named member (webapp.scope), or anyone with a human "
    "task about the group.",
    check=lambda user, args: _groups().group_for_viewer(user, args["group_id"]) is not None,
)

group_supervisor = Rule(
    "group_supervisor",
    "The group's own supervisor / team manager (a new version, ending the group).",
    check=lambda user, args: _groups().group_as_supervisor(user, args["group_id"]) is not None,
)

group_signer = Rule(
    "group_signer",
    "The team coordinator or a supervisee named on the latest version of the group's "
    "agreement (only they can sign it; the supervisor signs when issuing it).",
    check=lambda user, args: _groups().group_for_signer(user, args["group_id"]) is not None,
)


def _today():
    from webapp.dates import today

    return today()


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
                if (
                    request.method not in SAFE_METHODS
                    and current_user.read_only
                    and not access_rule.read_only_may_post
                ):
                    abort(access_rule.denied_status)
            return view(*args, **kwargs)

        guarded.access_rule = access_rule  # type: ignore[attr-defined]
        return guarded

    return decorate


def rule_for(view: Callable) -> Rule | None:
    return getattr(view, "access_rule", None)
