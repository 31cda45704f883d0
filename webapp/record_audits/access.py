"""Who may read and record audits of a supervisor's supervision records. The
rules hand the row to the view: `supervisor_record_audits.loaded()` (the
supervisor), `record_audit_page.loaded()` (the audit)."""

from __future__ import annotations

from webapp import scope
from webapp.access import Rule, reading_and_writing
from webapp.record_audits import queries

supervisor_record_audits: Rule = reading_and_writing(
    "supervisor_record_audits",
    "Reading: anyone whose scope covers the supervisor (webapp.scope). Recording an audit: "
    "a manager of the supervisor (their line manager or their own supervisor), never the "
    "supervisor themselves.",
    read=lambda user, args: scope.may_see_staff(user, args["staff_id"]),
    write=lambda user, args: queries.supervisor_to_audit(user, args["staff_id"]),
)

record_audit_page: Rule = reading_and_writing(
    "record_audit_page",
    "Reading: anyone whose scope covers the audited supervisor. Confirming the audit was "
    "discussed: the audited supervisor only.",
    read=lambda user, args: queries.audit_in_scope(user, args["audit_id"]),
    write=lambda user, args: queries.audit_of_mine(user, args["audit_id"]),
)
