"""Who may open a person's pages: their supervision page follows scope
(webapp.scope); who has opened their records is for them and for those who
see the whole organisation. Each rule hands the person to the view."""

from __future__ import annotations

from typing import Any

from models import StaffMember
from webapp import scope
from webapp.access import Rule
from webapp.dates import today
from webapp.people.supervisees import supervises_anyone
from webapp.users import AppUser


def _self_or_organisation_wide(user: AppUser, args: dict[str, Any]) -> StaffMember | None:
    staff_id = args["staff_id"]
    if staff_id == user.staff_id or scope.sees_whole_organisation(user):
        return scope.may_see_staff(user, staff_id)
    return None


staff_viewer = Rule(
    "staff_viewer",
    "Anyone whose scope covers this person (webapp.scope): themselves, their supervisor, "
    "line manager, head of service, the principal social worker, the workforce team, "
    "a current auditor.",
    load=lambda user, args: scope.may_see_staff(user, args["staff_id"]),
)

staff_self_or_organisation_wide = Rule(
    "staff_self_or_organisation_wide",
    "The person themselves, or someone who sees the whole organisation "
    "(principal social worker, workforce team, a current auditor).",
    load=_self_or_organisation_wide,
)


def _supervises_anyone(user: AppUser, args: dict[str, Any]) -> bool | None:
    return supervises_anyone(user, today()) or None


supervisor_of_anyone = Rule(
    "supervisor_of_anyone",
    "Anyone who supervises at least one person today (their supervisees' standing).",
    load=_supervises_anyone,
)
