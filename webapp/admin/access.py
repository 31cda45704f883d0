"""Who may use the admin pages: the workforce team, for the whole
organisation; a head of service, for the teams of the areas they head. Each
rule hands the view the person, relationship or case it loaded."""

from __future__ import annotations

from webapp.access import Rule
from webapp.admin import queries as admin_queries

organisation_admin = Rule(
    "organisation_admin",
    "The workforce team, or a head of service (their own service areas only).",
    load=lambda user, args: admin_queries.is_admin(user),
)

staff_admin = Rule(
    "staff_admin",
    "The workforce team for anyone in the organisation; a head of service for the people "
    "in the teams of the areas they head.",
    load=lambda user, args: admin_queries.staff_for_admin(user, args["staff_id"]),
)

relationship_admin = Rule(
    "relationship_admin",
    "As staff_admin, for the supervisee of the relationship.",
    load=lambda user, args: admin_queries.relationship_for_admin(user, args["relationship_id"]),
)

case_admin = Rule(
    "case_admin",
    "As staff_admin, for the worker the open case is allocated to.",
    load=lambda user, args: admin_queries.case_for_admin(user, args["case_ref"]),
)

workforce_admin = Rule(
    "workforce_admin",
    "The workforce team only (service areas and their heads are the whole organisation's).",
    load=lambda user, args: admin_queries.is_workforce(user),
)

area_admin = Rule(
    "area_admin",
    "The workforce team, for a service area of its organisation.",
    load=lambda user, args: admin_queries.area_for_admin(user, args["area_id"]),
)

team_admin = Rule(
    "team_admin",
    "The workforce team for any open team; a head of service for the teams of the areas they head.",
    load=lambda user, args: admin_queries.team_for_admin(user, args["team_id"]),
)

invitation_token = Rule(
    "invitation_token",
    "Anyone holding a live invitation's one-time token (the link is the secret); a token "
    "unknown, used or out of date is sent to sign in.",
    needs_login=False,
)
