"""Who may read and record a newly qualified social worker's ASYE reviews;
the rule hands the person to the view: `staff_asye_reviews.loaded()`."""

from __future__ import annotations

from webapp import queries, scope
from webapp.access import Rule, reading_and_writing
from webapp.dates import today

staff_asye_reviews: Rule = reading_and_writing(
    "staff_asye_reviews",
    "Reading: anyone whose scope covers this person (webapp.scope). Recording an ASYE "
    "review: their supervisor while the relationship is in force, or a colleague covering "
    "for them.",
    read=lambda user, args: scope.may_see_staff(user, args["staff_id"]),
    write=lambda user, args: queries.supervisee_of(user, args["staff_id"], today()),
)
