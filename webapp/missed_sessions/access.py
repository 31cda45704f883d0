"""Who may read the missed-session chain and record its steps; the rules hand
the relationship to the view."""

from __future__ import annotations

from webapp.access import Rule, relationship_supervisee, relationship_viewer
from webapp.missed_sessions import queries

chain_reader = relationship_viewer
supervisee_step = relationship_supervisee

line_manager_step = Rule(
    "missed_session_responder",
    "The holder of an open response to the escalated missed supervision: the "
    "supervisor's line manager, or a colleague it was handed to.",
    load=lambda user, args: queries.relationship_of_managed_supervisor(
        user, args["relationship_id"]
    ),
)
