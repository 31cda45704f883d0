"""Who may read and record a person's registration and DBS checks; the rule
hands the person to the view: `staff_checks.loaded()`."""

from __future__ import annotations

from webapp import queries, scope
from webapp.access import Rule, reading_and_writing
from webapp.dates import today

staff_checks: Rule = reading_and_writing(
    "staff_checks",
    "Reading: anyone whose scope covers this person (webapp.scope). Recording a check: their "
    "supervisor while the relationship is in force, or a colleague covering for them.",
    read=lambda user, args: scope.may_see_staff(user, args["staff_id"]),
    write=lambda user, args: queries.supervisee_of(user, args["staff_id"], today()),
)
