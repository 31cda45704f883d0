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
    # May the assignee hand it to a colleague? Not a task only they can do
    # (a supervisee countersigning their own agreement).
    delegable: bool = True
    # Is completing it a plain acknowledgement ("I have seen this")? Then the
    # inbox and the API offer a button; otherwise it closes when its form is done.
    acknowledge: bool = False
    # What the endpoint is called with: relationship_id, task_id, staff_id (the
    # task's subject_staff_id), group_id (from a subject "grp-N"), or a key of
    # the task's payload (observation_id).
    argument: str = "relationship_id"
    # Only the named supervisor may do it, even while a colleague covers for
    # them and holds the task: signing the supervision agreement (first, or
    # again at the annual review) and signing the supervisee's annual review.
    # Recording sessions and case supervision the cover supervisor may do.
    # Likewise a group agreement: only the person named on it signs it.
    named_supervisor_only: bool = False


KINDS: dict[str, TaskKind] = {
    "agreement": TaskKind(
        label="Supervision agreement",
        action_text="Draft and sign the agreement",
        endpoint="agreements.sign",
        named_supervisor_only=True,
    ),
    "agreement_countersign": TaskKind(
        label="Supervision agreement",
        action_text="Read and countersign the agreement",
        endpoint="agreements.countersign",
        delegable=False,
    ),
    "escalation": TaskKind(label="Escalation", acknowledge=True),
    # Lancashire's Group Supervision Agreement (webapp/group_agreements): only
    # the person named signs it, and only the group's supervisor reviews it (by
    # issuing a new version), so neither may be handed on, and someone covering
    # holds them without doing them.
    "group_agreement_sign": TaskKind(
        label="Group supervision agreement",
        action_text="Read and sign the group agreement",
        endpoint="group_agreements.view",
        argument="group_id",
        delegable=False,
        named_supervisor_only=True,
    ),
    "group_agreement_review": TaskKind(
        label="Annual review of the group supervision agreement",
        action_text="Review the agreement and issue a new version",
        endpoint="group_agreements.new_version",
        argument="group_id",
        delegable=False,
        named_supervisor_only=True,
    ),
    # Observations, reviews, sampling and checks (webapp/observations, reviews,
    # sampling, checks). `argument` names what the form's URL is called with.
    "practice_observation": TaskKind(
        label="Practice observation",
        action_text="Plan the observation",
        endpoint="observations.plan",
        argument="task_id",
    ),
    "practice_observation_with_family": TaskKind(
        label="Practice observation with children, young people and families",
        action_text="Plan the observation",
        endpoint="observations.plan",
        argument="task_id",
    ),
    "supervision_observation": TaskKind(
        label="Supervision observation",
        action_text="Plan the observation",
        endpoint="observations.plan",
        argument="task_id",
    ),
    "observation_step": TaskKind(
        label="Observation",
        action_text="Open the observation",
        endpoint="observations.view",
        argument="observation_id",
        delegable=False,
    ),
    "agreement_review": TaskKind(
        label="Annual review of supervision",
        action_text="Review the agreement",
        endpoint="reviews.agreement_review",
        named_supervisor_only=True,
    ),
    "review_questionnaire": TaskKind(
        label="Supervision annual review",
        action_text="Complete the annual review",
        endpoint="reviews.questionnaire",
        delegable=False,
    ),
    "review_questionnaire_forward": TaskKind(
        label="Supervision annual review",
        action_text="Read, sign and forward the review",
        endpoint="reviews.to_sign",
        named_supervisor_only=True,
    ),
    "review_questionnaire_read": TaskKind(
        label="Supervision annual review",
        action_text="Read the review",
        endpoint="reviews.view",
        argument="questionnaire_id",
    ),
    "sampling": TaskKind(
        label="Quarterly sampling",
        action_text="Open this quarter's sample",
        endpoint="sampling.task",
        argument="task_id",
    ),
    "registration_check": TaskKind(
        label="Registration check",
        action_text="Record the check",
        endpoint="checks.record",
        argument="staff_id",
    ),
    "dbs_check": TaskKind(
        label="DBS re-check",
        action_text="Record the check",
        endpoint="checks.record",
        argument="staff_id",
    ),
    # The ASYE year (webapp/asye; observations through webapp/observations).
    "asye_review": TaskKind(
        label="ASYE review",
        action_text="Record the review",
        endpoint="asye.reviews",
        argument="staff_id",
    ),
    "asye_observation": TaskKind(
        label="ASYE practice observation",
        action_text="Plan the observation",
        endpoint="observations.plan",
        argument="task_id",
    ),
    # Sessions, records and cases (webapp/sessions, webapp/cases): the task page's
    # button goes through sessions.from_task, which opens the right form.
    "supervision": TaskKind(
        label="Supervision session",
        action_text="Record the session",
        endpoint="sessions.from_task",
        argument="task_id",
    ),
    "asye_reflective_supervision": TaskKind(
        label="ASYE reflective supervision",
        action_text="Record the reflective session",
        endpoint="sessions.from_task",
        argument="task_id",
    ),
    "development": TaskKind(
        label="Professional development discussion",
        action_text="Record the session where it was discussed",
        endpoint="sessions.from_task",
        argument="task_id",
    ),
    "record": TaskKind(
        label="Supervision record",
        action_text="Finish and sign the record",
        endpoint="sessions.from_task",
        argument="task_id",
    ),
    "late_reason": TaskKind(
        label="Reason supervision was late",
        action_text="Open the record",
        endpoint="sessions.from_task",
        argument="task_id",
    ),
    "record_countersign": TaskKind(
        label="Supervision record",
        action_text="Read and countersign the record",
        endpoint="sessions.from_task",
        argument="task_id",
        delegable=False,
    ),
    # Bristol §6.1-6.5: the supervisor (or their cover) records that the
    # supervisee attended group reflective supervision.
    "group_supervision": TaskKind(
        label="Group reflective supervision",
        action_text="Record attendance",
        endpoint="sessions.group_attendance",
    ),
    "case_supervision": TaskKind(
        label="Case supervision",
        action_text="Record the case direction",
        endpoint="sessions.from_task",
        argument="task_id",
    ),
    "case_record": TaskKind(
        label="Case direction on the child's record",
        action_text="Record when it was entered",
        endpoint="sessions.from_task",
        argument="task_id",
    ),
    "decision_record": TaskKind(
        label="Important decision on the child's record",
        action_text="Record when it was entered",
        endpoint="sessions.from_task",
        argument="task_id",
    ),
}

