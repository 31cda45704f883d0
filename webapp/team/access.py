"""Who may arrange cover for a supervisor: someone who manages them (their
line manager, the head of their service, the workforce team), never the
supervisor themselves. The team page itself is webapp.access.manager."""

from __future__ import annotations

from webapp import scope
from webapp.access import Rule

staff_manager = Rule(
    "staff_manager",
    "Someone who manages the person (line manager, head of service, workforce team), "
    "never the person themselves.",
    load=lambda user, args: scope.may_manage_staff(user, args["staff_id"]),
)
