"""Facts that contradict themselves, refused before the engine sees them, each
with the item and field named: someone leaving before they started, a
relationship, absence, case or group ending before it began, a person
supervising themselves, an agreement or session for a pair with no
relationship, a signatory of an unknown group or version, a frequency the
council's document does not allow.

The checks read the facts file's items (policy/facts_json.py) after each field
has been read on its own, so every message can say where the item is."""

from __future__ import annotations

import math

from policy.facts import ASYE_STAGES
from policy.profile import Profile, Rule
from policy.rules.case_supervision import case_rule_for


class FactsError(ValueError):
    """A facts file that cannot be read; the message names the item and field."""


# (section, field that ends, field it must not end before)
ENDS_AFTER_START = (
    ("staff", "left_on", "started_on"),
    ("relationships", "ended_on", "started_on"),
    ("absences", "ended_on", "started_on"),
    ("cases", "closed_on", "allocated_on"),
    ("sessions", "shared_on", "held_on"),
    ("group_agreements", "ended_on", "issued_on"),
    ("record_audits", "discussed_on", "audited_on"),
    ("actions", "due_on", "agreed_on"),
    ("actions", "done_on", "agreed_on"),
    ("missed_sessions", "raised_on", "due"),
    ("missed_sessions", "escalated_on", "raised_on"),
    ("missed_sessions", "responded_on", "raised_on"),
)


def check_consistency(items: dict[str, list[dict]], profile: Profile | None = None) -> None:
    """Raise FactsError naming the first item that contradicts another fact."""
    for section, end, start in ENDS_AFTER_START:
        for i, row in enumerate(items.get(section, ())):
            if row.get(end) is not None and row[end] < row[start]:
                raise FactsError(f"{section}[{i}].{end}: {row[end]} is before {start} {row[start]}")
    for i, rel in enumerate(items["relationships"]):
        if rel["supervisor"] == rel["supervisee"]:
            raise FactsError(
                f"relationships[{i}].supervisor: {rel['supervisor']!r} cannot supervise themselves"
            )
    _check_pairs(items)
    _check_groups(items)
    for i, review in enumerate(items.get("asye_reviews", ())):
        if review["stage"] not in ASYE_STAGES:
            raise FactsError(
                f"asye_reviews[{i}].stage: {review['stage']} is not an ASYE review stage;"
                f" expected one of {list(ASYE_STAGES)}"
            )
    if profile is not None:
        _check_frequencies(items, profile)


def _check_pairs(items: dict[str, list[dict]]) -> None:
    """Agreements and one-to-one sessions belong to an existing relationship."""
    pairs = {(r["supervisor"], r["supervisee"]) for r in items["relationships"]}
    parties = {r["id"]: (r["supervisor"], r["supervisee"]) for r in items["relationships"]}
    supervised = {supervisee for _, supervisee in pairs}
    for i, a in enumerate(items["agreements"]):
        pair = (a["supervisor"], a["supervisee"])
        if pair not in pairs:
            raise FactsError(
                f"agreements[{i}]: no relationship in which {a['supervisor']!r} supervises"
                f" {a['supervisee']!r}"
            )
        named = a.get("relationship")
        if named is not None and parties.get(named) != pair:
            raise FactsError(
                f"agreements[{i}].relationship: {named!r} is not between"
                f" {a['supervisor']!r} and {a['supervisee']!r}"
            )
    for i, s in enumerate(items["sessions"]):
        if s.get("kind", "individual") == "group":
            continue  # led by a facilitator, who need not be the supervisor
        supervisor = s.get("supervisor")
        if supervisor is not None and (supervisor, s["supervisee"]) not in pairs:
            raise FactsError(
                f"sessions[{i}]: no relationship in which {supervisor!r} supervises"
                f" {s['supervisee']!r}"
            )
        if supervisor is None and s["supervisee"] not in supervised:
            raise FactsError(f"sessions[{i}].supervisee: {s['supervisee']!r} has no supervisor")


def _check_groups(items: dict[str, list[dict]]) -> None:
    versions: dict[str, set[int]] = {}
    for i, g in enumerate(items.get("group_agreements", ())):
        seen = versions.setdefault(g["group"], set())
        if g["version"] in seen:
            raise FactsError(
                f"group_agreements[{i}].version: group {g['group']!r} has version"
                f" {g['version']} twice"
            )
        seen.add(g["version"])
    signatories: dict[tuple, str] = {}
    for i, s in enumerate(items.get("group_signatories", ())):
        if s["group"] not in versions:
            raise FactsError(f"group_signatories[{i}].group: no group agreement {s['group']!r}")
        if s["version"] not in versions[s["group"]]:
            raise FactsError(
                f"group_signatories[{i}].version: group {s['group']!r} has no version"
                f" {s['version']}"
            )
        # A person is named once on a version and signs it once (as the app
        # records it: one signatory row per person and version).
        named = (s["group"], s["version"], s["staff"])
        if named in signatories:
            raise FactsError(
                f"group_signatories[{i}].staff: {s['staff']!r} is named on group"
                f" {s['group']!r} version {s['version']} twice (as {signatories[named]}"
                f" and as {s['party']}); a person signs a version once"
            )
        signatories[named] = s["party"]


def longest_weeks(rule: Rule | None) -> int | None:
    """The longest recorded frequency, in whole weeks, a cadence rule allows
    (its `may_vary_to`, else its own interval: a variation may only tighten)."""
    if rule is None:
        return None
    limit = rule.get("may_vary_to") or rule["every"]
    return max(1, math.floor(limit.approx_days() / 7 + 1e-9))


def _check_frequencies(items: dict[str, list[dict]], profile: Profile) -> None:
    """A recorded frequency within what the council's document allows."""
    roles = {s["id"]: s["role"] for s in items["staff"]}
    for i, a in enumerate(items["agreements"]):
        weeks = a.get("frequency_weeks")
        role = roles[a["supervisee"]]
        rule = profile.rule(f"supervision.role.{role}") or profile.rule("supervision.default")
        _within(f"agreements[{i}].frequency_weeks", weeks, rule)
    for i, c in enumerate(items["cases"]):
        rule = case_rule_for(profile, c["type"], c.get("category"))
        _within(f"cases[{i}].frequency_weeks", c.get("frequency_weeks"), rule)


def _within(where: str, weeks: int | None, rule: Rule | None) -> None:
    longest = longest_weeks(rule)
    if weeks is None or longest is None or weeks <= longest:
        return
    limit = rule.get("may_vary_to") or rule["every"]
    raise FactsError(
        f"{where}: {weeks} weeks is longer than {rule.source} allows ({limit});"
        f" expected 1 to {longest}"
    )
