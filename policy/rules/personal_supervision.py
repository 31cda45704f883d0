"""Personal supervision: one-to-one sessions on the cadence for the
supervisee's role, tightened while they are new (probation, agency and
temporary staff's first months), in their ASYE year, or by a variation in
their agreement; casual staff on hours worked (Bristol §3.5); group
reflective supervision; Wokingham's monthly ASYE reflective supervision.

Obligations in the ASYE year's stages belong to the "asye" lifecycle, the rest
to "personal_supervision". Keys: `session:{rel.id}:{due}`."""

from __future__ import annotations

from datetime import date

from policy import keys
from policy.context import Context
from policy.durations import Duration
from policy.facts import Relationship, Staff
from policy.obligations import Obligation
from policy.profile import Rule
from policy.rules import cadence
from policy.rules.escalation import escalate


def asye_stages(ctx: Context, person: Staff) -> list[tuple[date, date, Duration, Rule]]:
    """The ASYE year's stages as (from, until, interval, rule)."""
    rule = ctx.profile.rule("asye.stages")
    if rule is None or not person.asye:
        return []
    start = person.asye_started_on or person.started_on
    stages, stage_start = [], start
    for stage in rule["stages"]:
        end = stage["until"].after(start) if "until" in stage else stage["for"].after(stage_start)
        stages.append((stage_start, end, stage["every"], rule))
        stage_start = end
    return stages


def variation_weeks(ctx: Context, rel: Relationship) -> list[tuple[date, int | None]]:
    """(signed on, recorded frequency in weeks) for each agreement version in force."""
    return [
        (a.signed_on, a.frequency_weeks) for a in ctx.agreements_for(rel) if ctx.known(a.signed_on)
    ]


def base_cadence(ctx: Context, person: Staff) -> Rule | None:
    return ctx.profile.rule(f"supervision.role.{person.role}") or ctx.profile.rule(
        "supervision.default"
    )


def vary(base: Rule, weeks: int | None) -> Duration:
    """A recorded variation always may tighten; it loosens only as far as the
    document's `may_vary_to`, and otherwise not at all (the floor)."""
    if weeks is None or weeks <= 0:
        return base["every"]
    varied = Duration(weeks, "weeks")
    floor = base.get("may_vary_to") or base["every"]
    # Against the floor's shortest span: 26 weeks is not always within 6 months.
    return varied if varied.approx_days() <= floor.shortest_days() else floor


def carried_from(ctx: Context, rel: Relationship) -> date:
    """The day the supervisee's cadence runs from when this relationship starts.
    Cadence belongs to the person, not to the relationship (Lancashire §1.10,
    Bristol §3.4, Wokingham standard 16 set it per member of staff): after a
    change of supervisor the next session is due on their cadence from their
    last one-to-one session, whoever held it. With none before, a new starter's
    first relationship counts from their start date (Context.job_clock_start),
    any other from its own start: the facts hold no earlier session to count from."""
    person = ctx.staff[rel.supervisee]
    before = [
        s.held_on
        for s in ctx.sessions_of(rel.supervisee)
        if s.kind == "individual"
        and person.started_on <= s.held_on < rel.started_on
        and ctx.known(s.held_on)
    ]
    return max(before, default=ctx.job_clock_start(rel))


def carried_event(ctx: Context, rel: Relationship, events: list[date]) -> date:
    """`carried_from` for any cycle that belongs to the person (group reflective
    supervision, Bristol §6.1; the quarterly development discussion, Lancashire
    §1.16): the last of their `events` before this relationship, whoever was
    their supervisor, else the day the relationship's first cycle counts from."""
    person = ctx.staff[rel.supervisee]
    before = [day for day in events if person.started_on <= day < rel.started_on]
    return max(before, default=ctx.job_clock_start(rel))


