"""Who may read an annual review questionnaire; the rule hands it to the
view: `questionnaire_viewer.loaded()`. The review's forms use the
relationship rules in webapp.access."""

from __future__ import annotations

from webapp.access import Rule
from webapp.reviews import queries as review_queries

questionnaire_viewer = Rule(
    "questionnaire_viewer",
    "Either party to the annual review, the line manager it was forwarded to, or anyone "
    "whose scope covers the supervisee.",
    load=lambda user, args: review_queries.questionnaire_for_viewer(user, args["questionnaire_id"]),
)
