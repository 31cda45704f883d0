"""A missed session raised and escalated, as recorded facts with their own
human tasks (Wokingham standard 14: "In the event that supervision does not
take place within 3 weeks of the due date, the supervisee is responsible for
raising it with their supervisor"; standard 15: "If the situation is not
rectified they must escalate this to their supervisor's line manager").

For each personal supervision session not held within `raise_after` of its
due date, the chain is owed step by step, each step only once the one before
is recorded (policy.facts.MissedSession):

1. `missed-raise:{rel}:{due}`: the supervisee raises it with the supervisor;
2. `missed-escalate:{rel}:{due}`: not put right `escalate_after` raising it,
   the supervisee escalates it to the supervisor's line manager;
3. `missed-response:{rel}:{due}`: the line manager responds.

Each is done within `respond_within` of opening, and is met as soon as the
session is held (the situation rectified) or the step is recorded."""

from __future__ import annotations

from datetime import date

from policy import keys
from policy.context import Context
from policy.facts import MissedSession, Relationship
from policy.obligations import Obligation
from policy.profile import Rule
from policy.rules.personal_supervision import personal_steps


def missed_session_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("supervision.missed")
    if rule is None:
        return []
    out: list[Obligation] = []
    for rel in ctx.own_relationships:
        raised = {
            m.due: m
            for m in ctx.facts.missed_sessions
            if m.relationship == rel.id and ctx.known(m.raised_on)
        }
        for step in personal_steps(ctx, rel):
            opens = rule["raise_after"].after(step.due)
            held = ctx.known(step.met_on)
            # Held within the time the document allows: nothing to raise.
            if (held is not None and held <= opens) or not ctx.reached(opens):
                continue
            out += _chain(ctx, rule, rel, (step.due, opens, held), raised.get(step.due))
    return out


def _first(*days: date | None) -> date | None:
    return min((d for d in days if d is not None), default=None)


def _chain(ctx: Context, rule: Rule, rel: Relationship, when, fact: MissedSession | None):
    due, opens, held = when
    within = rule["respond_within"]
    owe = _owe(ctx, rule, rel, due)
    out = [
        owe("missed_raise", "missed_session_raise", rel.supervisee, "supervisee", opens,
            within.after(opens), _first(fact and ctx.known(fact.raised_on), held))
    ]  # fmt: skip
    if fact is None:
        return out
    escalate_from = rule["escalate_after"].after(fact.raised_on)
    if (held is not None and held <= escalate_from) or not ctx.reached(escalate_from):
        return out
    escalated = ctx.known(fact.escalated_on)
    out.append(
        owe("missed_escalate", "missed_session_escalate", rel.supervisee, "supervisee",
            escalate_from, within.after(escalate_from), _first(escalated, held))
    )  # fmt: skip
    if escalated is None:
        return out
    manager = ctx.line_manager_of(rel.supervisor)
    out.append(
        owe("missed_response", "missed_session_response", manager,
            "line_manager" if manager else "head_of_service", escalated,
            within.after(escalated), _first(ctx.known(fact.responded_on), held))
    )  # fmt: skip
    return out


def _owe(ctx: Context, rule: Rule, rel: Relationship, due: date):
    def owe(family, kind, assignee, role, opens_on, due_on, met_on) -> Obligation:
        return ctx.owe(
            rule=rule,
            key=keys.build(family, relationship=rel.id, due=due),
            kind=kind,
            lifecycle="personal_supervision",
            subject=rel.id,
            assignee=assignee,
            assignee_role=role,
            opens_on=opens_on,
            due=due_on,
            met_on=met_on,
            note=f"The session due on {due.isoformat()} has not taken place.",
        )

    return owe