def person_cycle_steps(
    ctx: Context, rel: Relationship, rule: Rule, cycle: str, events: list[date]
) -> list[cadence.Step]:
    """A cycle of `rule["every"]` that runs on across a change of supervisor:
    the first with the new one is due a cycle after the person's last event,
    as personal_steps does for one-to-one sessions."""
    carried = carried_event(ctx, rel, events)
    start = ctx.replay_start(keys.cycle(cycle, rel.id), rel.started_on)
    last = carried if start == rel.started_on else start
    segments = [cadence.Segment(min(carried, rel.started_on), None, rule["every"], rule)]
    return cadence.run(segments, start, events, last=last)


def supervision_segments(
    ctx: Context, rel: Relationship, starts_on: date | None = None
) -> list[cadence.Segment]:
    """The cadence in force over time for this relationship's supervisee, from
    `starts_on` (default: the day it is carried from, `carried_from`)."""
    person = ctx.staff[rel.supervisee]
    base = base_cadence(ctx, person)
    periods: list[tuple[date, date | None, Duration, Rule]] = []
    employment = ctx.profile.rule(f"supervision.employment.{person.employment}")
    if employment is not None:
        until = (
            employment["for_first"].after(person.started_on)
            if "for_first" in (employment.params)
            else None
        )
        periods.append((person.started_on, until, employment["every"], employment))
    probation = ctx.profile.rule("supervision.probation")
    if probation is not None and person.employment in probation.get(
        "employment", (person.employment,)
    ):
        ends = person.probation_ends_on or probation["for_first"].after(person.started_on)
        periods.append((person.started_on, ends, probation["every"], probation))
    periods += asye_stages(ctx, person)
    variations = variation_weeks(ctx, rel)

    def in_force_on(day: date):
        candidates = []
        if base is not None:
            weeks = next((w for signed, w in reversed(variations) if signed <= day), None)
            candidates.append((vary(base, weeks), base))
        for start, end, interval, rule in periods:
            if start <= day and (end is None or day < end):
                candidates.append((interval, rule))
        return cadence.strictest(candidates)

    changes = [p[0] for p in periods] + [p[1] for p in periods if p[1]]
    changes += [signed for signed, _ in variations]
    starts_on = carried_from(ctx, rel) if starts_on is None else starts_on
    return cadence.segments_from(min(starts_on, rel.started_on), changes, in_force_on)


def casual_due_after(ctx: Context, rel: Relationship, rule: Rule):
    """Bristol §3.5: "monthly or after each 74 hours worked (whichever the least
    frequent)": due at the later of a month on and the day the hours reach 74;
    nothing is owed until both have happened or can be dated."""
    worked = sorted(
        (h.worked_on, h.hours)
        for h in ctx.facts.hours_worked
        if h.staff == rel.supervisee and ctx.known(h.worked_on)
    )

    def due_after(last: date):
        total = 0.0
        for day, hours in worked:
            if day > last:
                total += hours
                if total >= rule["or_after_hours"]:
                    return max(rule["every"].after(last), day), rule
        return None

    return due_after


def personal_steps(ctx: Context, rel: Relationship) -> list[cadence.Step]:
    person = ctx.staff[rel.supervisee]
    held = [
        s.held_on
        for s in ctx.sessions_of(rel.supervisee)
        if s.kind == "individual"
        and s.supervisor in (None, rel.supervisor)
        and ctx.known(s.held_on)
    ]
    start = ctx.replay_start(keys.cycle("session", rel.id), rel.started_on)
    # Replayed from the relationship's start, the first cycle counts from the
    # person's last session before it; from a later session, from that session.
    carried = carried_from(ctx, rel)
    last = carried if start == rel.started_on else start
    casual = ctx.profile.rule("supervision.casual_hours")
    if casual is not None and person.employment == "casual":
        return cadence.run(casual_due_after(ctx, rel, casual), start, held, last=last)
    return cadence.run(supervision_segments(ctx, rel, carried), start, held, last=last)


def _lifecycle(rule: Rule) -> str:
    return "asye" if rule.id.startswith("asye.") else "personal_supervision"


