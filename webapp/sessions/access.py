"""Who may use the supervision session pages; each rule hands the session
(or relationship) it loaded to the view: `session_viewer.loaded()`.
The parties' rule, shared with the calendar, is webapp.access.session_party."""

from __future__ import annotations

from webapp import held_tasks, queries
from webapp.access import Rule
from webapp.sessions import queries as session_queries

relationship_recorder = Rule(
    "relationship_recorder",
    "The supervisor in this relationship, or the colleague covering for them while a cover "
    "arrangement is in force (they record and sign its sessions; the agreement stays with "
    "the named supervisor).",
    load=lambda user, args: session_queries.relationship_as_recorder(user, args["relationship_id"]),
)

session_viewer = Rule(
    "session_viewer",
    "Either party to the session, anyone whose scope covers the supervisee (webapp.scope: "
    "their supervisor's line manager, head of service, the principal social worker, the "
    "workforce team, a current auditor), or the holder of an open task about this record "
    "(writing it up, the reason it was late, countersigning it), only while it is open.",
    load=lambda user, args: held_tasks.may_see_session(user, args["session_id"]),
)

session_supervisor = Rule(
    "session_supervisor",
    "The supervisor in the session's relationship, or the colleague covering for them while "
    "a cover arrangement is in force.",
    load=lambda user, args: session_queries.session_as_recorder(user, args["session_id"]),
)

session_supervisee = Rule(
    "session_supervisee",
    "The supervisee in the session's relationship.",
    load=lambda user, args: queries.session_as_supervisee(user, args["session_id"]),
)
