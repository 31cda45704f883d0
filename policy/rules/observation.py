"""Observations: of practice (Lancashire §1.16 three a year, two with
families; Wokingham at least annually and once in the first six months of
employment) and of supervision (Wokingham: by the supervisor's manager at
least annually). Keys: `observation:{staff}:{window start}:{n}`,
`observation:{staff}:first`, `supervision-observation:{supervisor}:{window start}`."""

from __future__ import annotations

from datetime import date

from policy import keys
from policy.context import Context
from policy.obligations import Obligation
from policy.rules.windows import recent_windows


def practice_observation_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("observation.practice")
    if rule is None:
        return []
    out: list[Obligation] = []
    for person, rel in ctx.own_supervisees:
        if person.role not in rule.get("roles", (person.role,)):
            continue
        family_slots = _family_slots(rule, person.role)
        seen = sorted(
            (o.observed_on, o.with_family)
            for o in ctx.facts.observations
            if o.staff == person.id and o.kind == "practice" and ctx.known(o.observed_on)
        )

        def owe(key, opens_on, due, met_on, kind="practice_observation", rel=rel, of=None):
            return ctx.owe(
                rule=rule,
                key=key,
                kind=kind,
                lifecycle="observation",
                subject=rel.supervisee,
                assignee=rel.supervisor,
                assignee_role="supervisor",
                opens_on=opens_on,
                due=due,
                met_on=met_on,
                of=of,
            )

        for start, end in recent_windows(ctx, person.started_on, rule["per"]):
            for n, met_on in enumerate(_slots(rule, seen, start, end, family_slots), start=1):
                with_family = n <= family_slots
                kind = "practice_observation_with_family" if with_family else None
                out.append(
                    owe(
                        keys.build("observation", staff=person.id, day=start, n=n),
                        start,
                        end,
                        met_on,
                        **({"kind": kind} if kind else {}),
                        of=rule["count"],
                    )
                )
        first = rule.get("first_within")
        if first is not None:
            due = first.after(person.started_on)
            # Only while it matters: through the first year after it fell due.
            if not ctx.reached(rule["per"].after(due)):
                met_on = next((day for day, _ in seen if person.started_on <= day <= due), None)
                out.append(
                    owe(
                        keys.build("first_observation", staff=person.id),
                        person.started_on,
                        due,
                        met_on,
                    )
                )
    return out


def _family_slots(rule, role: str) -> int:
    """How many of the window's observations must be with children and families:
    none for someone whose role has no direct work with them (Lancashire §1.16:
    "if this is part of their role"), who is still observed."""
    if role not in rule.get("with_family_roles", (role,)):
        return 0
    return rule.get("with_family", 0)


def _slots(rule, seen, start: date, end: date, family_slots: int) -> list[date | None]:
    """The window's observation slots, each met on a day or not: observations
    with families fill the with-family slots first; any observation fills the rest."""
    in_window = [day for day, _ in seen if start <= day < end]
    with_family = [day for day, fam in seen if fam and start <= day < end][:family_slots]
    rest = list(in_window)
    for day in with_family:
        rest.remove(day)
    slots = with_family + [None] * (family_slots - len(with_family))
    return slots + (rest + [None] * rule["count"])[: rule["count"] - family_slots]


def supervision_observation_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("observation.supervision")
    if rule is None:
        return []
    supervising_since: dict[str, object] = {}
    for rel in ctx.supervising_relationships:
        since = supervising_since.get(rel.supervisor)
        supervising_since[rel.supervisor] = min(since, rel.started_on) if since else rel.started_on
    out = []
    for supervisor, since in sorted(supervising_since.items()):
        if ctx.has_left(supervisor):
            continue
        manager = ctx.line_manager_of(supervisor)
        seen = [
            o.observed_on
            for o in ctx.facts.observations
            if o.staff == supervisor and o.kind == "supervision" and ctx.known(o.observed_on)
        ]
        for start, end in recent_windows(ctx, since, rule["every"]):
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("supervision_observation", staff=supervisor, day=start),
                    kind="supervision_observation",
                    lifecycle="observation",
                    subject=supervisor,
                    assignee=manager,
                    assignee_role="line_manager" if manager else "head_of_service",
                    opens_on=start,
                    due=end,
                    met_on=min((d for d in seen if start <= d < end), default=None),
                )
            )
    return out


def observation_obligations(ctx: Context) -> list[Obligation]:
    return practice_observation_obligations(ctx) + supervision_observation_obligations(ctx)
