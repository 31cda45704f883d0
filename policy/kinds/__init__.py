"""Every kind of human task, declared once: the lifecycles that owe it, how
the inbox labels it, the title a task of it gets, the form that completes it
(and what the form's URL takes), whether it can be handed on, whether it is
completed by acknowledging it, and whether only the named supervisor may do
it. Titles are templates filled in with names at reconcile time
(models/engine/task_titles.py); the web app reads the rest (webapp/inbox).

Template fields: {supervisee}, {supervisor} (of the relationship the task is
about), {person} (the member of staff it is about), {on} (the day in its key,
written out), {case}, {group}, {stage} (an ASYE review's month), {which} (which
of a numbered series it is: " (2 of 3 in the year from 1 April 2026)", or ""),
{due} (the day it falls due, written out).

Declared by area: supervision.py (agreements, reviews, sessions, records,
actions), casework.py (children's cases), oversight.py (observations, the ASYE
year, sampling, audits, checks, retention, cover, load, escalation);
escalations.py says what each escalation's cause is."""

from __future__ import annotations

from policy.kinds import casework, oversight, supervision
from policy.kinds.escalations import OVERDUE_CAUSES, overdue_cause
from policy.kinds.kind import Kind

__all__ = [
    "DEFAULT",
    "KINDS",
    "OVERDUE_CAUSES",
    "Kind",
    "kind",
    "of_family",
    "of_lifecycle",
    "overdue_cause",
]

_KINDS = (*supervision.KINDS, *casework.KINDS, *oversight.KINDS)

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
