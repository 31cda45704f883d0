"""What an escalation says is wrong and what closes it, by the escalated kind."""

from __future__ import annotations

# What an escalation says is wrong and what closes it, by the escalated kind;
# {owner} is whoever owes the overdue work (webapp/escalations.py).
_CLOSES = "This closes itself when"
OVERDUE_CAUSES: dict[str, str] = {
    "agreement": "{owner} has not drawn up and signed the supervision agreement by its "
    f"deadline. {_CLOSES} both have signed it.",
    "agreement_countersign": "{owner} has not countersigned the supervision agreement by its "
    f"deadline. {_CLOSES} they countersign it.",
    "group_agreement_sign": "{owner} has not signed the group supervision agreement by its "
    f"deadline. {_CLOSES} they sign it.",
    "group_agreement_review": "{owner} has not reviewed the group supervision agreement by its "
    f"review date. {_CLOSES} the reviewed version is issued.",
    "supervision": "{owner} has not held and recorded a supervision session by its due date. "
    f"{_CLOSES} the session is recorded.",
    "asye_reflective_supervision": "{owner} has not held and recorded the ASYE reflective "
    f"supervision by its due date. {_CLOSES} the session is recorded.",
    "case_supervision": "{owner} has not supervised this case within the interval its case "
    f"type requires. {_CLOSES} the case direction is recorded.",
}
