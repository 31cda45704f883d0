"""Escalating an obligation that is still unmet after its due date, along the
profile's chain (`escalation` rule: a list of steps, each with its delay after
the due date, who acts, and its citation). Escalations belong to the lifecycle
of what they escalate. Keys: the first step is `escalation:{key}`, later steps
`escalation:{key}:{n}`."""

from __future__ import annotations

from policy import keys
from policy.context import Context
from policy.obligations import Obligation, ObligationStatus


def escalate(
    ctx: Context, owed: Obligation, *, supervisor: str | None, supervisee: str | None
) -> list[Obligation]:
    rule = ctx.profile.rule("escalation")
    if rule is None or owed.status is ObligationStatus.MET:
        return []
    out = []
    for number, step in enumerate(rule["steps"], start=1):
        opens_on = step["after"].after(owed.due)
        if not ctx.reached(opens_on):
            break
        assignee, role = _who(ctx, step["who"], supervisor=supervisor, supervisee=supervisee)
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.escalation(owed.key, number),
                kind="escalation",
                lifecycle=owed.lifecycle,
                subject=owed.subject,
                assignee=assignee,
                assignee_role=role,
                opens_on=opens_on,
                due=step["respond_within"].after(opens_on),
                escalates=owed.key,
                source=step["source"],
                text=step["text"],
            )
        )
    return out


def _who(
    ctx: Context, who: str, *, supervisor: str | None, supervisee: str | None
) -> tuple[str | None, str]:
    if who == "supervisee":
        return supervisee, "supervisee"
    if who == "supervisor":
        return supervisor, "supervisor"
    if who == "line_manager":
        manager = ctx.line_manager_of(supervisor)
        # No line manager on record: the head of service owns it, as nobody else can.
        return (manager, "line_manager") if manager else (None, "head_of_service")
    return None, "head_of_service"