def owe_supervision_step(
    ctx: Context, rel: Relationship, step: cadence.Step, *, key_kind: str, kind: str, lifecycle: str
) -> Obligation:
    """One cycle of a relationship's cadence, owed by its supervisor, keyed in
    the `key_kind` family by relationship and due date; the step's own rule
    (the one in force when it fell due) is the one cited."""
    return ctx.owe(
        rule=step.rule,
        key=keys.build(key_kind, relationship=rel.id, due=step.due),
        kind=kind,
        lifecycle=lifecycle,
        subject=rel.id,
        assignee=rel.supervisor,
        assignee_role="supervisor",
        opens_on=step.opens_on,
        due=step.due,
        met_on=step.met_on,
    )


def session_obligations(ctx: Context, lifecycle: str) -> list[Obligation]:
    # Where the profile records the missed-session chain as facts (Wokingham
    # standards 14-15: `supervision.missed`), that chain is the escalation of a
    # session not held; computing the `escalation` rule's chain for the same
    # session as well would owe the supervisee two tasks for one step.
    recorded_chain = ctx.profile.rule("supervision.missed") is not None
    out: list[Obligation] = []
    for rel in ctx.own_relationships:
        for step in personal_steps(ctx, rel):
            if _lifecycle(step.rule) != lifecycle:
                continue
            owed = owe_supervision_step(
                ctx, rel, step, key_kind="session", kind="supervision", lifecycle=lifecycle
            )
            out.append(owed)
            if not recorded_chain:
                out += escalate(ctx, owed, supervisor=rel.supervisor, supervisee=rel.supervisee)
    return out


def _kind_of_sessions(ctx: Context, rel: Relationship, kind: str) -> list[date]:
    return [
        s.held_on
        for s in ctx.sessions_of(rel.supervisee)
        if s.kind == kind and ctx.known(s.held_on)
    ]


def group_obligations(ctx: Context) -> list[Obligation]:
    """Bristol §6.1: group or peer reflective supervision once every four weeks
    for practitioners working directly with children and families: the
    practitioner's cadence, kept across a change of supervisor."""
    rule = ctx.profile.rule("supervision.group")
    if rule is None:
        return []
    out = []
    for rel in ctx.own_relationships:
        if ctx.staff[rel.supervisee].role not in rule["roles"]:
            continue
        held = _kind_of_sessions(ctx, rel, "group")
        for step in person_cycle_steps(ctx, rel, rule, "group", held):
            out.append(
                owe_supervision_step(
                    ctx,
                    rel,
                    step,
                    key_kind="group_supervision",
                    kind="group_supervision",
                    lifecycle="personal_supervision",
                )
            )
    return out


def asye_reflective_obligations(ctx: Context) -> list[Obligation]:
    """Wokingham: "workers in their ASYE year have monthly reflective
    supervisions with their ASYE supervisor"; none falls due after the year."""
    rule = ctx.profile.rule("asye.reflective")
    if rule is None:
        return []
    out = []
    for rel in ctx.own_relationships:
        person = ctx.staff[rel.supervisee]
        if not person.asye:
            continue
        start = person.asye_started_on or person.started_on
        year_ends = rule["for_first"].after(start)
        first = max(start, rel.started_on)
        segments = [cadence.Segment(first, year_ends, rule["every"], rule)]
        held = _kind_of_sessions(ctx, rel, "asye_reflective")
        start = ctx.replay_start(keys.cycle("asye-reflective", rel.id), first)
        for step in cadence.run(segments, start, held):
            if step.due > year_ends:
                continue
            out.append(
                owe_supervision_step(
                    ctx,
                    rel,
                    step,
                    key_kind="asye_reflective",
                    kind="asye_reflective_supervision",
                    lifecycle="asye",
                )
            )
    return out


def personal_supervision_obligations(ctx: Context) -> list[Obligation]:
    return session_obligations(ctx, "personal_supervision") + group_obligations(ctx)


def asye_obligations(ctx: Context) -> list[Obligation]:
    return session_obligations(ctx, "asye") + asye_reflective_obligations(ctx)
