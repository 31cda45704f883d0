"""Recorded management oversight between case supervisions (Wokingham
standards 25-27: Early Help, Care Leavers and Supervising Social Workers
cases "will be subject to supervision at least every 8 weeks [3 months for
care leavers], with recorded management oversight on alternate months").

Each open case of the rule's `types` owes at least one management oversight
entry on the child's record (policy.facts.CaseOversight) in each `every`
(2 months: "alternate months") counted from its allocation to its worker;
the windows in view are the current one and the one before it. The case
direction recorded after a case supervision is not counted: the standard
asks for oversight on the months between supervisions, in addition to them.

Key: `case-oversight:{case}:{window start}`."""

from __future__ import annotations

from datetime import date, timedelta

from policy import keys
from policy.context import Context
from policy.obligations import Obligation
from policy.rules.windows import recent_windows


def case_oversight_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("case_oversight")
    if rule is None:
        return []
    out = []
    for case in ctx.facts.cases:
        if case.type not in rule["types"] or not ctx.known(case.allocated_on):
            continue
        if case.closed_on is not None and ctx.reached(case.closed_on):
            continue
        recorded = sorted(
            o.recorded_on
            for o in ctx.facts.case_oversights
            if o.case == case.id and ctx.known(o.recorded_on)
        )
        rel = ctx.relationship_of(case.worker)
        for start, end in recent_windows(ctx, case.allocated_on, rule["every"]):
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("case_oversight", case=case.id, day=start),
                    kind="case_oversight",
                    lifecycle="case_supervision",
                    subject=case.id,
                    assignee=rel.supervisor if rel else None,
                    assignee_role="supervisor",
                    opens_on=start,
                    due=end - timedelta(days=1),
                    met_on=next((d for d in recorded if start <= d < end), None),
                )
            )
    return out


def window_bound(as_of: date, every) -> date:
    """The earliest day an oversight entry can meet a window in view (with slack)."""
    return as_of - timedelta(days=int(3 * every.approx_days()))
