"""Every kind of human task, declared once: the lifecycles that owe it, how
the inbox labels it, the title a task of it gets, the form that completes it
(and what the form's URL takes), whether it can be handed on, whether it is
completed by acknowledging it, and whether only the named supervisor may do
it. Titles are templates filled in with names at reconcile time
(models/engine/task_titles.py); the web app reads the rest (webapp/inbox).

Template fields: {supervisee}, {supervisor} (of the relationship the task is
about), {person} (the member of staff it is about), {on} (the day in its key,
written out), {case}, {group}, {stage} (an ASYE review's month), {which} (which
of a numbered series it is: " (2 of 3 in the year from 1 April 2026)", or "")."""

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


_KINDS = (
    Kind(
        "agreement",
        "Supervision agreement",
        "Draft and sign the supervision agreement with {supervisee}",
        ("agreement",),
        "Draft and sign the agreement",
        "agreements.sign",
        named_supervisor_only=True,
        families=("agreement",),
        overdue="Overdue supervision agreement: {supervisor} and {supervisee}",
    ),
    Kind(
        "agreement_countersign",
        "Supervision agreement",
        "Countersign your supervision agreement",
        ("agreement", "agreement_review"),
        "Read and countersign the agreement",
        "agreements.countersign",
        delegable=False,
        families=("agreement_countersign", "agreement_version_countersign"),
        overdue="Overdue supervision agreement: {supervisor} and {supervisee}",
    ),
    Kind(
        "agreement_review",
        "Annual review of supervision",
        "Review the supervision agreement with {supervisee}",
        ("agreement_review",),
        "Review the agreement",
        "reviews.agreement_review",
        named_supervisor_only=True,
    ),
    Kind(
        "review_questionnaire",
        "Supervision annual review",
        "Complete your annual supervision review",
        ("agreement_review",),
        "Complete the annual review",
        "reviews.questionnaire",
        delegable=False,
    ),
    Kind(
        "review_questionnaire_forward",
        "Supervision annual review",
        "Forward the annual supervision review with {supervisee} to your line manager",
        ("agreement_review",),
        "Read, sign and forward the review",
        "reviews.to_sign",
        named_supervisor_only=True,
    ),
    Kind(
        "review_questionnaire_read",
        "Supervision annual review",
        "Read the annual supervision review with {supervisee}",
        (),
        "Read the review",
        "reviews.view",
        argument="questionnaire_id",
    ),
    Kind(
        "group_agreement_sign",
        "Group supervision agreement",
        "Sign the group supervision agreement for {group}",
        ("agreement",),
        "Read and sign the group agreement",
        "group_agreements.view",
        argument="group_id",
        delegable=False,
        named_supervisor_only=True,
        families=("group_agreement_sign",),
        overdue="Overdue group supervision agreement: {signatory} has not signed ({group})",
    ),
    Kind(
        "group_agreement_review",
        "Annual review of the group supervision agreement",
        "Review the group supervision agreement for {group}",
        ("agreement_review",),
        "Review the agreement and issue a new version",
        "group_agreements.new_version",
        argument="group_id",
        delegable=False,
        named_supervisor_only=True,
        families=("group_agreement_review",),
        overdue="Overdue review of the group supervision agreement for {group}",
    ),
    Kind(
        "supervision",
        "Supervision session",
        "Hold supervision with {supervisee}",
        ("personal_supervision", "asye"),
        "Record the session",
        "sessions.from_task",
        argument="task_id",
        families=("session",),
        overdue="Overdue supervision: {supervisor} and {supervisee}",
        acted_by="supervisor",
    ),
    Kind(
        "asye_reflective_supervision",
        "ASYE reflective supervision",
        "Hold ASYE reflective supervision with {supervisee}",
        ("asye",),
        "Record the reflective session",
        "sessions.from_task",
        argument="task_id",
        families=("asye_reflective",),
        overdue="Overdue ASYE reflective supervision: {supervisor} and {supervisee}",
        acted_by="supervisor",
    ),
    Kind(
        "group_supervision",
        "Group reflective supervision",
        "Record {supervisee}'s group reflective supervision",
        ("personal_supervision",),
        "Record attendance",
        "sessions.group_attendance",
        acted_by="supervisor",
    ),
    Kind(
        "development",
        "Professional development discussion",
        "Discuss professional development with {supervisee}",
        ("development",),
        "Record the session where it was discussed",
        "sessions.from_task",
        argument="task_id",
        acted_by="supervisor",
    ),
    Kind(
        "record",
        "Supervision record",
        "Write up and share the supervision record for {supervisee} ({on})",
        ("recording",),
        "Finish and sign the record",
        "sessions.from_task",
        argument="task_id",
        acted_by="supervisor",
    ),
    Kind(
        "record_shared",
        "Supervision record",
        "Share the supervision record of {on} with {supervisee}",
        ("recording",),
        "Record when it was shared",
        "sessions.from_task",
        argument="task_id",
        acted_by="supervisor",
    ),
    Kind(
        "record_countersign",
        "Supervision record",
        "Read and countersign your supervision record of {on}",
        ("recording",),
        "Read and countersign the record",
        "sessions.from_task",
        argument="task_id",
        delegable=False,
    ),
    Kind(
        "late_reason",
        "Reason supervision was late",
        "Record why supervision with {supervisee} was late ({on})",
        ("recording",),
        "Open the record",
        "sessions.from_task",
        argument="task_id",
        acted_by="supervisor",
    ),
    Kind(
        "case_supervision",
        "Case supervision",
        "Supervise case {case}",
        ("case_supervision",),
        "Record the case direction",
        "sessions.from_task",
        argument="task_id",
        families=("case",),
        overdue="Overdue case supervision of {case}",
        acted_by="case",
    ),
    Kind(
        "case_record",
        "Case direction on the child's record",
        "Enter the case direction for {case} on the child's record",
        ("recording",),
        "Record when it was entered",
        "sessions.from_task",
        argument="task_id",
        acted_by="case",
    ),
    Kind(
        "decision_record",
        "Important decision on the child's record",
        "Enter the decision on case {case} on the child's record",
        ("recording",),
        "Record when it was entered",
        "sessions.from_task",
        argument="task_id",
        acted_by="case",
    ),
    Kind(
        "practice_observation",
        "Practice observation",
        "Observe {person}'s practice{which}",
        ("observation",),
        "Plan the observation",
        "observations.plan",
        argument="task_id",
    ),
    Kind(
        "practice_observation_with_family",
        "Practice observation with children, young people and families",
        "Observe {person}'s practice with a child or family{which}",
        ("observation",),
        "Plan the observation",
        "observations.plan",
        argument="task_id",
    ),
    Kind(
        "supervision_observation",
        "Supervision observation",
        "Observe a supervision led by {person}",
        ("observation",),
        "Plan the observation",
        "observations.plan",
        argument="task_id",
    ),
    Kind(
        "observation_step",
        "Observation",
        "Observation",
        (),
        "Open the observation",
        "observations.view",
        argument="observation_id",
        delegable=False,
    ),
    Kind(
        "asye_review",
        "ASYE review",
        "Hold {person}'s {stage} ASYE review",
        ("asye",),
        "Record the review",
        "asye.reviews",
        argument="staff_id",
        acted_by="supervisor",
    ),
    Kind(
        "asye_observation",
        "ASYE practice observation",
        "Observe {person}'s practice{which}",
        ("asye",),
        "Plan the observation",
        "observations.plan",
        argument="task_id",
    ),
    Kind(
        "sampling",
        "Quarterly sampling",
        "Sample supervision records in your service area",
        ("sampling",),
        "Open this quarter's sample",
        "sampling.task",
        argument="task_id",
    ),
    Kind(
        "case_file_audit",
        "Case file audit",
        "Audit two case files in your team this month",
        ("case_file_audit",),
    ),
    Kind(
        "case_oversight",
        "Management oversight",
        "Record management oversight on case {case}",
        ("case_supervision",),
        "Record the oversight",
        "case_oversight.record",
        argument="case_ref",
        acted_by="case",
    ),
    Kind(
        "missed_session_raise",
        "Missed supervision",
        "Raise your missed supervision with {supervisor}",
        ("personal_supervision",),
        "Record that you raised it",
        "missed_sessions.chain",
        delegable=False,
    ),
    Kind(
        "missed_session_escalate",
        "Missed supervision",
        "Escalate your missed supervision to {supervisor}'s line manager",
        ("personal_supervision",),
        "Record that you escalated it",
        "missed_sessions.chain",
        delegable=False,
    ),
    Kind(
        "missed_session_response",
        "Missed supervision",
        "Respond to {supervisee}'s escalated missed supervision with {supervisor}",
        ("personal_supervision",),
        "Record your response",
        "missed_sessions.chain",
    ),
    Kind(
        "session_action",
        "Action agreed in supervision",
        "Complete an action agreed in {person}'s supervision, due {due}",
        ("recording",),
        "Mark the action done",
        "session_actions.index",
        argument="staff_id",
        delegable=False,
    ),
    Kind(
        "record_audit",
        "Audit of supervision records",
        "Audit {person}'s supervision records",
        ("record_audit",),
        "Complete the audit checklist",
        "record_audits.audits",
        argument="staff_id",
    ),
    Kind(
        "record_audit_discuss",
        "Audit of supervision records",
        "Discuss the audit of your supervision records ({on})",
        ("record_audit",),
        "Read the audit and confirm you discussed it",
        "record_audits.audits",
        argument="staff_id",
        delegable=False,
    ),
    Kind(
        "registration_check",
        "Registration check",
        "Check {person}'s Social Work England registration",
        ("registration",),
        "Record the check",
        "checks.record",
        argument="staff_id",
        acted_by="supervisor",
    ),
    Kind(
        "dbs_check",
        "DBS re-check",
        "Re-check {person}'s DBS certificate",
        ("registration",),
        "Record the check",
        "checks.record",
        argument="staff_id",
        acted_by="supervisor",
    ),
    Kind(
        "retention",
        "Deleting records",
        "Delete {person}'s supervision records (five years since leaving)",
        ("retention",),
    ),
    Kind(
        "supervisor_absence_cover",
        "Cover for an absent supervisor",
        "Arrange cover for {person}'s supervisees",
        ("supervisor_absence",),
    ),
    Kind(
        "supervisor_load",
        "Number of supervisees",
        "Reduce {person}'s number of supervisees",
        ("supervisor_load",),
    ),
    # Its title is the escalated kind's `overdue` (models/engine/task_titles.py).
    Kind("escalation", "Escalation", "Overdue {what}", (), acknowledge=True),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in _KINDS}
