"""Small factory functions for policy facts (plain dataclasses, no database),
and what the engine owes on them."""

from __future__ import annotations

from datetime import date

from policy import compute_obligations, load_profile
from policy.facts import Agreement, Case, Facts, Relationship, Session, Staff


def d(text: str) -> date:
    return date.fromisoformat(text)


def staff(id: str, role: str = "social_worker", started_on: str = "2020-01-06", **kw) -> Staff:
    for name in [k for k, v in kw.items() if isinstance(v, str) and k.endswith("_on")]:
        kw[name] = d(kw[name])
    return Staff(id=id, role=role, started_on=d(started_on), **kw)


def relationship(
    supervisor: str = "tm1",
    supervisee: str = "sw1",
    started_on: str = "2026-01-05",
    id: str = "rel-1",
    ended_on: str | None = None,
    reason: str = "new_starter",
) -> Relationship:
    return Relationship(
        id=id,
        supervisor=supervisor,
        supervisee=supervisee,
        started_on=d(started_on),
        ended_on=d(ended_on) if ended_on else None,
        reason=reason,
    )


def agreement(
    signed_on: str | None = None,
    supervisor_signed_on: str | None = None,
    supervisor: str = "tm1",
    supervisee: str = "sw1",
    **kw,
) -> Agreement:
    return Agreement(
        supervisee=supervisee,
        supervisor=supervisor,
        signed_on=d(signed_on) if signed_on else None,
        supervisor_signed_on=d(supervisor_signed_on) if supervisor_signed_on else None,
        **kw,
    )


def session(held_on: str, supervisee: str = "sw1", recorded_on: str | None = None, **kw):
    return Session(
        supervisee=supervisee,
        held_on=d(held_on),
        recorded_on=d(recorded_on) if recorded_on else None,
        **kw,
    )


def case(id: str, type: str, allocated_on: str, worker: str = "sw1", supervised_on=(), **kw):
    return Case(
        id=id,
        type=type,
        worker=worker,
        allocated_on=d(allocated_on),
        supervised_on=tuple(d(s) for s in supervised_on),
        **kw,
    )


def team(*extra: Staff, sw_started: str = "2026-01-05", **sw) -> tuple[Staff, ...]:
    """A head of service, a team manager reporting to them, and social worker sw1."""
    return (
        staff("hos1", "senior_manager", "2015-04-13"),
        staff("tm1", "team_manager", "2019-09-02", line_manager="hos1"),
        staff("sw1", "social_worker", sw_started, line_manager="tm1", **sw),
        *extra,
    )


def facts(**sections) -> Facts:
    sections.setdefault("staff", team())
    return Facts(**{k: tuple(v) for k, v in sections.items()})


def by_key(obligations) -> dict:
    return {ob.key: ob for ob in obligations}


def lifecycle(profile: str, as_of: str, name: str, **sections) -> list:
    """What one lifecycle owes, in a team whose social worker sw1 started on
    6 January 2025 with tm1 as supervisor (rel-1), unless `sections` say otherwise."""
    sections.setdefault("relationships", [relationship(started_on="2025-01-06")])
    sections.setdefault("staff", team(sw_started="2025-01-06"))
    return compute_obligations(
        load_profile(profile), facts(**sections), d(as_of), lifecycles=[name]
    )


def owed(profile: str, as_of: str, name: str, **sections) -> dict:
    """lifecycle(...) by key."""
    return by_key(lifecycle(profile, as_of, name, **sections))


def owed_of_kind(profile: str, facts: Facts, as_of: str, name: str, kind: str) -> list:
    """The obligations of one kind that a lifecycle owes on these facts."""
    return [
        ob
        for ob in compute_obligations(load_profile(profile), facts, d(as_of), lifecycles=[name])
        if ob.kind == kind
    ]
