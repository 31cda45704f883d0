"""Actions agreed in supervision, as obligations: each action with an owner
and a date is owed by its owner by that date, so one not done in time is
overdue in the owner's inbox (Wokingham standard 6 "ensuring actions agreed
at previous supervisions have been completed"; Lancashire record §1 "check
actions have been completed"; Bristol Appendix 3 "Actions: Who? By when?";
North West "make sure you follow through and complete any actions as
agreed"). It is met when the owner marks it done, or when the next session's
review of previous actions records it done; until that review it is listed
there, so an overdue action is raised at the next session.

Key: `action:{action}` (the action's fact id, "act-12"). The action belongs
to the supervisee's unit: their session agreed it, whoever owns it."""

from __future__ import annotations

from policy import keys
from policy.context import Context
from policy.obligations import Obligation


def action_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("supervision.actions")
    if rule is None:
        return []
    owed_by = {person.id for person in ctx.own_staff if not ctx.has_left(person.id)}
    out = []
    for action in ctx.facts.actions:
        person = action.supervisee
        if person in owed_by and ctx.known(action.agreed_on):
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("session_action", action=action.id),
                    kind="session_action",
                    lifecycle="recording",
                    subject=person,
                    assignee=action.owner,
                    assignee_role="supervisee" if action.owner == person else "supervisor",
                    opens_on=action.agreed_on,
                    due=action.due_on,
                    met_on=action.done_on,
                )
            )
    return out