DEFAULT = Kind("task", "Task", "{kind}: {supervisee}")


def kind(name: str) -> Kind:
    """A kind by name; an unknown one (an old task) reads as a plain task."""
    return KINDS.get(name, DEFAULT)


def of_family(family: str) -> Kind | None:
    """The kind of the obligations of a key family, where one is declared."""
    return next((k for k in _KINDS if family in k.families), None)


def of_lifecycle(lifecycle: str) -> frozenset[str]:
    """The kinds whose obligations a lifecycle owes."""
    return frozenset(k.name for k in _KINDS if lifecycle in k.lifecycles)


# What an escalation says is wrong and what closes it, by the escalated kind;
# {owner} is whoever owes the overdue work (webapp/escalations.py).
_CLOSES = "This closes itself when"
OVERDUE_CAUSES: dict[str, str] = {
    "agreement": "{owner} has not drawn up and signed the supervision agreement by its "
    f"deadline. {_CLOSES} both have signed it.",
    "agreement_countersign": "{owner} has not countersigned the supervision agreement by its "
    f"deadline. {_CLOSES} they countersign it.",
    "group_agreement_sign": "{owner} has not signed the group supervision agreement by its "
    f"deadline. {_CLOSES} they sign it.",
    "group_agreement_review": "{owner} has not reviewed the group supervision agreement by its "
    f"review date. {_CLOSES} the reviewed version is issued.",
    "supervision": "{owner} has not held and recorded a supervision session by its due date. "
    f"{_CLOSES} the session is recorded.",
    "asye_reflective_supervision": "{owner} has not held and recorded the ASYE reflective "
    f"supervision by its due date. {_CLOSES} the session is recorded.",
    "case_supervision": "{owner} has not supervised this case within the interval its case "
    f"type requires. {_CLOSES} the case direction is recorded.",
}
