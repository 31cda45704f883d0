"""Obligations about people rather than sessions: professional registration
checks (Lancashire §1.16, Nottingham §1.5), DBS re-checks (Nottingham §1.5),
deleting supervision records five
years after leaving (Nottingham §3.5), cover for a supervisor absent more than
three weeks (Wokingham standard 13) and supervisors over their cap of
supervisees (Wokingham standard 2). Keys: `registration:{staff}:{renews_on}`,
`dbs-check:{staff}:{due}`, `retention:{staff}`, `supervisor-absence:{staff}:{started_on}`,
`supervisor-load:{staff}:{since}`."""

from __future__ import annotations

from datetime import date

from policy import keys
from policy.context import Context
from policy.durations import Duration
from policy.obligations import Obligation


def current_renewal(
    renews_on: date, opens_before: Duration, as_of: date, started_on: date
) -> tuple[date, date]:
    """Registration renews every year on the same day: the renewal the check is
    owed for is the latest whose window has opened by as_of (one that passed
    unchecked stays owed until the next opens), or, for someone who started
    since, their first. Returns it and the day the next renewal's window opens."""

    def nth(k: int) -> date:
        return (
            Duration(12 * k, "months").after(renews_on)
            if k >= 0
            else Duration(-12 * k, "months").before(renews_on)
        )

    k = 0
    while opens_before.before(nth(k)) > as_of:
        k -= 1
    while opens_before.before(nth(k + 1)) <= as_of:
        k += 1
    next_opens = opens_before.before(nth(k + 1))
    while nth(k) < started_on:
        k += 1
    return nth(k), next_opens


def registration_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("registration.check")
    if rule is None:
        return []
    out = []
    for person, rel in ctx.own_supervisees:
        if person.registration_renews_on is None:
            continue
        renews_on, next_opens = current_renewal(
            person.registration_renews_on, rule["opens_before"], ctx.as_of, person.started_on
        )
        ctx.wake_at(next_opens)
        opens_on = rule["opens_before"].before(renews_on)
        checked = ctx.known(person.registration_checked_on)
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("registration", staff=person.id, day=renews_on),
                kind="registration_check",
                lifecycle="registration",
                subject=person.id,
                assignee=rel.supervisor,
                assignee_role="supervisor",
                opens_on=opens_on,
                due=renews_on,
                met_on=checked if checked and checked >= opens_on else None,
            )
        )
    return out


def dbs_obligations(ctx: Context) -> list[Obligation]:
    """A DBS re-check, owed to the supervisor of everyone supervised, falls due
    on the person's `dbs_recheck_due_on`: the database layer sets it from their
    latest DBS check and the configured interval, so the engine knows no
    interval of its own. Nobody with no DBS check on file (or none by as_of)
    is assumed checked: a check is required at appointment (national safer
    recruitment practice), so one is owed from their start date. Recording the
    check moves the due date on, so the obligation for the old date is never
    reported met here: the action that records the check completes its task."""
    rule = ctx.profile.rule("registration.dbs")
    if rule is None:
        return []
    out = []
    for person, rel in ctx.own_supervisees:
        checked = ctx.known(person.dbs_checked_on)
        if person.dbs_checked_on is not None and checked is None:
            due = person.started_on  # the check on file came after as_of
        else:
            due = person.dbs_recheck_due_on or person.started_on
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("dbs_check", staff=person.id, due=due),
                kind="dbs_check",
                lifecycle="registration",
                subject=person.id,
                assignee=rel.supervisor,
                assignee_role="supervisor",
                opens_on=min(checked or person.started_on, due),
                due=due,
            )
        )
    return out


def registration_and_dbs_obligations(ctx: Context) -> list[Obligation]:
    """The registration lifecycle: Social Work England checks and DBS re-checks."""
    return registration_obligations(ctx) + dbs_obligations(ctx)


def retention_obligations(ctx: Context) -> list[Obligation]:
    rule = ctx.profile.rule("retention.deletion")
    if rule is None:
        return []
    out = []
    for person in ctx.own_staff:
        left_on = ctx.known(person.left_on)
        if left_on is None:
            continue
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("retention", staff=person.id),
                kind="retention",
                lifecycle="retention",
                subject=person.id,
                assignee=None,
                assignee_role="records_manager",
                opens_on=left_on,
                due=rule["after_leaving"].after(left_on),
                met_on=person.records_deleted_on,
            )
        )
    return out


def supervisor_absence_obligations(ctx: Context) -> list[Obligation]:
    """Cover is owed by the day the absence passes the limit; an open-ended
    absence is owed it from its first day, since nobody knows it will be short."""
    rule = ctx.profile.rule("supervisor_absence.cover")
    if rule is None:
        return []
    supervisors = {rel.supervisor for rel in ctx.supervising_relationships}
    out = []
    for absence in sorted(ctx.facts.absences, key=lambda a: (a.staff, a.started_on)):
        if absence.staff not in supervisors or not ctx.known(absence.started_on):
            continue
        limit = rule["longer_than"].after(absence.started_on)
        if absence.ended_on is not None and absence.ended_on <= limit:
            continue
        if absence.ended_on is not None and ctx.reached(absence.ended_on):
            continue  # over: nothing left to cover
        manager = ctx.line_manager_of(absence.staff)
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("supervisor_absence", staff=absence.staff, day=absence.started_on),
                kind="supervisor_absence_cover",
                lifecycle="supervisor_absence",
                subject=absence.staff,
                assignee=manager,
                assignee_role="line_manager" if manager else "head_of_service",
                opens_on=absence.started_on,
                due=limit,
                met_on=absence.cover_arranged_on,
            )
        )
    return out


def supervisor_load_obligations(ctx: Context) -> list[Obligation]:
    """Over the cap since the day the first relationship beyond it began; once
    back within the cap nothing is owed."""
    rule = ctx.profile.rule("supervisor_load.cap")
    if rule is None:
        return []
    cap = rule["max_supervisees"]
    by_supervisor: dict[str, list] = {}
    for rel in ctx.supervising_relationships:
        by_supervisor.setdefault(rel.supervisor, []).append(rel.started_on)
    out = []
    for supervisor, starts in sorted(by_supervisor.items()):
        if len(starts) <= cap:
            continue
        since = sorted(starts)[cap]
        manager = ctx.line_manager_of(supervisor)
        out.append(
            ctx.owe(
                rule=rule,
                key=keys.build("supervisor_load", staff=supervisor, day=since),
                kind="supervisor_load",
                lifecycle="supervisor_load",
                subject=supervisor,
                assignee=manager,
                assignee_role="line_manager" if manager else "head_of_service",
                opens_on=since,
                due=rule["resolve_within"].after(since),
            )
        )
    return out
