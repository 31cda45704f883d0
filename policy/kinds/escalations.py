"""What an escalation says is wrong, who owes the work and what closes it, by
the escalated kind, in plain words: "Ben Foster's supervision was due on
3 November 2026 and has not been recorded as held."

Fields: {owner} (whoever owes the overdue work), {supervisee} and
{supervisor} (of the relationship it is about), {due} (the day it was due,
written out), {group} (a supervision group's name), {case} (a case ID). A
field the caller cannot fill reads as neutral words (CAUSE_DEFAULTS), so the
mail and the page share one wording (webapp/escalations.py, models/actions/mail.py)."""

from __future__ import annotations

from string import Formatter

_CLOSES = "This closes itself when"
OVERDUE_CAUSES: dict[str, str] = {
    "agreement": "{owner} has not drawn up and signed the supervision agreement with "
    "{supervisee}, which was due by {due}. {_CLOSES} both have signed it.",
    "agreement_countersign": "{owner} has not countersigned the supervision agreement that "
    "{supervisor} signed, which was due by {due}. {_CLOSES} they countersign it.",
    "group_agreement_sign": "{owner} has not signed the group supervision agreement for "
    "{group}, which was due by {due}. {_CLOSES} they sign it.",
    "group_agreement_review": "The group supervision agreement for {group} was due for review "
    "by {due} and has not been reviewed. {owner}, who supervises the group, owes the review. "
    "{_CLOSES} the reviewed version is issued.",
    "supervision": "{supervisee}'s supervision was due on {due} and has not been recorded as "
    "held. {owner}, the supervisor, owes it. {_CLOSES} the session is recorded.",
    "asye_reflective_supervision": "{supervisee}'s ASYE reflective supervision was due on "
    "{due} and has not been recorded as held. {owner}, the supervisor, owes it. "
    "{_CLOSES} the session is recorded.",
    "case_supervision": "Case {case} was due for case supervision on {due} and none has been "
    "recorded. {owner}, the supervisor of its allocated worker, owes it. "
    "{_CLOSES} the case direction is recorded.",
}

# What a field reads as when the caller does not know it.
CAUSE_DEFAULTS = {
    "owner": "whoever holds it",
    "supervisee": "the supervisee",
    "supervisor": "the supervisor",
    "due": "its due date",
    "group": "the group",
    "case": "this case",
    "_CLOSES": _CLOSES,
}
FALLBACK_CAUSE = "{owner} has not done this by {due}. {_CLOSES} it is done."


def overdue_cause(kind_name: str | None, **fields: str | None) -> str:
    """What is wrong with the overdue work of this kind, filled in with what
    the caller knows; the first letter is a capital whatever fills it."""
    template = OVERDUE_CAUSES.get(kind_name or "", FALLBACK_CAUSE)
    known = {**CAUSE_DEFAULTS, **{k: v for k, v in fields.items() if v}}
    text = Formatter().vformat(template, (), known)
    return text[:1].upper() + text[1:]
