"""The ASYE year beyond its supervision cadence (policy/rules/personal_supervision.py):
the 3-, 6- and 12-month reviews and the observations of practice owed within
the year. The seeds name the ASYE year and its cadence but not its reviews;
these follow the Skills for Care ASYE framework, as each profile's note says.

The year runs from `asye_started_on`, else the start date. Both are owed to
the supervisee's current supervisor, and only while they matter: nothing is
reported once a year has passed since the last of them fell due, so a worker
still flagged ASYE years later has no stale reviews.

Keys: `asye-review:{staff}:{stage}` (stage = the month: 3, 6, 12),
`asye-observation:{staff}:{n}`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from policy import keys
from policy.context import Context
from policy.durations import Duration
from policy.facts import Relationship, Staff
from policy.obligations import Obligation
from policy.rules.personal_supervision import asye_obligations as asye_session_obligations

AFTERWARDS = Duration(12, "months")  # how long a missed one stays in view


def _asye_workers(ctx: Context) -> Iterator[tuple[Staff, Relationship, date]]:
    """(person, current relationship, ASYE start) for each ASYE worker supervised now."""
    for person, rel in ctx.own_supervisees:
        if person.asye:
            yield person, rel, person.asye_started_on or person.started_on


def asye_review_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("asye.reviews")
    if rule is None:
        return []
    out = []
    for person, rel, start in _asye_workers(ctx):
        if ctx.reached(AFTERWARDS.after(max(rule["at"]).after(start))):
            continue
        for at in rule["at"]:
            reviewed = sorted(
                r.reviewed_on
                for r in ctx.facts.asye_reviews
                if r.staff == person.id and r.stage == at.amount and ctx.known(r.reviewed_on)
            )
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("asye_review", staff=person.id, stage=at.amount),
                    kind="asye_review",
                    lifecycle="asye",
                    subject=person.id,
                    assignee=rel.supervisor,
                    assignee_role="supervisor",
                    opens_on=start,
                    due=at.after(start),
                    met_on=reviewed[0] if reviewed else None,
                )
            )
    return out


def asye_observation_obligations(ctx: Context) -> list[Obligation]:
    """`count` observations of practice within the year, spread evenly through
    it (with 3 in 12 months: one by month 4, two by month 8, three by month
    12) so none is left to the final month. The n-th practice observation in
    the year meets the n-th."""
    rule = ctx.profile.rule("asye.observations")
    if rule is None:
        return []
    count, within = rule["count"], rule["within"]
    if within.unit == "years":  # spread in months: "1 year" / 3 is every 4 months
        within = Duration(12 * within.amount, "months")
    out = []
    for person, rel, start in _asye_workers(ctx):
        year_ends = within.after(start)
        if ctx.reached(AFTERWARDS.after(year_ends)):
            continue
        seen = sorted(
            o.observed_on
            for o in ctx.facts.observations
            if o.staff == person.id
            and o.kind == "practice"
            and ctx.known(o.observed_on)
            and start <= o.observed_on < year_ends
        )
        for n in range(1, count + 1):
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("asye_observation", staff=person.id, n=n),
                    kind="asye_observation",
                    lifecycle="asye",
                    subject=person.id,
                    assignee=rel.supervisor,
                    assignee_role="supervisor",
                    opens_on=start,
                    due=Duration(within.amount * n // count, within.unit).after(start),
                    met_on=seen[n - 1] if len(seen) >= n else None,
                    of=count,
                )
            )
    return out


def asye_obligations(ctx: Context) -> list[Obligation]:
    return (
        asye_session_obligations(ctx)
        + asye_review_obligations(ctx)
        + asye_observation_obligations(ctx)
    )
