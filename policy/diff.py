"""What changes, rule by rule, between two profiles: two councils' policies or
two versions of one council's (policy/versions.py). Written for a principal
social worker checking a new version before it is adopted: each rule added,
removed or changed, and for a changed rule what changed (how often, the
deadline, whom it covers, the document's words, the paragraph cited)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from policy.dates import long_date
from policy.profile import Profile, Rule

# Parameters as a reader of the policy names them; any other is shown by its name.
PARAM_WORDS = {
    "every": "how often",
    "within": "deadline",
    "counts_from": "deadline counts from",
    "roles": "roles covered",
    "with_family_roles": "roles observed with families",
    "with_family": "how many with families",
    "types": "case types",
    "count": "how many",
    "per": "in each",
    "for_first": "for the first",
    "first_within": "first within",
    "may_vary_to": "may be varied to at most",
    "employment": "employment types",
    "made_in": "decisions made in",
    "steps": "escalation",
    "stages": "stages",
    "at": "at",
}

# Values written as codes in the rules file, in words.
VALUE_WORDS = {"job_start": "starting the job", "relationship_start": "the relationship's start"}


@dataclass(frozen=True)
class RuleChange:
    rule: str
    change: str  # added, removed, changed
    details: tuple[str, ...]  # what changed, one readable line each


def paragraph(profile: Profile, rule: Rule) -> str:
    """A rule's citation less its document's file ("§1.4"): the document is
    named once, in the heading."""
    return rule.source.removeprefix(profile.source_file).strip()


def _shown(value) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], dict):
        return "; ".join(_step(item) for item in value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return VALUE_WORDS.get(str(value), str(value))


def _step(item: dict) -> str:
    if "who" in item:
        cited = item["source"].split(" ", 1)[-1]
        return f"after {item['after']}, {item['who']} within {item['respond_within']} ({cited})"
    return ", ".join(f"{PARAM_WORDS.get(k, k)} {v}" for k, v in item.items())


def _fields(profile: Profile, rule: Rule) -> dict[str, str]:
    shown = {PARAM_WORDS.get(k, k.replace("_", " ")): _shown(v) for k, v in rule.params.items()}
    shown["text"] = rule.text
    shown["citation"] = paragraph(profile, rule)
    if rule.note:
        shown["reading"] = rule.note
    return shown


def diff_profiles(old: Profile, new: Profile) -> list[RuleChange]:
    """Every rule added, removed or changed from `old` to `new`, in the order
    the rules appear (the old profile's first, then those only the new has)."""
    old_rules = {rule.id: rule for rule in old.rules}
    new_rules = {rule.id: rule for rule in new.rules}
    changes = []
    for rule_id in [*old_rules, *(r for r in new_rules if r not in old_rules)]:
        if rule_id not in new_rules:
            before = _fields(old, old_rules[rule_id])
            changes.append(RuleChange(rule_id, "removed", _listed(before)))
        elif rule_id not in old_rules:
            after = _fields(new, new_rules[rule_id])
            changes.append(RuleChange(rule_id, "added", _listed(after)))
        else:
            before, after = _fields(old, old_rules[rule_id]), _fields(new, new_rules[rule_id])
            details = tuple(
                line
                for name in [*before, *(n for n in after if n not in before)]
                if before.get(name) != after.get(name)
                for line in _changed(name, before.get(name), after.get(name))
            )
            if details:
                changes.append(RuleChange(rule_id, "changed", details))
    return changes


def _listed(fields: dict[str, str]) -> tuple[str, ...]:
    return tuple(f"{name}: {value}" for name, value in fields.items())


def _changed(name: str, before: str | None, after: str | None) -> tuple[str, ...]:
    if before is None:
        return (f"{name}: now {after}",)
    if after is None:
        return (f"{name}: no longer {before}",)
    if len(before) + len(after) > 60:  # words read better one above the other
        return (f"{name}, was: {before}", f"{name}, now: {after}")
    return (f"{name}: {before} -> {after}",)


def _described(profile: Profile) -> str:
    return f"{profile.title} (version {profile.version}, from {long_date(profile.effective_from)})"


def diff_text(old: Profile, new: Profile) -> str:
    """The changes as the command line prints them."""
    changes = diff_profiles(old, new)
    lines = [f"From: {_described(old)}", f"To:   {_described(new)}", ""]
    for change in changes:
        lines.append(f"{change.change.capitalize()}: {change.rule}")
        for detail in change.details:
            lines += textwrap.wrap(detail, 100, initial_indent="  ", subsequent_indent="    ")
        lines.append("")
    counted = {kind: sum(c.change == kind for c in changes) for kind in _KINDS}
    same = len({r.id for r in old.rules} & {r.id for r in new.rules}) - counted["changed"]
    lines.append(_summary(counted, same))
    return "\n".join(lines)


_KINDS = ("changed", "added", "removed")


def _summary(counted: dict[str, int], same: int) -> str:
    parts: Iterable[str] = (f"{n} {kind}" for kind, n in counted.items())
    return f"{', '.join(parts)}, {same} unchanged."
