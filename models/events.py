"""Every event an action announces, declared once. An action writes it to the
outbox in its own transaction (models/tables/outbox.py); the drainer emits it
to Prefect, and the deployment whose trigger expects it runs the lifecycle
flow for the subject it is about (deployments/serve.py builds its triggers
from here). A test fails when an event is declared that no trigger expects.

An event's resource says what it is about: "oversight.<about>.<id>", where
<about> is a relationship, a member of staff, a case, a group, a service area,
an organisation or a human task."""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "oversight"
ABOUT = (
    "relationship",
    "staff",
    "case",
    "group",
    "service-area",
    "organisation",
    "human-task",
)


@dataclass(frozen=True)
class Event:
    name: str  # "oversight.session.recorded"
    about: str  # one of ABOUT: what its resource id names

    @property
    def topic(self) -> str:
        """The part a trigger may match on with a wildcard ("oversight.session.*")."""
        return self.name.rsplit(".", 1)[0] + ".*"

    def resource(self, subject_id: int | str) -> str:
        return resource_id(self.about, subject_id)


def resource_id(about: str, subject_id: int | str) -> str:
    if about not in ABOUT:
        raise ValueError(f"an event is about one of {ABOUT}, not {about!r}")
    return f"{PREFIX}.{about}.{subject_id}"


def _event(topic: str, happened: str, about: str) -> Event:
    return Event(f"{PREFIX}.{topic}.{happened}", about)


AGREEMENT_SIGNED_BY_SUPERVISOR = _event("agreement", "signed-by-supervisor", "relationship")
AGREEMENT_IN_FORCE = _event("agreement", "in-force", "relationship")
GROUP_AGREEMENT_ISSUED = _event("group-agreement", "issued", "group")
GROUP_AGREEMENT_SIGNED = _event("group-agreement", "signed", "group")
GROUP_AGREEMENT_IN_FORCE = _event("group-agreement", "in-force", "group")
GROUP_AGREEMENT_ENDED = _event("group-agreement", "group-ended", "group")
SESSION_RECORDED = _event("session", "recorded", "relationship")
SESSION_RECORD_SIGNED = _event("session", "record-signed", "relationship")
SESSION_RECORD_COUNTERSIGNED = _event("session", "record-countersigned", "relationship")
SESSION_RECORD_SHARED = _event("session", "record-shared", "relationship")
SESSION_RECORD_AMENDED = _event("session", "record-amended", "relationship")
SESSION_RESCHEDULED = _event("session", "rescheduled", "relationship")
SESSION_GROUP_ATTENDED = _event("session", "group-attended", "relationship")
SESSION_ACTION_DONE = _event("session", "action-done", "relationship")
# A missed session raised, escalated and answered (Wokingham standards 14-15).
MISSED_SESSION_RAISED = _event("session", "missed-raised", "relationship")
MISSED_SESSION_ESCALATED = _event("session", "missed-escalated", "relationship")
MISSED_SESSION_ANSWERED = _event("session", "missed-answered", "relationship")
SCHEDULE_PLANNED = _event("schedule", "planned", "relationship")
CASE_ALLOCATED = _event("case", "allocated", "case")
CASE_REALLOCATED = _event("case", "reallocated", "case")
CASE_CLOSED = _event("case", "closed", "case")
CASE_SUPERVISED = _event("case", "supervised", "case")
CASE_DIRECTION_RECORDED = _event("case", "direction-recorded", "case")
CASE_FREQUENCY_RECORDED = _event("case", "frequency-recorded", "case")
CASE_CATEGORY_RECORDED = _event("case", "category-recorded", "case")
CASE_OVERSIGHT_RECORDED = _event("case", "oversight-recorded", "case")
OBSERVATION_PLANNED = _event("observation", "planned", "staff")
OBSERVATION_COMPLETED = _event("observation", "completed", "staff")
REVIEW_COMPLETED = _event("review-questionnaire", "completed", "relationship")
REVIEW_FORWARDED = _event("review-questionnaire", "forwarded", "relationship")
ASYE_REVIEW_RECORDED = _event("asye-review", "recorded", "staff")
REGISTRATION_CHECK_RECORDED = _event("registration-check", "recorded", "staff")
DBS_CHECK_RECORDED = _event("dbs-check", "recorded", "staff")
COVER_ARRANGED = _event("cover", "arranged", "staff")
RECORD_AUDIT_RECORDED = _event("record-audit", "recorded", "staff")
RECORD_AUDIT_DISCUSSED = _event("record-audit", "discussed", "staff")
# The workforce team's changes to the organisation (webapp/admin, imports).
STAFF_ADDED = _event("staff", "added", "staff")
STAFF_CHANGED = _event("staff", "changed", "staff")
STAFF_LEFT = _event("staff", "left", "staff")
RELATIONSHIP_STARTED = _event("relationship", "started", "relationship")
RELATIONSHIP_ENDED = _event("relationship", "ended", "relationship")
ABSENCE_RECORDED = _event("absence", "recorded", "staff")
# An absence ended early or its last day brought forward, and its cover with it.
ABSENCE_SHORTENED = _event("absence", "shortened", "staff")
SAMPLE_DRAWN = _event("sample", "drawn", "service-area")
SAMPLE_COMPLETED = _event("sample", "completed", "service-area")
RETENTION_DELETED = _event("retention", "deleted", "staff")
HUMAN_TASK_CLAIMED = _event("human-task", "claim", "human-task")
HUMAN_TASK_RELEASED = _event("human-task", "release", "human-task")
HUMAN_TASK_REASSIGNED = _event("human-task", "reassign", "human-task")
HUMAN_TASK_ACKNOWLEDGED = _event("human-task", "complete", "human-task")
HUMAN_TASKS_ESCALATED = _event("human-tasks", "escalated", "organisation")
# An import changed many people, relationships or cases at once: one event for the
# organisation (its changed-only run), not one flow run per row.
IMPORT_APPLIED = _event("import", "applied", "organisation")

EVENTS: dict[str, Event] = {
    value.name: value for value in list(globals().values()) if isinstance(value, Event)
}


def event(name: str) -> Event:
    """A declared event by name; anything else is a mistake caught at once."""
    found = EVENTS.get(name)
    if found is None:
        raise ValueError(f"{name!r} is not a declared event (models/events.py)")
    return found
