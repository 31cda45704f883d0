"""What a kind of human task declares (policy/kinds/__init__.py says how it is read)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # the inbox caption, e.g. "Supervision agreement"
    title: str  # the task's title, a template (fields above)
    lifecycles: tuple[str, ...] = ()  # the lifecycles whose obligations it answers
    action_text: str | None = None  # the button on the task page
    endpoint: str | None = None  # the web form that completes it, if any
    # What the form's URL is called with: relationship_id, task_id, staff_id
    # (the task's subject_staff_id), group_id (from a subject "grp-N"), case_ref
    # (a case's subject, its case ID), or a key of the task's payload
    # (observation_id, questionnaire_id).
    argument: str = "relationship_id"
    # May the holder hand it to a colleague? Not a task only they can do (a
    # supervisee countersigning their own agreement).
    delegable: bool = True
    # Completed by acknowledging it ("I have seen this"), not by a form.
    acknowledge: bool = False
    # Only the named supervisor may do it, even while a colleague covers for
    # them and holds it (signing the agreement, the supervisee's annual review).
    named_supervisor_only: bool = False
    # Who may do it for its subject, so who it may be handed to
    # (models/actions/eligibility.py): "supervisor" (the subject's supervisor
    # or the colleague covering for them), "case" (also the worker's line
    # manager), "overseer" (anyone who oversees the subject).
    acted_by: str = "overseer"
    # The key families (policy/keys.py) of its obligations, where one is
    # escalated, and how the escalation's title reads.
    families: tuple[str, ...] = ()
    overdue: str = ""
