"""Ask the engine about a few units: what one person, or a page's cases, owe.
Pages and actions use this rather than loading the whole organisation: the
cost is those units' facts (their whole history when asked for)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy.orm import Session

from models.engine.history_bounds import FAR_PAST
from models.engine.unit_facts import load_unit_facts
from models.tables.org import Organisation
from policy import load_profile
from policy.facts import Facts
from policy.frontier import evaluate
from policy.keys import staff_fact_id
from policy.obligations import Obligation
from policy.units import UNIT_KINDS, Unit, person


def unit_facts(
    session: Session,
    organisation_id: int,
    units: Sequence[Unit],
    as_of: date,
    *,
    history=False,
    lifecycles: Iterable[str] | None = None,
) -> dict[Unit, Facts]:
    """Each unit's facts: what decides what is open on as_of, or (history) every
    fact the unit has; with `lifecycles`, only the sections their rules read."""
    profile = load_profile(session.get(Organisation, organisation_id).profile)
    since = FAR_PAST if history else None
    out: dict[Unit, Facts] = {}
    for kind in UNIT_KINDS:
        batch = sorted({u for u in units if u.kind == kind})
        if batch:
            out |= load_unit_facts(
                session,
                organisation_id,
                batch,
                profile=profile,
                as_of=as_of,
                since=dict.fromkeys(batch, since),
                lifecycles=lifecycles,
            )
    return out


def obligations_for_units(
    session: Session,
    organisation_id: int,
    units: Iterable[Unit],
    as_of: date,
    *,
    lifecycles: Iterable[str] | None = None,
    history: bool = False,
) -> list[Obligation]:
    """What these units owe on as_of (and, with history, everything they have
    met), by due date then key."""
    units = sorted(set(units))
    profile = load_profile(session.get(Organisation, organisation_id).profile)
    wanted = list(lifecycles) if lifecycles is not None else None
    facts = unit_facts(session, organisation_id, units, as_of, history=history, lifecycles=wanted)
    since = FAR_PAST if history else None
    owed = [
        o
        for u in units
        for o in evaluate(profile, u, facts[u], as_of, lifecycles=wanted, since=since).obligations
    ]
    return sorted(owed, key=lambda o: (o.due, o.key))


def supervisee_history(session: Session, organisation_id: int, rel, as_of: date) -> Facts:
    """Every fact about a relationship's supervisee (their whole unit), for
    planning their year or judging whether a session was late."""
    unit = person(staff_fact_id(rel.supervisee_id))
    return unit_facts(session, organisation_id, [unit], as_of, history=True)[unit]
