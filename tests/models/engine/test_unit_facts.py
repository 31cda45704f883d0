"""The database reads a batch of units bounded by what can still decide an
answer, and each unit then owes exactly what it owes over its whole history:
for every profile, several days and several `since` days, on the demo council
and on the many-lifecycle organisations of the whole-organisation tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.demo import load_demo
from models.engine.facts_loader import load_facts
from models.engine.unit_facts import load_unit_facts
from policy import available_profiles, load_profile
from policy.frontier import evaluate
from policy.units import partition
from tests.worlds import build_organisation

TODAY = date(2026, 11, 23)


def _answers(profile, unit, facts, as_of, since):
    result = evaluate(profile, unit, facts, as_of, since=since)
    owed = sorted((o.key, o.due, o.status, o.assignee, o.met_on) for o in result.obligations)
    return owed, dict(result.wakes)


def _compare(db, organisation_id, profile_name, as_of, since) -> int:
    profile = load_profile(profile_name)
    compared = 0
    with db() as session:
        whole = partition(load_facts(session, organisation_id))
        by_kind: dict[str, list] = {}
        for unit in whole:
            by_kind.setdefault(unit.kind, []).append(unit)
        for units in by_kind.values():
            read = load_unit_facts(
                session,
                organisation_id,
                units,
                profile=profile,
                as_of=as_of,
                since=dict.fromkeys(units, since),
            )
            for unit in units:
                expected = _answers(profile, unit, whole[unit], as_of, since)
                assert _answers(profile, unit, read[unit], as_of, since) == expected, unit
                compared += 1
    return compared


@pytest.mark.parametrize("profile", available_profiles())
def test_a_batch_read_from_the_tables_owes_what_the_whole_history_owes(db, profile):
    demo = load_demo(today=TODAY, session_factory=db)
    for as_of in (TODAY, TODAY - timedelta(days=45), TODAY + timedelta(days=75)):
        for since in (None, as_of - timedelta(days=40), as_of - timedelta(days=500)):
            assert _compare(db, demo.organisation_id, profile, as_of, since) > 90


@pytest.mark.parametrize("profile", ["lancashire", "nottingham", "bristol", "wokingham"])
def test_so_does_an_organisation_with_every_lifecycle_live(db, profile):
    org_id = build_organisation(db, profile=profile, as_of=TODAY, name=profile.title())
    for as_of in (TODAY, TODAY + timedelta(days=30), TODAY + timedelta(days=400)):
        assert _compare(db, org_id, profile, as_of, None) > 5
