"""Lancashire's Group Supervision Agreement (Appendix A): the supervisor /
team manager draws it up and signs it, then the team coordinator and each
supervisee named on it sign. It is in force once everyone named has signed,
and is reviewed at least annually; the supervisor signing a newer version is
the review (as for the one-to-one agreement, policy/rules/agreement.py).

Only a group's latest version is owed signatures: issuing a new one (a
change of members, an amendment) replaces any version still being signed.
Someone who has left is not chased for a signature."""

from __future__ import annotations

from collections import defaultdict

from policy import keys
from policy.context import Context
from policy.facts import GroupAgreement, GroupSignatory
from policy.obligations import Obligation
from policy.rules.escalation import escalate


def _versions(ctx: Context) -> dict[str, list[GroupAgreement]]:
    """Each group's issued versions, earliest first."""
    groups: dict[str, list[GroupAgreement]] = defaultdict(list)
    for version in ctx.facts.group_agreements:
        if ctx.known(version.issued_on):
            groups[version.group].append(version)
    return {g: sorted(vs, key=lambda v: v.version) for g, vs in sorted(groups.items())}


def _signatories(ctx: Context, version: GroupAgreement) -> list[GroupSignatory]:
    return [
        s
        for s in ctx.facts.group_signatories
        if s.group == version.group and s.version == version.version
    ]


def in_force_on(ctx: Context, version: GroupAgreement):
    """The day the last person named signed, or None while anyone has not."""
    signed = [ctx.known(s.signed_on) for s in _signatories(ctx, version)]
    if not signed or any(d is None for d in signed):
        return None
    return max([version.issued_on, *signed])


def group_signing_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("agreement.group")
    if rule is None:
        return []
    out: list[Obligation] = []
    for group, versions in _versions(ctx).items():
        latest = versions[-1]
        if _ended(ctx, latest):
            continue
        due = rule["sign_within"].after(latest.issued_on)
        for signatory in _signatories(ctx, latest):
            if signatory.party == "supervisor":
                continue
            signed_on = ctx.known(signatory.signed_on)
            if signed_on is None and ctx.has_left(signatory.staff):
                continue
            owed = ctx.owe(
                rule=rule,
                key=keys.build(
                    "group_agreement_sign",
                    group=group,
                    version=latest.version,
                    staff=signatory.staff,
                ),
                kind="group_agreement_sign",
                lifecycle="agreement",
                subject=group,
                assignee=signatory.staff,
                assignee_role=signatory.party,
                opens_on=latest.issued_on,
                due=due,
                met_on=signed_on,
            )
            out.append(owed)
            out += escalate(ctx, owed, supervisor=latest.supervisor, supervisee=signatory.staff)
    return out


def group_review_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("agreement.group")
    if rule is None:
        return []
    out: list[Obligation] = []
    for group, versions in _versions(ctx).items():
        if _ended(ctx, versions[-1]) or ctx.has_left(versions[-1].supervisor):
            continue
        for version in versions:
            started = in_force_on(ctx, version)
            if started is None:
                continue
            reviewed = next((v.issued_on for v in versions if v.issued_on > started), None)
            due = rule["review_every"].after(started)
            owed = ctx.owe(
                rule=rule,
                key=keys.build("group_agreement_review", group=group, due=due),
                kind="group_agreement_review",
                lifecycle="agreement_review",
                subject=group,
                assignee=version.supervisor,
                assignee_role="supervisor",
                opens_on=started,
                due=due,
                met_on=reviewed,
            )
            out.append(owed)
            out += escalate(ctx, owed, supervisor=version.supervisor, supervisee=None)
    return out


def _ended(ctx: Context, version: GroupAgreement) -> bool:
    return ctx.known(version.ended_on) is not None
