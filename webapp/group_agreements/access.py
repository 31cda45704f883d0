"""Who may use Lancashire's group supervision agreement pages; each object
rule hands the group it loaded to the view: `group_viewer.loaded()`. Who may
see a group is webapp.scope.visible_groups (the inbox links to groups too)."""

from __future__ import annotations

from webapp import scope
from webapp.access import Rule
from webapp.group_agreements import queries as group_queries

group_agreement_council = Rule(
    "group_agreement_council",
    "Anyone signed in whose council's policy has a group supervision agreement (Lancashire "
    "Appendix A); the list shows only the groups they may see.",
    load=lambda user, args: group_queries.council_has_group_agreements(user),
)

group_drafter = Rule(
    "group_drafter",
    "A supervisor (app role) in a council whose policy has a group supervision agreement; "
    "never a read-only login.",
    load=lambda user, args: group_queries.may_draw_up(user),
)

group_viewer = Rule(
    "group_viewer",
    "The group's supervisor, anyone named on any version of its agreement, anyone whose "
    "scope covers the supervisor or a named member (webapp.scope), or anyone with a human "
    "task about the group.",
    load=lambda user, args: scope.may_see_group(user, args["group_id"]),
)

group_supervisor = Rule(
    "group_supervisor",
    "The group's own supervisor / team manager (a new version, ending the group).",
    load=lambda user, args: group_queries.group_as_supervisor(user, args["group_id"]),
)

group_signer = Rule(
    "group_signer",
    "The team coordinator or a supervisee named on the latest version of the group's "
    "agreement (only they can sign it; the supervisor signs when issuing it).",
    load=lambda user, args: group_queries.group_for_signer(user, args["group_id"]),
)
