"""Audits of supervision records: a supervisor's records are audited by their
line manager on an annual basis (Wokingham, Quality Assurance: "audits of
personal supervision records should be undertaken on an annual basis by
relevant managers"; Nottingham §2.2 and Appendix 6: the Supervision File
Audit Check List, completed by the supervisor's line manager), and, where
the council asks, the audit is discussed with the supervisor (Wokingham:
"discussed with the supervisor and placed on the supervisor's file").

Keys: `record-audit:{staff}:{due}` (the supervisor audited), and
`record-audit-discuss:{staff}:{audited on}`.

Who is audited: everyone supervising someone on the as-of date. The first
audit is due a cycle after the earliest of their current supervision
relationships began (or after their last audit before it); each later one a
cycle after the audit before it, so no two audits are more than a cycle apart."""

from __future__ import annotations

from datetime import date

from policy import keys
from policy.context import Context
from policy.facts import RecordAudit, Staff
from policy.obligations import Obligation
from policy.profile import Rule


def record_audit_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("record_audit")
    if rule is None:
        return []
    out: list[Obligation] = []
    for person in ctx.own_staff:
        audits = sorted(
            (a for a in ctx.facts.record_audits if a.supervisor == person.id),
            key=lambda a: a.audited_on,
        )
        if ctx.has_left(person.id):
            continue
        out += _audits_owed(ctx, rule, person, audits)
        if rule.get("discuss_within") is not None:
            out += [
                _discussion_owed(ctx, rule, person, a) for a in audits if ctx.known(a.audited_on)
            ]
    return out


def _audits_owed(ctx: Context, rule: Rule, person: Staff, audits: list[RecordAudit]):
    starts = [r.started_on for r in ctx.supervising_relationships if r.supervisor == person.id]
    if not starts:
        return []
    done = [d for a in audits if (d := ctx.known(a.audited_on))]
    first = min(starts)
    anchor = max((d for d in done if d <= first), default=first)
    manager = ctx.line_manager_of(person.id)
    out = []
    while True:
        due = rule["every"].after(anchor)
        met_on = next((d for d in done if d > anchor), None)
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("record_audit", staff=person.id, due=due),
                kind="record_audit",
                lifecycle="record_audit",
                subject=person.id,
                assignee=manager,
                assignee_role="line_manager" if manager else "head_of_service",
                opens_on=anchor,
                due=due,
                met_on=met_on,
            )
        )
        if met_on is None:
            return out
        anchor = met_on


def _discussion_owed(ctx: Context, rule: Rule, person: Staff, audit: RecordAudit) -> Obligation:
    audited_on: date = audit.audited_on
    return ctx.owe(
        rule=rule,
        key=keys.build("record_audit_discuss", staff=person.id, day=audited_on),
        kind="record_audit_discuss",
        lifecycle="record_audit",
        subject=person.id,
        assignee=person.id,
        assignee_role="supervisor",
        opens_on=audited_on,
        due=rule["discuss_within"].after(audited_on),
        met_on=audit.discussed_on,
        note="Discuss the audit of your supervision records with the manager who audited them.",
    )