DEFAULT_KIND = TaskKind(label="Task")


def kind_of(task: HumanTask) -> TaskKind:
    return KINDS.get(task.kind, DEFAULT_KIND)


def held_in_cover_only(task: HumanTask) -> bool:
    """A task the cover supervisor holds for an absent supervisor but may not
    do: it waits, visible in their inbox, until the supervisor is back (the
    reconcile moves it back when the cover ends)."""
    return task.reassignment == "cover" and kind_of(task).named_supervisor_only


def action_url(task: HumanTask) -> str | None:
    """Where the person completes this task, or None if it has no form (or
    they hold it only while covering and may not do it)."""
    kind = kind_of(task)
    if not task.is_open or kind.endpoint is None or held_in_cover_only(task):
        return None
    value = _argument_value(task, kind.argument)
    if value is None:
        return None
    return url_for(kind.endpoint, **{kind.argument: value})


def _argument_value(task: HumanTask, argument: str):
    if argument == "relationship_id":
        return task.relationship_id
    if argument == "task_id":
        return task.id
    if argument == "staff_id":
        return task.subject_staff_id
    if argument == "group_id":
        return group_id_of(task)
    return (task.payload or {}).get(argument)


def group_id_of(task: HumanTask) -> int | None:
    """The supervision group a task is about: its subject is "grp-<id>"
    (signing, reviewing, and the escalations of either)."""
    prefix, _, number = (task.subject or "").partition("-")
    return int(number) if prefix == "grp" and number.isdigit() else None
