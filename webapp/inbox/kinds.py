"""What each kind of human task looks like in the inbox and where its form is.

Issue 5 adds kinds here (sessions, records, observations, sign-offs): a kind
names its form's endpoint, or none for a read-only task, and may have its own
partial template at inbox/kinds/<kind>.html."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from models import HumanTask


@dataclass(frozen=True)
class TaskKind:
    label: str  # a caption, e.g. "Supervision agreement"
    action_text: str | None = None  # the button on the task page
    endpoint: str | None = None  # the form; called with relationship_id


KINDS: dict[str, TaskKind] = {
    "agreement": TaskKind(
        label="Supervision agreement",
        action_text="Draft and sign the agreement",
        endpoint="agreements.sign",
    ),
    "agreement_countersign": TaskKind(
        label="Supervision agreement",
        action_text="Read and countersign the agreement",
        endpoint="agreements.countersign",
    ),
    "escalation": TaskKind(label="Escalation"),
}

DEFAULT_KIND = TaskKind(label="Task")


def kind_of(task: HumanTask) -> TaskKind:
    return KINDS.get(task.kind, DEFAULT_KIND)


def action_url(task: HumanTask) -> str | None:
    """Where the person completes this task, or None if it has no form."""
    kind = kind_of(task)
    if not task.is_open or kind.endpoint is None or task.relationship_id is None:
        return None
    return url_for(kind.endpoint, relationship_id=task.relationship_id)
