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
from policy.engine import FACTS_READ, LIFECYCLES, facts_read
from policy.facts import Facts
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


def _compare_lifecycles(db, organisation_id, profile_name, as_of, since) -> int:
    """Each lifecycle alone, from only the sections its rules read: the same
    obligations as from every fact, and no wake earlier (a dated fact of a
    section it does not read cannot change its answer)."""
    profile = load_profile(profile_name)
    compared = 0
    with db() as session:
        whole = partition(load_facts(session, organisation_id))
        for lifecycle in LIFECYCLES:
            for kind in LIFECYCLES[lifecycle]:
                units = [u for u in whole if u.kind == kind]
                read = load_unit_facts(
                    session,
                    organisation_id,
                    units,
                    profile=profile,
                    as_of=as_of,
                    since=dict.fromkeys(units, since),
                    lifecycles=[lifecycle],
                )
                for unit in units:
                    expected = evaluate(
                        profile, unit, whole[unit], as_of, lifecycles=[lifecycle], since=since
                    )
                    found = evaluate(
                        profile, unit, read[unit], as_of, lifecycles=[lifecycle], since=since
                    )
                    assert _owed(found) == _owed(expected), (lifecycle, unit)
                    wake, earliest = found.wakes[lifecycle], expected.wakes[lifecycle]
                    assert wake is None or (earliest is not None and wake >= earliest)
                    compared += len(found.obligations)
    return compared


def _owed(result):
    return sorted((o.key, o.due, o.status, o.assignee, o.met_on) for o in result.obligations)


@pytest.mark.parametrize("profile", available_profiles())
def test_each_lifecycle_owes_the_same_from_only_the_facts_its_rules_read(db, profile):
    demo = load_demo(today=TODAY, session_factory=db)
    org_id = build_organisation(db, profile=profile, as_of=TODAY, name=profile.title())
    for as_of in (TODAY, TODAY + timedelta(days=75)):
        for since in (None, as_of - timedelta(days=500)):
            assert _compare_lifecycles(db, demo.organisation_id, profile, as_of, since) > 40
            assert _compare_lifecycles(db, org_id, profile, as_of, since) > 3


def test_every_lifecycle_says_which_facts_its_rules_read():
    sections = set(Facts.__dataclass_fields__) - {"extra"}
    assert set(FACTS_READ) == set(LIFECYCLES)
    assert all(read <= sections for read in FACTS_READ.values())
    assert facts_read(None) == sections
    assert facts_read(["registration"]) == {"staff", "relationships"}


def test_an_agreement_reconcile_reads_no_sessions(db):
    demo = load_demo(today=TODAY, session_factory=db)
    profile = load_profile("lancashire")
    with db() as session:
        units = [
            u for u in partition(load_facts(session, demo.organisation_id)) if u.kind == "person"
        ]
        kwargs = {"profile": profile, "as_of": TODAY, "since": dict.fromkeys(units)}
        every = load_unit_facts(session, demo.organisation_id, units, **kwargs)
        agreement = load_unit_facts(
            session, demo.organisation_id, units, lifecycles=["agreement"], **kwargs
        )
    assert any(every[u].sessions for u in units) and any(every[u].agreements for u in units)
    assert not any(agreement[u].sessions or agreement[u].observations for u in units)
    assert [agreement[u].agreements for u in units] == [every[u].agreements for u in units]
