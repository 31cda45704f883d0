"""The human tasks about children's cases: case supervision, its records and
decisions, case-file audits and management oversight. Children by case ID only."""

from __future__ import annotations

from policy.kinds.kind import Kind

KINDS = (
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
)
