"""Policy profiles: one folder per council under policy/profiles/ (or under a
folder named in OVERSIGHT_PROFILES), its rules in rules.yaml, checked against
the schema below as it loads, and its documents (forms, wording) beside them
(policy/documents.py). A council is its profile: adding one is adding a
folder, no code. A wrong profile fails with the file, the
line, the field and what is wrong, because a mistyped number here would put
wrong deadlines in hundreds of inboxes without anyone noticing."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from policy.documents import read_document
from policy.durations import Duration, DurationError
from policy.facts import CASE_TYPES, EMPLOYMENT_TYPES, ROLES

PROFILE_DIR = Path(__file__).parent / "profiles"
# Further folders of council profiles, separated by the system's path separator.
PROFILES_ENV = "OVERSIGHT_PROFILES"
RULES_FILE = "rules.yaml"
SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
WHO = ("supervisee", "supervisor", "line_manager", "head_of_service")


class ProfileError(ValueError):
    """A profile file that does not match the schema."""


class _Invalid(Exception):
    def __init__(self, node: yaml.Node, where: str, problem: str):
        super().__init__(problem)
        self.node, self.where, self.problem = node, where, problem


# --- the schema ---------------------------------------------------------------
# A parameter is (converter, required). Converters take the YAML node and the
# field path and return the Python value or raise _Invalid.


def _scalar(node: yaml.Node, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _Invalid(node, where, "expected a single value")
    return node.value


def _text(node, where):
    value = _scalar(node, where).strip()
    if not value:
        raise _Invalid(node, where, "must not be empty")
    return value


def _int(node, where):
    value = _scalar(node, where)
    if not re.fullmatch(r"\d+", value):
        raise _Invalid(node, where, f"expected a whole number, got {value!r}")
    return int(value)


def _duration(node, where):
    try:
        return Duration.parse(_scalar(node, where))
    except DurationError as exc:
        raise _Invalid(node, where, str(exc)) from None


def _one_of(choices: tuple[str, ...]) -> Callable:
    def convert(node, where):
        value = _scalar(node, where)
        if value not in choices:
            raise _Invalid(node, where, f"unknown value {value!r}; expected one of {choices}")
        return value

    return convert


def _list_of(item: Callable) -> Callable:
    def convert(node, where):
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise _Invalid(node, where, "expected a non-empty list")
        return tuple(item(child, f"{where}[{i}]") for i, child in enumerate(node.value))

    return convert


def _months(node, where):
    """A whole number of months ("3 months"): the ASYE reviews are named by
    the month they fall in, so the key says "3", "6", "12"."""
    value = _duration(node, where)
    if value.unit != "months" or value.amount < 1:
        raise _Invalid(node, where, f"expected a number of months, got {_scalar(node, where)!r}")
    return value


def _citations(node, where) -> tuple[str, ...]:
    """`cite:` is a paragraph or standard ("§1.4", "standard 4") or a list of them."""
    if isinstance(node, yaml.SequenceNode):
        return _list_of(_text)(node, where)
    return (_text(node, where),)


def _mapping(params: Mapping[str, tuple[Callable, bool]]) -> Callable:
    def convert(node, where):
        return _read_mapping(node, where, params)

    return convert


_STEP = {
    "after": (_duration, True),  # measured from the escalated obligation's due date
    "who": (_one_of(WHO), True),
    "respond_within": (_duration, True),
    "text": (_text, True),
    "cite": (_citations, True),
}
# A stage lasts `until` a time from the ASYE start, or `for` a time after the
# previous stage ends (Wokingham standard 16: "fortnightly for the following 6 months").
_STAGE = {"until": (_duration, False), "for": (_duration, False), "every": (_duration, True)}


def _stage(node, where):
    stage = _read_mapping(node, where, _STAGE)
    if ("until" in stage) == ("for" in stage):
        raise _Invalid(node, where, "give exactly one of 'until' or 'for'")
    return stage


_CADENCE = {
    "every": (_duration, True),
    # The loosest frequency a recorded variation may set; absent, a variation
    # may only make the cadence more frequent.
    "may_vary_to": (_duration, False),
}

RULE_PARAMS: dict[str, dict[str, tuple[Callable, bool]]] = {
    "agreement.deadline": {"within": (_duration, True)},
    "agreement.review": {"every": (_duration, True)},
    # Completed with each annual review, then forwarded to the supervisor's line manager.
    "agreement.review_questionnaire": {"forward_within": (_duration, True)},
    # Lancashire Appendix A's Group Supervision Agreement: the coordinator and
    # each supervisee sign within `sign_within` of its issue; reviewed every `review_every`.
    "agreement.group": {"sign_within": (_duration, True), "review_every": (_duration, True)},
    "escalation": {"steps": (_list_of(_mapping(_STEP)), True)},
    "supervision.default": _CADENCE,
    "supervision.role": _CADENCE,
    "supervision.employment": {**_CADENCE, "for_first": (_duration, False)},
    "supervision.casual_hours": {"every": (_duration, True), "or_after_hours": (_int, True)},
    "supervision.probation": {
        "every": (_duration, True),
        "for_first": (_duration, True),
        "employment": (_list_of(_one_of(EMPLOYMENT_TYPES)), False),  # absent: everyone
    },
    "supervision.group": {"every": (_duration, True), "roles": (_list_of(_one_of(ROLES)), True)},
    "asye.stages": {"stages": (_list_of(_stage), True)},
    "asye.reflective": {"every": (_duration, True), "for_first": (_duration, True)},
    # The ASYE year's reviews, each due this long after the ASYE start.
    "asye.reviews": {"at": (_list_of(_months), True)},
    # Observations of an ASYE worker's practice owed within their ASYE year.
    "asye.observations": {"count": (_int, True), "within": (_duration, True)},
    "case_supervision.first": {"within": (_duration, True)},
    "case_supervision": _CADENCE,
    "recording.session": {"within": (_duration, True)},
    "recording.countersign": {"within": (_duration, True)},
    "recording.case": {"within": (_duration, True)},
    "recording.decision": {"within": (_duration, True)},
    # The reason a session was late, in the record of the next session held.
    "recording.late_reason": {"within": (_duration, True), "in_view": (_duration, True)},
    "observation.practice": {
        "count": (_int, True),
        "with_family": (_int, False),
        "per": (_duration, True),
        "first_within": (_duration, False),
        "roles": (_list_of(_one_of(ROLES)), True),
    },
    "observation.supervision": {"every": (_duration, True)},
    "development.discussion": {"every": (_duration, True)},
    "sampling.records": {"every": (_duration, True), "by": (_one_of(ROLES), True)},
    "case_file_audit": {"count": (_int, True), "every": (_duration, True)},
    "registration.check": {"opens_before": (_duration, True)},
    # The DBS re-check interval is configuration, applied by the database layer
    # (Staff.dbs_recheck_due_on); the rule only says the check is owed.
    "registration.dbs": {},
    "retention.deletion": {"after_leaving": (_duration, True)},
    "supervisor_absence.cover": {"longer_than": (_duration, True)},
    "supervisor_load.cap": {"max_supervisees": (_int, True), "resolve_within": (_duration, True)},
}
# Families whose ids carry a qualifier: "supervision.role.team_manager".
QUALIFIED = {
    "supervision.role": ROLES,
    "supervision.employment": EMPLOYMENT_TYPES,
    "case_supervision": (*CASE_TYPES, "default"),
}
COMMON = {"id", "text", "cite", "note"}


def _family(rule_id: str) -> str | None:
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


# --- the loaded profile -------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    text: str  # the rule in the document's own words
    source: str  # "000_b775b8e7712f1ef5.txt §1.4"
    note: str = ""  # why this reading, where the document is silent or contradicts itself
    params: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    source_file: str
    due_soon_days: int
    rules: tuple[Rule, ...]
    path: str = ""

    @cached_property
    def _rules_by_id(self) -> dict[str, Rule]:
        by_id: dict[str, Rule] = {}
        for rule in self.rules:
            by_id.setdefault(rule.id, rule)
        return by_id

    def rule(self, rule_id: str) -> Rule | None:
        return self._rules_by_id.get(rule_id)

    @property
    def folder(self) -> Path:
        return Path(self.path).parent

    def document(self, name: str) -> Any:
        """One of the council's documents (policy/documents.py), checked; None
        when the council has none and none is required."""
        path = self.folder / f"{name}.yaml"
        return _document(self.folder, name, path.stat().st_mtime_ns if path.exists() else 0)

    def agreement_review_due(self, in_force_on: date) -> date:
        review = self.rule("agreement.review")
        return (
            review["every"].after(in_force_on)
            if review
            else Duration(12, "months").after(in_force_on)
        )


def cite(source_file: str, citations: tuple[str, ...]) -> str:
    return f"{source_file} {'; '.join(citations)}"


def _read_mapping(node, where, params) -> dict[str, Any]:
    if not isinstance(node, yaml.MappingNode):
        raise _Invalid(node, where, "expected a mapping of field: value")
    values: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node, where)
        path = f"{where}.{key}" if where else key
        if key in values:
            raise _Invalid(key_node, path, "field given twice")
        if key not in params:
            raise _Invalid(key_node, path, f"unknown field; expected one of {sorted(params)}")
        values[key] = params[key][0](value_node, path)
    missing = [name for name, (_, required) in params.items() if required and name not in values]
    if missing:
        raise _Invalid(node, f"{where}.{missing[0]}" if where else missing[0], "missing")
    return values


def _read_rule(node, where: str, source_file: str) -> Rule:
    if not isinstance(node, yaml.MappingNode):
        raise _Invalid(node, where, "expected a rule mapping")
    id_node = next((v for k, v in node.value if getattr(k, "value", None) == "id"), None)
    if id_node is None:
        raise _Invalid(node, f"{where}.id", "missing")
    rule_id = _scalar(id_node, f"{where}.id")
    family = _family(rule_id)
    if family is None:
        raise _Invalid(id_node, f"{where}.id", f"unknown rule {rule_id!r}")
    where = f"{where}({rule_id})"
    schema = {
        "id": (_text, True),
        "text": (_text, True),
        "cite": (_citations, True),
        "note": (_text, False),
        **RULE_PARAMS[family],
    }
    values = _read_mapping(node, where, schema)
    if "steps" in values:
        values["steps"] = tuple(
            {**step, "source": cite(source_file, step.pop("cite"))} for step in values["steps"]
        )
    return Rule(
        id=rule_id,
        text=values.pop("text"),
        source=cite(source_file, values.pop("cite")),
        note=values.pop("note", ""),
        params=MappingProxyType({k: v for k, v in values.items() if k != "id"}),
    )


_TOP = {
    "name": (_text, True),
    "title": (_text, True),
    "source_file": (_text, True),
    "due_soon_days": (_int, True),
    "rules": (None, True),
}


def parse_profile(text: str, path: str) -> Profile:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {exc}") from None
    try:
        if root is None:
            raise _Invalid(yaml.ScalarNode("tag:yaml.org,2002:null", ""), "", "empty profile")
        rules_node = next((v for k, v in getattr(root, "value", ()) if k.value == "rules"), None)
        top = _read_mapping(root, "", {**_TOP, "rules": (lambda n, w: n, True)})
        source_file = top["source_file"]
        if not SEED_FILE.match(source_file):
            raise _Invalid(root, "source_file", f"{source_file!r} is not a seed file name")
        if not isinstance(rules_node, yaml.SequenceNode) or not rules_node.value:
            raise _Invalid(rules_node, "rules", "expected a non-empty list of rules")
        rules = [_read_rule(n, f"rules[{i}]", source_file) for i, n in enumerate(rules_node.value)]
        seen: set[str] = set()
        for i, rule in enumerate(rules):
            if rule.id in seen:
                raise _Invalid(rules_node.value[i], f"rules[{i}].id", f"rule {rule.id!r} twice")
            seen.add(rule.id)
    except _Invalid as bad:
        line = bad.node.start_mark.line + 1 if bad.node.start_mark else 0
        field_name = bad.where or "(top level)"
        raise ProfileError(f"{path}:{line}: {field_name}: {bad.problem}") from None
    return Profile(
        name=top["name"],
        title=top["title"],
        source_file=source_file,
        due_soon_days=top["due_soon_days"],
        rules=tuple(rules),
        path=path,
    )


def profile_folders() -> dict[str, Path]:
    """Every council profile: name -> its folder (the bundled ones, then any
    under the folders OVERSIGHT_PROFILES names; a later one of the same name wins)."""
    roots = [PROFILE_DIR]
    roots += [Path(p) for p in os.environ.get(PROFILES_ENV, "").split(os.pathsep) if p.strip()]
    found: dict[str, Path] = {}
    for root in roots:
        for rules in sorted(root.glob(f"*/{RULES_FILE}")):
            found[rules.parent.name] = rules.parent
    return found


def available_profiles() -> list[str]:
    return sorted(profile_folders())


def load_profile_file(path: Path | str) -> Profile:
    path = Path(path)
    return parse_profile(path.read_text(encoding="utf-8"), str(path))


def load_profile(name: str) -> Profile:
    folders = profile_folders()
    if name not in folders:
        raise ProfileError(f"unknown profile {name!r}; expected one of {sorted(folders)}")
    rules = folders[name] / RULES_FILE
    return _load_named(name, str(rules), rules.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _load_named(name: str, path: str, modified: int) -> Profile:
    """Parsed once per file version: a profile is read on every reconcile batch.
    The file's modification time is in the key, so an edited profile is read again."""
    profile = load_profile_file(path)
    if profile.name != name:
        raise ProfileError(f"{profile.path}: name: {profile.name!r} does not match its folder")
    return profile


@lru_cache(maxsize=256)
def _document(folder: Path, name: str, modified: int) -> Any:
    return read_document(folder, name, ProfileError)
