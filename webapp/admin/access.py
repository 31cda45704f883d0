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
