"""Who may arrange cover for a supervisor: the supervisor themselves, or
someone who manages them. The team page itself is webapp.access.manager."""

from __future__ import annotations

from typing import Any

from models import StaffMember
from webapp import queries, scope
from webapp.access import Rule
from webapp.users import AppUser


def _self_or_managed(user: AppUser, args: dict[str, Any]) -> StaffMember | None:
    staff_id = args["staff_id"]
    if staff_id == user.staff_id:
        return queries.staff_in_org(user, staff_id)
    return scope.may_manage_staff(user, staff_id)


staff_self_or_manager = Rule(
    "staff_self_or_manager",
    "The person themselves, or someone who manages them (line manager, head of service, "
    "workforce team).",
    load=_self_or_managed,
)
