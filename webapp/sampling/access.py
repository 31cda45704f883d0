"""Who may use the quarterly sampling pages; each rule hands the task or
sample it loaded to the view: `sample_reader.loaded()`."""

from __future__ import annotations

from policy import kinds
from webapp import queries
from webapp.access import Rule, reading_and_writing
from webapp.sampling import queries as sampling_queries

sampling_task_assignee = Rule(
    "sampling_task_assignee",
    "The head of service a quarterly sampling task is assigned to.",
    load=lambda user, args: queries.task_for_assignee(
        user, args["task_id"], kinds=kinds.of_lifecycle("sampling")
    ),
)

sample_reviewer = Rule(
    "sample_reviewer",
    "The head of service who drew the sample, or who heads its service area now.",
    load=lambda user, args: sampling_queries.sample_for_reviewer(user, args["sample_id"]),
)

sample_reader = reading_and_writing(
    "sample_reader",
    "Reading: the sample's reviewers (the head of service who drew it or heads its area "
    "now), the principal social worker, the workforce team and a current auditor. Recording "
    "a finding: the reviewers.",
    read=lambda user, args: sampling_queries.sample_for_viewer(user, args["sample_id"]),
    write=lambda user, args: sampling_queries.sample_for_reviewer(user, args["sample_id"]),
)
