"""Oversight of supervision itself: development discussed at least quarterly
(Lancashire §1.16), heads of service sampling records each quarter
(Lancashire §2.1, Bristol §5.10), case-file audits per team per month
(Nottingham §1.5). Keys: `development:{rel.id}:{due}`,
`sampling:{staff}:{quarter start}`, `case-file-audit:{team}:{month start}`."""

from __future__ import annotations

from datetime import date

from policy import keys
from policy.context import Context
from policy.obligations import Obligation
from policy.rules.personal_supervision import owe_supervision_step, person_cycle_steps
from policy.rules.windows import recent_windows


def development_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("development.discussion")
    if rule is None:
        return []
    out = []
    for rel in ctx.own_relationships:
        discussed = [
            s.held_on
            for s in ctx.sessions_of(rel.supervisee)
            if s.development_discussed and ctx.known(s.held_on)
        ]
        # The supervisee's development is discussed every quarter whoever
        # supervises them: a new supervisor's first is due a quarter after the last.
        for step in person_cycle_steps(ctx, rel, rule, "development", discussed):
            out.append(
                owe_supervision_step(
                    ctx,
                    rel,
                    step,
                    key_kind="development",
                    kind="development",
                    lifecycle="development",
                )
            )
    return out


def _calendar_windows(ctx: Context, length) -> list[tuple[date, date]]:
    """Quarters and months run from 1 January."""
    return recent_windows(ctx, date(ctx.as_of.year - 1, 1, 1), length)


def sampling_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("sampling.records")
    if rule is None:
        return []
    out = []
    for person in ctx.own_staff:
        if person.role != rule["by"] or ctx.has_left(person.id):
            continue
        sampled = [
            s.sampled_on
            for s in ctx.facts.samplings
            if s.by == person.id and ctx.known(s.sampled_on)
        ]
        for start, end in _calendar_windows(ctx, rule["every"]):
            if end <= person.started_on:
                continue
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("sampling", staff=person.id, day=start),
                    kind="sampling",
                    lifecycle="sampling",
                    subject=person.id,
                    assignee=person.id,
                    assignee_role="head_of_service",
                    opens_on=max(start, person.started_on),
                    due=_last_day(end),
                    met_on=min((d for d in sampled if start <= d < end), default=None),
                )
            )
    return out


def _last_day(window_end: date) -> date:
    return date.fromordinal(window_end.toordinal() - 1)


def team_of(ctx: Context, staff_id: str) -> str | None:
    person = ctx.staff.get(staff_id)
    return (person.team or person.line_manager) if person else None


def case_file_audit_obligations(ctx: Context) -> list[Obligation]:
    """Nottingham §1.5: "a minimum of two case files will be audited per
    month/per team ... on a rota basis". A team is Staff.team, or else the
    workers reporting to the same line manager."""
    rule = ctx.profile.rule("case_file_audit")
    if rule is None:
        return []
    case_team = {c.id: team_of(ctx, c.worker) for c in ctx.facts.cases}
    teams = sorted(
        {
            case_team[c.id]
            for c in ctx.facts.cases
            if case_team[c.id] and (c.closed_on is None or not ctx.reached(c.closed_on))
        }
    )
    out = []
    for team in teams:
        audited = sorted(
            a.audited_on
            for a in ctx.facts.audits
            if case_team.get(a.case) == team and ctx.known(a.audited_on)
        )
        manager = team_manager_of(ctx, team)
        rota = audit_rota(ctx, team)[: rule["count"]]
        for start, end in _calendar_windows(ctx, rule["every"]):
            in_month = [d for d in audited if start <= d < end]
            met_on = in_month[rule["count"] - 1] if len(in_month) >= rule["count"] else None
            note = "" if met_on or not rota else "Next on the rota: " + ", ".join(rota)
            out.append(
                ctx.owe(
                    rule=rule,
                    key=keys.build("case_file_audit", team=team, day=start),
                    kind="case_file_audit",
                    lifecycle="case_file_audit",
                    subject=team,
                    assignee=manager,
                    assignee_role="team_manager",
                    opens_on=start,
                    due=_last_day(end),
                    met_on=met_on,
                    note=note,
                )
            )
    return out


def team_manager_of(ctx: Context, team: str) -> str | None:
    """The team's manager: a team manager in the team, or the line manager a
    team of reports is named after."""
    managers = sorted(
        s.id
        for s in ctx.facts.staff
        if s.team == team and s.role == "team_manager" and not ctx.has_left(s.id)
    )
    if managers:
        return managers[0]
    return team if team in ctx.staff else None


def audit_rota(ctx: Context, team: str) -> list[str]:
    """Nottingham §1.5 "audited on a rota basis to ensure case files are
    audited from each worker in the team on a rolling basis": the team's
    workers with open cases, least recently audited first (never audited
    first of all), as "staff-12 (last audited 2026-09-01)"."""
    open_cases = {
        c.id: c.worker
        for c in ctx.facts.cases
        if ctx.known(c.allocated_on)
        and (c.closed_on is None or not ctx.reached(c.closed_on))
        and not ctx.has_left(c.worker)
        and team_of(ctx, c.worker) == team
    }
    last: dict[str, date | None] = dict.fromkeys(sorted(set(open_cases.values())))
    worker_of = {c.id: c.worker for c in ctx.facts.cases}
    for a in ctx.facts.audits:
        worker = worker_of.get(a.case)
        if worker in last and ctx.known(a.audited_on):
            previous = last[worker]
            last[worker] = a.audited_on if previous is None else max(previous, a.audited_on)
    order = sorted(last, key=lambda w: (last[w] or date.min, w))
    return [
        f"{w} (last audited {last[w].isoformat()})" if last[w] else f"{w} (never audited)"
        for w in order
    ]
