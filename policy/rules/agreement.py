"""The written supervision agreement: drawn up and signed by both parties
within the profile's deadline of the event it names (a relationship starting,
or for Lancashire §1.4 a new starter starting their job), then reviewed on the
profile's cycle.

The deadline is for signature by both, so when the supervisor has signed and
the supervisee has not, the drawing-up is met and the countersignature is owed
by the same deadline."""

from __future__ import annotations

from policy import keys
from policy.context import Context
from policy.facts import Relationship
from policy.obligations import Obligation
from policy.rules.escalation import escalate


def agreement_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("agreement.deadline")
    if rule is None:
        return []
    out: list[Obligation] = []
    for rel in ctx.own_relationships:
        due = rule["within"].after(deadline_counts_from(ctx, rule, rel))
        versions = ctx.agreements_for(rel)
        both = next((a for a in versions if ctx.known(a.signed_on)), None)
        first = versions[0] if versions else None
        drawn_up_on = both.signed_on if both else (first.supervisor_signed_on if first else None)
        drawn_up = ctx.owe(
            rule=rule,
            key=keys.build("agreement", relationship=rel.id),
            kind="agreement",
            lifecycle="agreement",
            subject=rel.id,
            assignee=rel.supervisor,
            assignee_role="supervisor",
            opens_on=rel.started_on,
            due=due,
            met_on=drawn_up_on,
        )
        out.append(drawn_up)
        out += _escalations(ctx, drawn_up, rel)
        awaiting_from = first.supervisor_signed_on if first else None
        if awaiting_from is not None:
            countersign = ctx.owe(
                rule=rule,
                key=keys.build("agreement_countersign", relationship=rel.id),
                kind="agreement_countersign",
                lifecycle="agreement",
                subject=rel.id,
                assignee=rel.supervisee,
                assignee_role="supervisee",
                opens_on=min(awaiting_from, both.signed_on) if both else awaiting_from,
                due=due,
                met_on=both.signed_on if both else None,
            )
            out.append(countersign)
            out += _escalations(ctx, countersign, rel)
    return out


def deadline_counts_from(ctx: Context, rule, rel: Relationship):
    """The event the agreement deadline counts from (the rule's `counts_from`).
    It is owed from the day the relationship starts, so when that is later (a
    new starter's supervisor named late) it falls due that day at the earliest."""
    if rule.get("counts_from") == "job_start":
        return ctx.job_clock_start(rel)
    return rel.started_on


def _escalations(ctx: Context, owed: Obligation, rel: Relationship) -> list[Obligation]:
    return escalate(ctx, owed, supervisor=rel.supervisor, supervisee=rel.supervisee)


def agreement_review_obligations(ctx: Context) -> list[Obligation]:
    """Each agreement in force falls due for review a cycle later; a newer
    signed version of the agreement is the review (reviews are re-signed), and
    starts the next cycle. Where the profile has a review questionnaire
    (Lancashire's Supervision Annual Review), it is owed with each review and
    each completed one is owed to the supervisor's line manager."""
    rule = ctx.profile.rule("agreement.review")
    if rule is None:
        return []
    questionnaire = ctx.profile.rule("agreement.review_questionnaire")
    out: list[Obligation] = []
    for rel in ctx.own_relationships:
        versions = ctx.agreements_for(rel)
        signed = sorted({a.signed_on for a in versions if ctx.known(a.signed_on)})
        # The supervisor re-signing a new version is the review, as drawing up
        # is for the first agreement; the supervisee's countersignature follows.
        drawn_up = sorted(
            {d for a in versions if (d := ctx.known(a.supervisor_signed_on or a.signed_on))}
        )
        out += _later_countersignatures(ctx, rel, versions)
        completed = sorted(
            q.reviewed_on
            for q in ctx.facts.review_questionnaires
            if q.relationship == rel.id and ctx.known(q.reviewed_on)
        )
        for in_force in signed:
            reviewed = next((d for d in drawn_up if d > in_force), None)
            due = ctx.profile.agreement_review_due(in_force)
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("agreement_review", relationship=rel.id, due=due),
                    kind="agreement_review",
                    lifecycle="agreement_review",
                    subject=rel.id,
                    assignee=rel.supervisor,
                    assignee_role="supervisor",
                    opens_on=in_force,
                    due=due,
                    met_on=reviewed,
                )
            )
            if questionnaire is not None:
                window = (in_force, reviewed, due)
                out.append(_questionnaire_owed(ctx, questionnaire, rel, window, completed))
        if questionnaire is not None:
            out += _forwarding_obligations(ctx, questionnaire, rel)
    return out


def _questionnaire_owed(ctx: Context, questionnaire, rel, window, completed) -> Obligation:
    in_force, reviewed, due = window
    # The form completed after this version came into force, up to and
    # including the day the review re-signed it, belongs to this review.
    done = [d for d in completed if in_force < d and (reviewed is None or d <= reviewed)]
    return ctx.owe(
        rule=questionnaire,
        key=keys.build("review_questionnaire", relationship=rel.id, due=due),
        kind="review_questionnaire",
        lifecycle="agreement_review",
        subject=rel.id,
        assignee=rel.supervisee,
        assignee_role="supervisee",
        opens_on=in_force,
        due=due,
        met_on=done[0] if done else None,
    )


def _later_countersignatures(ctx: Context, rel: Relationship, versions) -> list[Obligation]:
    """A version after the first (a review or an amendment), signed by the
    supervisor, is owed the supervisee's countersignature within the same
    period the profile gives for agreeing an agreement; it is in force only
    once both have signed."""
    rule = ctx.profile.rule("agreement.deadline")
    out: list[Obligation] = []
    for version in versions[1:]:
        drawn_up_on = ctx.known(version.supervisor_signed_on)
        if rule is None or drawn_up_on is None:
            continue
        owed = ctx.owe(
            rule=rule,
            key=keys.build("agreement_version_countersign", relationship=rel.id, day=drawn_up_on),
            kind="agreement_countersign",
            lifecycle="agreement_review",
            subject=rel.id,
            assignee=rel.supervisee,
            assignee_role="supervisee",
            opens_on=drawn_up_on,
            due=rule["within"].after(drawn_up_on),
            met_on=ctx.known(version.signed_on),
        )
        out.append(owed)
        out += _escalations(ctx, owed, rel)
    return out


def _forwarding_obligations(ctx: Context, rule, rel: Relationship) -> list[Obligation]:
    """Lancashire Appendix A: "A copy of this completed form should be forwarded
    to the supervisor's line manager"; one obligation per completed form."""
    forwarded: dict = {}
    for q in ctx.facts.review_questionnaires:
        if q.relationship != rel.id or not ctx.known(q.reviewed_on):
            continue
        earlier = forwarded.get(q.reviewed_on)
        on = ctx.known(q.forwarded_on)
        forwarded[q.reviewed_on] = min(d for d in (earlier, on) if d) if (earlier or on) else None
    manager = ctx.line_manager_of(rel.supervisor)
    return [
        ctx.owe(
            rule=rule,
            key=keys.build("review_questionnaire_forward", relationship=rel.id, day=reviewed_on),
            kind="review_questionnaire_forward",
            lifecycle="agreement_review",
            subject=rel.id,
            assignee=rel.supervisor,
            assignee_role="supervisor",
            opens_on=reviewed_on,
            due=rule["forward_within"].after(reviewed_on),
            met_on=on,
            note=f"Forward to {manager}, the supervisor's line manager" if manager else "",
        )
        for reviewed_on, on in sorted(forwarded.items())
    ]
