"""Who may use the case pages (children's cases, by case ID); each rule
hands the case's allocation it loaded to the view: `case_viewer.loaded()`."""

from __future__ import annotations

from webapp.access import Rule
from webapp.cases import queries as case_queries

case_viewer = Rule(
    "case_viewer",
    "The case's allocated worker, their supervisor or line manager, or anyone whose scope "
    "covers the worker (webapp.scope).",
    load=lambda user, args: case_queries.case_for_viewer(user, args["case_ref"]),
)

case_overseer = Rule(
    "case_overseer",
    "The supervisor or line manager of the case's allocated worker.",
    load=lambda user, args: case_queries.case_for_overseer(user, args["case_ref"]),
)

case_supervisor = Rule(
    "case_supervisor",
    "The supervisor or line manager of the case's allocated worker, or a colleague covering "
    "for the worker's supervisor while a cover arrangement is in force (case directions).",
    load=lambda user, args: case_queries.case_for_supervisor(user, args["case_ref"]),
)

supervises_someone = Rule(
    "supervises_someone",
    "Anyone who supervises or line-manages at least one person.",
    load=lambda user, args: bool(case_queries.overseen_staff(user)),
)
