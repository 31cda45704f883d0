"""An organisation's own rows: the organisation, its service areas and teams,
each head of service's quarterly sample of records, Nottingham's two case-file
audits per team per month, and Lancashire's group supervision agreements."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from bench.casework import Registry
from bench.gen import Gen, stamp
from bench.structure import Structure

AUDIT_OUTCOMES = ("Good: plan up to date.", "Requires improvement: chronology gaps.")


def emit_organisation(g: Gen, structure: Structure) -> None:
    org = g.org
    g.out("organisation", (org.index, org.name, org.slug, org.profile))
    for area_id, name, head in structure.areas:
        holder = head.holder_on(g.as_of)
        g.out("service_area", (area_id, org.index, name, holder.id if holder else None))
    for team_id, area_id, name, _lead in structure.teams:
        g.out("team", (team_id, area_id, name))


def emit_oversight(g: Gen, structure: Structure, registry: Registry) -> None:
    _samples(g, structure)
    if g.cad.profile.rule("case_file_audit") is not None:
        _audits(g, structure, registry)
    if g.cad.profile.rule("agreement.group") is not None:
        _group_agreements(g, structure)


def _quarters(g: Gen):
    day = date(g.h0.year, 3 * ((g.h0.month - 1) // 3) + 1, 1)
    while day <= g.as_of:
        yield day, f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        day += relativedelta(months=3)


def _samples(g: Gen, structure: Structure) -> None:
    """Each head of service samples records once a quarter; most finish the review."""
    for area_id, _name, head in structure.areas:
        for starts, quarter in _quarters(g):
            drawn = starts + g.days(0, 14)
            sampler = head.holder_on(drawn)
            if drawn > g.as_of or sampler is None:
                continue
            completed = g.known(drawn + g.days(10, 60)) if g.chance(0.85) else None
            g.out(
                "sample",
                (
                    g.ids.next("sample"),
                    area_id,
                    sampler.id,
                    quarter,
                    f"bench-{area_id}-{quarter}",
                    10,
                    drawn,
                    stamp(drawn, 6),
                    completed,
                ),
            )


def _audits(g: Gen, structure: Structure, registry: Registry) -> None:
    """Nottingham §1.5: two case files a team a month, by the team manager."""
    for team_id, _area, _name, lead in structure.teams:
        allocations = registry.get(team_id, [])
        if lead.kind != "team_manager" or not allocations:
            continue
        month = date(g.h0.year, g.h0.month, 1)
        while month <= g.as_of:
            for _ in range(2):
                day = month + g.days(2, 27)
                auditor = lead.holder_on(day)
                open_then = [a for a, s, e in allocations if s <= day and (e is None or day < e)]
                if day <= g.as_of and auditor and open_then and g.chance(0.85):
                    g.out(
                        "case_file_audit",
                        (
                            g.ids.next("case_file_audit"),
                            g.rng.choice(open_then),
                            day,
                            auditor.id,
                            g.rng.choice(AUDIT_OUTCOMES),
                        ),
                    )
            month += relativedelta(months=1)


def _group_agreements(g: Gen, structure: Structure) -> None:
    """Lancashire Appendix A: one team in eight supervises as a group, under an
    agreement the team manager issued this year and (mostly) everyone signed."""
    coordinators = [p for p in structure.posts if p.kind == "business_support"]
    for n, (team_id, _area, name, lead) in enumerate(structure.teams):
        supervisor = lead.holder_on(g.as_of)
        if lead.kind != "team_manager" or n % 8 or supervisor is None:
            continue
        issued = max(g.as_of - g.days(30, 300), supervisor.started_on)
        members = [c.holder_on(g.as_of) for c in lead.children]
        members = [m for m in members if m is not None and m.started_on <= issued][:5]
        coordinator = next(
            (c.holder_on(g.as_of) for c in coordinators if c.holder_on(g.as_of)), None
        )
        if not members or coordinator is None:
            continue
        parties = [(supervisor, "supervisor", issued)]
        parties += [(coordinator, "coordinator", None)] + [(m, "supervisee", None) for m in members]
        signed = [
            (person, party, day or (g.known(issued + g.days(0, 20)) if g.chance(0.9) else None))
            for person, party, day in parties
        ]
        _group_agreement(g, team_id, name, supervisor.id, issued, signed)


def _group_agreement(g: Gen, team_id, name, supervisor_id, issued, signed) -> None:
    group_id = g.ids.next("supervision_group")
    g.out(
        "supervision_group",
        (group_id, g.org.index, supervisor_id, team_id, f"{name} group supervision", stamp(issued)),
    )
    everyone = all(day is not None for _p, _party, day in signed)
    in_force = max(day for _p, _party, day in signed) if everyone else None
    agreement_id = g.ids.next("group_supervision_agreement")
    g.out(
        "group_supervision_agreement",
        (
            agreement_id,
            group_id,
            1,
            "in_force" if everyone else "awaiting_signatures",
            "Team meeting room",
            4,
            '{"length": "90 minutes"}',
            issued,
            in_force,
            in_force + relativedelta(years=1) if in_force else None,
            stamp(issued),
        ),
    )
    for person, party, day in signed:
        g.out(
            "group_agreement_signatory",
            (
                g.ids.next("group_agreement_signatory"),
                agreement_id,
                person.id,
                party,
                day,
                stamp(day) if day else None,
            ),
        )


def first_day_of_history(as_of: date, years: int) -> date:
    return as_of - relativedelta(years=years) + timedelta(days=1)
