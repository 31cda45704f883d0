"""Who may read and record management oversight on a case; the rule hands
the case's open allocation to the view: `case_oversight_page.loaded()`."""

from __future__ import annotations

from webapp.access import Rule, reading_and_writing
from webapp.case_oversight import queries

case_oversight_page: Rule = reading_and_writing(
    "case_oversight_page",
    "Reading: the case's worker and anyone whose scope covers them (webapp.scope). "
    "Recording oversight: the worker's supervisor or line manager, or a colleague covering "
    "for the supervisor.",
    read=lambda user, args: queries.case_to_read(user, args["case_ref"]),
    write=lambda user, args: queries.case_to_oversee(user, args["case_ref"]),
)
