"""Properties the engine must keep for any facts and any day."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policy import ObligationStatus, available_profiles, compute_obligations, load_profile
from policy.context import Context
from policy.facts import (
    CASE_TYPES,
    EMPLOYMENT_TYPES,
    ROLES,
    Agreement,
    Case,
    Facts,
    Relationship,
    Session,
    Staff,
)
from policy.rules.case_supervision import case_rule

PROFILES = {name: load_profile(name) for name in available_profiles()}
START = date(2024, 1, 1)
days = st.integers(min_value=0, max_value=900).map(lambda n: START + timedelta(days=n))


def days_from(first: date):
    """Days on or after `first`, drawn directly rather than filtered (a filter
    rejects most draws when `first` is late, and hypothesis gives up)."""
    last = START + timedelta(days=900)
    span = max((last - first).days, 0)
    return st.integers(min_value=0, max_value=span).map(lambda n: first + timedelta(days=n))


@st.composite
def scenarios(draw):
    started = draw(days)
    worker = Staff(
        id="sw1",
        role=draw(st.sampled_from(ROLES)),
        started_on=started,
        asye=draw(st.booleans()),
        employment=draw(st.sampled_from(EMPLOYMENT_TYPES)),
        line_manager="tm1",
    )
    people = (
        Staff("hos1", "senior_manager", date(2015, 1, 5)),
        Staff("tm1", "team_manager", date(2019, 1, 7), line_manager="hos1"),
        worker,
    )
    rel = Relationship("rel-1", "tm1", "sw1", started)
    held = draw(st.lists(days_from(started), max_size=6))
    sessions = tuple(Session("sw1", h, recorded_on=h) for h in held)
    agreements = tuple(
        Agreement("sw1", "tm1", signed_on=s, frequency_weeks=draw(st.none() | st.integers(1, 12)))
        for s in draw(st.lists(days_from(started), max_size=2))
    )
    cases = tuple(
        Case(
            id=f"C{i}",
            type=draw(st.sampled_from(CASE_TYPES)),
            worker="sw1",
            allocated_on=alloc,
            supervised_on=tuple(sorted(draw(st.lists(days_from(alloc), max_size=3)))),
            frequency_weeks=draw(st.none() | st.integers(1, 30)),
        )
        for i, alloc in enumerate(draw(st.lists(days_from(started), max_size=2)))
    )
    facts = Facts(people, (rel,), agreements, sessions, cases)
    as_of = draw(days_from(started)) + timedelta(days=60)
    return draw(st.sampled_from(sorted(PROFILES))), facts, as_of


def overdue_days(obligations, as_of: date) -> int:
    return sum((as_of - ob.due).days for ob in obligations if ob.status is ObligationStatus.OVERDUE)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_the_engine_is_deterministic_whatever_the_order_of_the_facts(scenario):
    name, facts, as_of = scenario
    first = compute_obligations(PROFILES[name], facts, as_of)
    shuffled = dataclasses.replace(
        facts, sessions=facts.sessions[::-1], cases=facts.cases[::-1], staff=facts.staff[::-1]
    )
    assert compute_obligations(PROFILES[name], shuffled, as_of) == first
    assert first == sorted(first, key=lambda ob: (ob.due, ob.key))
    assert len({ob.key for ob in first}) == len(first)  # nothing is owed twice


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_no_obligation_falls_due_before_the_event_that_creates_it(scenario):
    name, facts, as_of = scenario
    for ob in compute_obligations(PROFILES[name], facts, as_of):
        assert ob.due >= ob.opens_on, ob
        assert ob.lifecycle


@settings(max_examples=200, deadline=None)
@given(scenarios(), days)
def test_holding_a_session_never_makes_anything_more_overdue(scenario, held_on):
    name, facts, as_of = scenario
    held_on = min(max(held_on, facts.relationships[0].started_on), as_of)
    before = compute_obligations(PROFILES[name], facts, as_of)
    # Held, recorded and shared: the record gives the reason when it was late (Bristol §3.4).
    held = Session(
        "sw1", held_on, recorded_on=held_on, shared_on=held_on, late_reason_recorded=True
    )
    more = dataclasses.replace(facts, sessions=(*facts.sessions, held))
    after = compute_obligations(PROFILES[name], more, as_of)
    assert overdue_days(after, as_of) <= overdue_days(before, as_of)


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.integers(1, 52))
def test_a_recorded_variation_never_loosens_a_floor(scenario, weeks):
    name, facts, as_of = scenario
    profile = PROFILES[name]
    plain = dataclasses.replace(facts, agreements=(), cases=())
    signed = Agreement(
        "sw1", "tm1", signed_on=facts.relationships[0].started_on, frequency_weeks=weeks
    )
    varied = dataclasses.replace(plain, agreements=(signed,))

    def open_supervision(f):
        return [
            ob.due
            for ob in compute_obligations(
                profile, f, as_of, lifecycles=["personal_supervision", "asye"]
            )
            if ob.kind == "supervision" and ob.status is not ObligationStatus.MET
        ]

    # No profile lets an agreement make personal supervision less frequent.
    for with_variation, without in zip(
        open_supervision(varied), open_supervision(plain), strict=True
    ):
        assert with_variation <= without

    for the_case in facts.cases:
        rule = case_rule(Context(profile, facts, as_of), the_case)
        if rule is None:
            continue
        floor = rule.get("may_vary_to") or rule["every"]
        varied_case = dataclasses.replace(the_case, frequency_weeks=weeks, supervised_on=())
        dues = [
            ob.due
            for ob in compute_obligations(
                profile,
                dataclasses.replace(facts, cases=(varied_case,)),
                as_of,
                lifecycles=["case_supervision"],
            )
            if ob.kind == "case_supervision"
        ]
        assert all(due <= floor.after(the_case.allocated_on) for due in dues)
