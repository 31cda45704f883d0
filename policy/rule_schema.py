"""The schema of a council's rules.yaml: every rule family, its parameters
and how each is read from the YAML node (so an error can name the line).
A parameter is (converter, required). Converters take the YAML node and the
field path and return the Python value or raise Invalid."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import yaml

from policy.durations import Duration, DurationError
from policy.facts import (
    CASE_CATEGORIES,
    CASE_TYPES,
    DECISION_SETTINGS,
    EMPLOYMENT_TYPES,
    ROLES,
    SESSION_KINDS,
)

WHO = ("supervisee", "supervisor", "line_manager", "head_of_service")


class Invalid(Exception):
    def __init__(self, node: yaml.Node, where: str, problem: str):
        super().__init__(problem)
        self.node, self.where, self.problem = node, where, problem


def scalar(node: yaml.Node, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise Invalid(node, where, "expected a single value")
    return node.value


def text(node, where):
    value = scalar(node, where).strip()
    if not value:
        raise Invalid(node, where, "must not be empty")
    return value


def whole_number(node, where):
    value = scalar(node, where)
    if not re.fullmatch(r"\d+", value):
        raise Invalid(node, where, f"expected a whole number, got {value!r}")
    return int(value)


def day(node, where):
    """A date written YYYY-MM-DD, from 1900 to 2999 (the years the facts accept)."""
    value = scalar(node, where)
    found = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            found = date.fromisoformat(value)
        except ValueError:  # 2024-02-30: the right shape, no such day
            found = None
    if found is None:
        raise Invalid(node, where, f"{value!r} is not a date (expected YYYY-MM-DD)")
    if not 1900 <= found.year <= 2999:
        raise Invalid(node, where, f"{value} is outside the years 1900 to 2999")
    return found


def duration(node, where):
    try:
        return Duration.parse(scalar(node, where))
    except DurationError as exc:
        raise Invalid(node, where, str(exc)) from None


def one_of(choices: tuple[str, ...]) -> Callable:
    def convert(node, where):
        value = scalar(node, where)
        if value not in choices:
            raise Invalid(node, where, f"unknown value {value!r}; expected one of {choices}")
        return value

    return convert


def list_of(item: Callable) -> Callable:
    def convert(node, where):
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise Invalid(node, where, "expected a non-empty list")
        return tuple(item(child, f"{where}[{i}]") for i, child in enumerate(node.value))

    return convert


def months(node, where):
    """A whole number of months ("3 months"): the ASYE reviews are named by
    the month they fall in, so the key says "3", "6", "12"."""
    value = duration(node, where)
    if value.unit != "months" or value.amount < 1:
        raise Invalid(node, where, f"expected a number of months, got {scalar(node, where)!r}")
    return value


def citations(node, where) -> tuple[str, ...]:
    """`cite:` is a paragraph or standard ("§1.4", "standard 4") or a list of them."""
    if isinstance(node, yaml.SequenceNode):
        return list_of(text)(node, where)
    return (text(node, where),)


def mapping(params: Mapping[str, tuple[Callable, bool]]) -> Callable:
    def convert(node, where):
        return read_mapping(node, where, params)

    return convert


_STEP = {
    "after": (duration, True),  # measured from the escalated obligation's due date
    "who": (one_of(WHO), True),
    "respond_within": (duration, True),
    "text": (text, True),
    "cite": (citations, True),
}
# A stage lasts `until` a time from the ASYE start, or `for` a time after the
# previous stage ends (Wokingham standard 16: "fortnightly for the following 6 months").
_STAGE = {"until": (duration, False), "for": (duration, False), "every": (duration, True)}


def _stage(node, where):
    stage = read_mapping(node, where, _STAGE)
    if ("until" in stage) == ("for" in stage):
        raise Invalid(node, where, "give exactly one of 'until' or 'for'")
    return stage


_CADENCE = {
    "every": (duration, True),
    # The loosest frequency a recorded variation may set; absent, a variation
    # may only make the cadence more frequent.
    "may_vary_to": (duration, False),
}

RULE_PARAMS: dict[str, dict[str, tuple[Callable, bool]]] = {
    # `counts_from`: the event the deadline counts from. relationship_start (the
    # default): the day the relationship began; job_start: for a new starter's
    # first relationship their start date (Lancashire §1.4 "within 6 weeks of
    # starting their job"), otherwise the change of post or of supervisor.
    "agreement.deadline": {
        "within": (duration, True),
        "counts_from": (one_of(("relationship_start", "job_start")), False),
    },
    "agreement.review": {"every": (duration, True)},
    # Completed with each annual review, then forwarded to the supervisor's line manager.
    "agreement.review_questionnaire": {"forward_within": (duration, True)},
    # Lancashire Appendix A's Group Supervision Agreement: the coordinator and
    # each supervisee sign within `sign_within` of its issue; reviewed every `review_every`.
    "agreement.group": {"sign_within": (duration, True), "review_every": (duration, True)},
    "escalation": {"steps": (list_of(mapping(_STEP)), True)},
    "supervision.default": _CADENCE,
    "supervision.role": _CADENCE,
    "supervision.employment": {**_CADENCE, "for_first": (duration, False)},
    "supervision.casual_hours": {"every": (duration, True), "or_after_hours": (whole_number, True)},
    "supervision.probation": {
        "every": (duration, True),
        "for_first": (duration, True),
        "employment": (list_of(one_of(EMPLOYMENT_TYPES)), False),  # absent: everyone
    },
    "supervision.group": {"every": (duration, True), "roles": (list_of(one_of(ROLES)), True)},
    "asye.stages": {"stages": (list_of(_stage), True)},
    "asye.reflective": {"every": (duration, True), "for_first": (duration, True)},
    # The ASYE year's reviews, each due this long after the ASYE start.
    "asye.reviews": {"at": (list_of(months), True)},
    # Observations of an ASYE worker's practice owed within their ASYE year.
    "asye.observations": {"count": (whole_number, True), "within": (duration, True)},
    "case_supervision.first": {"within": (duration, True)},
    "case_supervision": _CADENCE,
    # A case's recorded category (policy.facts.CASE_CATEGORIES) sets its cadence
    # for the case types listed (absent: every type), Nottingham §1.6.
    "case_supervision.category": {**_CADENCE, "types": (list_of(one_of(CASE_TYPES)), False)},
    # `kinds`: the kinds of session that owe a record (absent: individual only);
    # `group_recorded_by`: who owes a group session's record (absent: supervisor).
    "recording.session": {
        "within": (duration, True),
        "kinds": (list_of(one_of(SESSION_KINDS)), False),
        "group_recorded_by": (one_of(("supervisor", "facilitator")), False),
    },
    "recording.countersign": {"within": (duration, True)},
    "recording.case": {"within": (duration, True)},
    # `made_in`: only decisions made there (policy.facts.DECISION_SETTINGS);
    # absent: every decision (Bristol §5.7 owes those made outside supervision).
    "recording.decision": {
        "within": (duration, True),
        "made_in": (list_of(one_of(DECISION_SETTINGS)), False),
    },
    # The record shared with (copied to) the supervisee.
    "recording.shared": {"within": (duration, True)},
    # The reason a session was late, in the record of the next session held.
    "recording.late_reason": {"within": (duration, True), "in_view": (duration, True)},
    "observation.practice": {
        "count": (whole_number, True),
        "with_family": (whole_number, False),
        "per": (duration, True),
        "first_within": (duration, False),
        # Whose practice is observed; absent: everyone supervised.
        "roles": (list_of(one_of(ROLES)), False),
        # Whose observations include `with_family` with children and families
        # ("if this is part of their role", Lancashire §1.16); absent: everyone's.
        "with_family_roles": (list_of(one_of(ROLES)), False),
    },
    "observation.supervision": {"every": (duration, True)},
    "development.discussion": {"every": (duration, True)},
    "sampling.records": {"every": (duration, True), "by": (one_of(ROLES), True)},
    # The next quarterly sample after a record audit that found shortfalls reads
    # `records_each` of that supervisor's records first (models/actions/sample_population.py).
    "sampling.audit_follow_up": {"records_each": (whole_number, True)},
    "case_file_audit": {"count": (whole_number, True), "every": (duration, True)},
    "registration.check": {"opens_before": (duration, True)},
    # The DBS re-check interval is configuration, applied by the database layer
    # (Staff.dbs_recheck_due_on); the rule only says the check is owed.
    "registration.dbs": {},
    "retention.deletion": {"after_leaving": (duration, True)},
    # Audits of a supervisor's supervision records by their line manager, every
    # `every`; where the council asks, discussed with the supervisor within
    # `discuss_within` of the audit (policy/rules/record_audit.py).
    "record_audit": {"every": (duration, True), "discuss_within": (duration, False)},
    # Actions agreed in supervision are owed by their owner by their date
    # (policy/rules/actions.py); the dates are the session's, so no parameter.
    "supervision.actions": {},
    # The supervisee raises a session not held `raise_after` its due date with
    # their supervisor; not put right `escalate_after` that, they escalate it to
    # the supervisor's line manager; each step is done `respond_within`
    # (policy/rules/missed_sessions.py).
    # Management oversight recorded on the child's record at least once in each
    # `every` of a case of these types (policy/rules/case_oversight.py).
    "case_oversight": {"every": (duration, True), "types": (list_of(one_of(CASE_TYPES)), True)},
    "supervision.missed": {
        "raise_after": (duration, True),
        "escalate_after": (duration, True),
        "respond_within": (duration, True),
    },
    "supervisor_absence.cover": {"longer_than": (duration, True)},
    "supervisor_load.cap": {
        "max_supervisees": (whole_number, True),
        "resolve_within": (duration, True),
    },
}
# Families whose ids carry a qualifier: "supervision.role.team_manager".
QUALIFIED = {
    "supervision.role": ROLES,
    "supervision.employment": EMPLOYMENT_TYPES,
    "case_supervision": (*CASE_TYPES, "default"),
    "case_supervision.category": CASE_CATEGORIES,
}
COMMON = {"id", "text", "cite", "note"}


def family_of(rule_id: str) -> str | None:
    if rule_id in RULE_PARAMS and rule_id not in QUALIFIED:
        return rule_id
    family, _, qualifier = rule_id.rpartition(".")
    if family in QUALIFIED and qualifier in QUALIFIED[family]:
        return family
    return None


def known_rule_ids() -> list[str]:
    ids = [rule_id for rule_id in RULE_PARAMS if rule_id not in QUALIFIED]
    ids += [f"{family}.{q}" for family, quals in QUALIFIED.items() for q in quals]
    return sorted(ids)


def read_mapping(node, where, params) -> dict[str, Any]:
    if not isinstance(node, yaml.MappingNode):
        raise Invalid(node, where, "expected a mapping of field: value")
    values: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = scalar(key_node, where)
        path = f"{where}.{key}" if where else key
        if key in values:
            raise Invalid(key_node, path, "field given twice")
        if key not in params:
            raise Invalid(key_node, path, f"unknown field; expected one of {sorted(params)}")
        values[key] = params[key][0](value_node, path)
    missing = [name for name, (_, required) in params.items() if required and name not in values]
    if missing:
        raise Invalid(node, f"{where}.{missing[0]}" if where else missing[0], "missing")
    return values
