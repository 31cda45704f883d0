"""Case supervision: every open case supervised on its type's cadence, the
first within the profile's limit of allocation; a per-case frequency recorded
by the supervisor may tighten it, and loosen it only as far as the document
allows (Lancashire §1.9: "should not normally leave it longer than 8 weeks").
Keys: `case:{case.id}:{due}`."""

from __future__ import annotations

from datetime import date

from policy import keys
from policy.context import Context
from policy.facts import Case
from policy.obligations import Obligation
from policy.profile import Profile, Rule
from policy.rules import cadence
from policy.rules.escalation import escalate
from policy.rules.personal_supervision import vary


def case_rule_for(profile: Profile, case_type: str, category: str | None = None) -> Rule | None:
    """The cadence a case follows: its recorded category's where the document
    sets one for cases of this type (Nottingham §1.6: a settled child in care,
    a child in need stepping down), else its type's, else the default."""
    if category is not None:
        by_category = profile.rule(f"case_supervision.category.{category}")
        types = by_category.get("types") if by_category is not None else None
        if by_category is not None and (types is None or case_type in types):
            return by_category
    return profile.rule(f"case_supervision.{case_type}") or profile.rule("case_supervision.default")


def case_rule(ctx: Context, case: Case) -> Rule | None:
    return case_rule_for(ctx.profile, case.type, case.category)


def is_open(ctx: Context, case: Case) -> bool:
    return (
        ctx.known(case.allocated_on) is not None
        and (case.closed_on is None or not ctx.reached(case.closed_on))
        and not ctx.has_left(case.worker)
    )


def case_steps(ctx: Context, case: Case) -> list[cadence.Step]:
    rule = case_rule(ctx, case)
    if rule is None:
        return []
    every = vary(rule, case.frequency_weeks)
    first = ctx.profile.rule("case_supervision.first")

    def due_after(last: date):
        due = every.after(last)
        if last == case.allocated_on and first is not None:
            first_due = first["within"].after(last)
            if first_due < due:
                return first_due, first
        return due, rule

    supervised = [day for day in case.supervised_on if ctx.known(day)]
    return cadence.run(
        due_after, ctx.replay_start(keys.cycle("case", case.id), case.allocated_on), supervised
    )


def case_supervision_obligations(ctx: Context) -> list[Obligation]:
    out: list[Obligation] = []
    for case in sorted(ctx.facts.cases, key=lambda c: c.id):
        if not is_open(ctx, case):
            continue
        rel = ctx.relationship_of(case.worker)
        supervisor = rel.supervisor if rel else None
        for step in case_steps(ctx, case):
            owed = ctx.owe(
                rule=step.rule,
                key=keys.build("case", case=case.id, due=step.due),
                kind="case_supervision",
                lifecycle="case_supervision",
                subject=case.id,
                assignee=supervisor,
                assignee_role="supervisor",
                opens_on=step.opens_on,
                due=step.due,
                met_on=step.met_on,
            )
            out.append(owed)
            out += escalate(ctx, owed, supervisor=supervisor, supervisee=case.worker)
    return out
