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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from policy import rule_schema as schema
from policy.documents import read_document
from policy.durations import Duration
from policy.rule_schema import Invalid

PROFILE_DIR = Path(__file__).parent / "profiles"
# Further folders of council profiles, separated by the system's path separator.
PROFILES_ENV = "OVERSIGHT_PROFILES"
RULES_FILE = "rules.yaml"
# A council's earlier versions of its policy, one rules file each (policy/versions.py).
VERSIONS_DIR = "versions"
SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")


class ProfileError(ValueError):
    """A profile file that does not match the schema."""


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
    # Which version of the council's document this is, and the day it takes
    # effect (policy/versions.py); `version_note` gives the reading where the
    # document does not say.
    version: str = ""
    effective_from: date = date(1900, 1, 1)
    version_note: str = ""
    # The council's earlier versions of its policy, earliest first: set when
    # the council is loaded by name, from its versions/ folder.
    earlier: tuple[Profile, ...] = field(default=(), compare=False, repr=False)

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


def _read_rule(node, where: str, source_file: str) -> Rule:
    if not isinstance(node, yaml.MappingNode):
        raise Invalid(node, where, "expected a rule mapping")
    id_node = next((v for k, v in node.value if getattr(k, "value", None) == "id"), None)
    if id_node is None:
        raise Invalid(node, f"{where}.id", "missing")
    rule_id = schema.scalar(id_node, f"{where}.id")
    family = schema.family_of(rule_id)
    if family is None:
        raise Invalid(id_node, f"{where}.id", f"unknown rule {rule_id!r}")
    where = f"{where}({rule_id})"
    fields = {
        "id": (schema.text, True),
        "text": (schema.text, True),
        "cite": (schema.citations, True),
        "note": (schema.text, False),
        **schema.RULE_PARAMS[family],
    }
    values = schema.read_mapping(node, where, fields)
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
    "name": (schema.text, True),
    "title": (schema.text, True),
    "source_file": (schema.text, True),
    "due_soon_days": (schema.whole_number, True),
    "version": (schema.text, True),
    "effective_from": (schema.day, True),
    "version_note": (schema.text, False),
    "rules": (None, True),
}


def parse_profile(text: str, path: str) -> Profile:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {exc}") from None
    try:
        if root is None:
            raise Invalid(yaml.ScalarNode("tag:yaml.org,2002:null", ""), "", "empty profile")
        rules_node = next((v for k, v in getattr(root, "value", ()) if k.value == "rules"), None)
        top = schema.read_mapping(root, "", {**_TOP, "rules": (lambda n, w: n, True)})
        source_file = top["source_file"]
        if not SEED_FILE.match(source_file):
            raise Invalid(root, "source_file", f"{source_file!r} is not a seed file name")
        if not isinstance(rules_node, yaml.SequenceNode) or not rules_node.value:
            raise Invalid(rules_node, "rules", "expected a non-empty list of rules")
        rules = [_read_rule(n, f"rules[{i}]", source_file) for i, n in enumerate(rules_node.value)]
        seen: set[str] = set()
        for i, rule in enumerate(rules):
            if rule.id in seen:
                raise Invalid(rules_node.value[i], f"rules[{i}].id", f"rule {rule.id!r} twice")
            seen.add(rule.id)
    except Invalid as bad:
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
        version=top["version"],
        effective_from=top["effective_from"],
        version_note=top.get("version_note", ""),
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
    files = [folders[name] / RULES_FILE, *sorted((folders[name] / VERSIONS_DIR).glob("*.yaml"))]
    return _load_named(name, tuple((str(f), f.stat().st_mtime_ns) for f in files))


@lru_cache(maxsize=64)
def _load_named(name: str, files: tuple[tuple[str, int], ...]) -> Profile:
    """Parsed once per set of file versions: a profile is read on every reconcile
    batch. The files' modification times are in the key, so an edit is read again.
    The first file is the council's rules.yaml, the others its earlier versions."""
    from policy.versions import with_earlier_versions

    loaded = []
    for path, _modified in files:
        profile = load_profile_file(path)
        if profile.name != name:
            raise ProfileError(f"{profile.path}: name: {profile.name!r} does not match its folder")
        loaded.append(profile)
    return with_earlier_versions(loaded[0], loaded[1:])


@lru_cache(maxsize=256)
def _document(folder: Path, name: str, modified: int) -> Any:
    return read_document(folder, name, ProfileError)
