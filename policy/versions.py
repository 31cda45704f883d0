"""Versions of a council's policy. Councils revise their documents (Wokingham's
runs from version 1 in 2017 to 3.0 in January 2024), and an inspector asks of
any obligation which version of the policy it was owed under. So a council's
profile folder holds every version it has adopted, each a whole rules file:

    policy/profiles/<council>/rules.yaml            the latest version
    policy/profiles/<council>/versions/<any>.yaml   each earlier version

Each file names its `version` (as the document does) and the day it takes
effect (`effective_from`); a version is in force from that day until the next
one's. A version is a whole document, not a patch on the one before: a
principal social worker checks it against the document as it was.

Which version an obligation is owed under: the one in force on the day it
opens, that is the day of the event its deadline counts from (the last
session, the start of the relationship, the allocation, the decision, the
record's session). A clock that started under one version runs to its end
under it: adopting a new version rewrites no history, met or open. An
escalation follows the obligation it escalates. Before the earliest version
takes effect, the earliest version is the one used (there is nothing older).
One exception, so a rule a version adds reaches what is already running: an
obligation under a rule the older version did not have (a case type it adds),
opened before the new version and not met by then, is owed under the new
version, falling due no earlier than the day it takes effect (a child-in-need
case allocated in 2023 and never discussed owes its discussion on that day).
Its escalation starts with its next cycle (the first step is not escalated).

Every citation must say which version it follows: a council with more than
one version gives each version its own document file (`source_file`) and a
title naming its version, so an obligation's stored source
("903_....txt standard 16") reads as "Harrowby Council: Supervision Policy
v3 (2024), standard 16" wherever it is shown (policy.documents.citation)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import yaml

from policy.context import Context
from policy.facts import Facts
from policy.obligations import Obligation
from policy.profile import Profile, ProfileError


def versions_of(profile: Profile) -> tuple[Profile, ...]:
    """Every version of the council's policy, earliest first."""
    return (*profile.earlier, profile)


def in_force(profile: Profile, day: date) -> Profile:
    """The version in force on `day` (the earliest, before any took effect)."""
    chosen = versions_of(profile)[0]
    for version in versions_of(profile):
        if version.effective_from <= day:
            chosen = version
    return chosen


def find_version(profile: Profile, label: str) -> Profile:
    for version in versions_of(profile):
        if version.version == label:
            return version
    known = [v.version for v in versions_of(profile)]
    raise ProfileError(f"{profile.name} has no version {label!r}; its versions are {known}")


def relevant_day(ob: Obligation, by_key: Mapping[str, Obligation]) -> date:
    """The day whose version an obligation is owed under: the day it opens, or
    for an escalation the day the obligation it escalates opened."""
    seen = {ob.key}
    while ob.escalates and ob.escalates in by_key and ob.escalates not in seen:
        ob = by_key[ob.escalates]
        seen.add(ob.key)
    return ob.opens_on


def keep_in_force(
    profile: Profile, owed: Sequence[Iterable[Obligation]], as_of: date
) -> list[Obligation]:
    """From what each version owes on as_of (in the order of versions_of), the
    obligations each owes for the days it is in force, and those it adopts."""
    versions = versions_of(profile)
    if len(versions) == 1:
        return list(owed[0])
    kept: list[Obligation] = []
    for i, obligations in enumerate(owed):
        start = versions[i].effective_from if i else date.min
        end = versions[i + 1].effective_from if i + 1 < len(versions) else date.max
        obligations = list(obligations)
        by_key = {ob.key: ob for ob in obligations}
        taken = {_slot(ob) for ob in kept}
        for ob in obligations:
            day = relevant_day(ob, by_key)
            if start <= day < end:
                kept.append(ob)
            elif day < start and _adopts(profile, ob, day, start) and _slot(ob) not in taken:
                kept.append(_from_first_day(versions[i], ob, start, as_of))
    return kept


def _slot(ob: Obligation) -> tuple[str, str, date]:
    """What an obligation is owed for, whatever version sets its terms: a cycle's
    step opens on the same event under every version."""
    return (ob.kind, ob.subject, ob.opens_on)


def _adopts(profile: Profile, ob: Obligation, day: date, start: date) -> bool:
    """A version takes over what opened before it only under a rule the version
    then in force did not have (a case type it adds), and only if not met by then."""
    met_before = ob.met_on is not None and ob.met_on < start
    return not ob.escalates and not met_before and in_force(profile, day).rule(ob.rule) is None


def _from_first_day(version: Profile, ob: Obligation, start: date, as_of: date) -> Obligation:
    """An obligation a version adds to what was already running: owed from the
    day the version takes effect, never before it."""
    due = max(ob.due, start)
    status = Context(version, Facts(), as_of).status(due, ob.met_on)
    return dataclasses.replace(ob, due=due, status=status)


def earliest_wakes(wakes: Iterable[Mapping[str, date | None]]) -> dict[str, date | None]:
    """Per lifecycle, the first day any version's answer can change."""
    merged: dict[str, date | None] = {}
    for each in wakes:
        for lifecycle, day in each.items():
            days = [d for d in (merged.get(lifecycle), day) if d is not None]
            merged[lifecycle] = min(days, default=None)
    return merged


# --- loading: the checks that need every version at once --------------------------


def _line(path: str, field: str) -> int:
    """The line a top-level field is on, for an error message (0 if absent)."""
    root = yaml.compose(Path(path).read_text(encoding="utf-8"))
    for key, _value in getattr(root, "value", ()):
        if getattr(key, "value", None) == field:
            return key.start_mark.line + 1
    return 0


def _refuse(version: Profile, field: str, problem: str) -> ProfileError:
    return ProfileError(f"{version.path}:{_line(version.path, field)}: {field}: {problem}")


def with_earlier_versions(current: Profile, earlier: Sequence[Profile]) -> Profile:
    """The council's latest version (its rules.yaml) carrying its earlier ones,
    checked: each earlier version takes effect before the latest and on its own
    day, has its own label and its own document, and, when there are several,
    every title names its version."""
    if not earlier:
        return current
    ordered = sorted(earlier, key=lambda v: v.effective_from)
    everyone = [*ordered, current]
    for version in ordered:
        if version.effective_from >= current.effective_from:
            raise _refuse(
                version,
                "effective_from",
                f"{version.effective_from} is not before {current.effective_from}, when"
                f" {current.path} takes effect (rules.yaml holds the latest version)",
            )
    for version in ordered:
        for other in everyone:
            for field in ("version", "effective_from", "source_file"):
                shown = getattr(version, field)
                if other is not version and shown == getattr(other, field):
                    raise _refuse(version, field, f"{shown} is also in {other.path}")
    for version in everyone:
        if version.version not in version.title:
            raise _refuse(
                version,
                "title",
                f"{version.title!r} does not name its version {version.version!r}; with"
                " several versions every title names its own, so each citation says which",
            )
    return dataclasses.replace(current, earlier=tuple(ordered))
