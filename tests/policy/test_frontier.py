"""The frontier engine owes exactly what the full-history engine owes: for
any organisation, every profile, any day and any `since`, the same open
obligations (same key, due date, status, assignee, rule) and the same met
obligations among those that opened since `since`."""

from __future__ import annotations

import os
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import (
    LIFECYCLES,
    ObligationStatus,
    available_profiles,
    compute_obligations,
    load_profile,
)
from policy.frontier import compute_frontier, evaluate
from policy.units import Unit, partition
from tests.policy.organisations import organisations

PROFILES = {name: load_profile(name) for name in available_profiles()}
# More examples on demand, e.g. OVERSIGHT_PROPERTY_EXAMPLES=5000 before changing a rule.
EXAMPLES = int(os.environ.get("OVERSIGHT_PROPERTY_EXAMPLES", "400"))


def owed_since(obligations, since, as_of: date):
    """Open obligations, and the met ones that opened on or after `since` (a day,
    or a day per lifecycle)."""

    def since_of(lifecycle):
        day = since.get(lifecycle) if isinstance(since, dict) else since
        return day or as_of + timedelta(days=1)

    return [
        o
        for o in obligations
        if o.status is not ObligationStatus.MET or o.opens_on >= since_of(o.lifecycle)
    ]


def sinces():
    """None, one day back from as_of, or a day back per lifecycle (some absent)."""
    back = st.none() | st.integers(0, 400)
    return st.none() | back | st.dictionaries(st.sampled_from(list(LIFECYCLES)), back)


def comparable(obligations):
    """Everything but opens_on: a cycle replayed from its last event opens there."""
    return sorted(
        (
            o.key,
            o.kind,
            o.lifecycle,
            o.subject,
            o.assignee,
            o.assignee_role,
            o.due,
            o.status,
            o.rule,
            o.source,
            o.met_on,
            o.escalates,
            o.note,
        )
        for o in obligations
    )


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(), st.sampled_from(sorted(PROFILES)), sinces())
def test_the_frontier_owes_exactly_what_the_whole_history_owes(organisation, name, back):
    facts, as_of = organisation

    def day(days_back):
        return None if days_back is None else as_of - timedelta(days=days_back)

    since = (
        {name: day(b) for name, b in back.items() if b is not None}
        if isinstance(back, dict)
        else day(back)
    )
    profile = PROFILES[name]
    full = owed_since(compute_obligations(profile, facts, as_of), since, as_of)
    frontier = compute_frontier(profile, facts, as_of, since=since)
    assert comparable(frontier) == comparable(full)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(), st.sampled_from(sorted(PROFILES)))
def test_every_unit_owes_only_what_is_about_it(organisation, name):
    facts, as_of = organisation
    profile = PROFILES[name]
    seen: dict[str, Unit] = {}
    for unit, unit_facts in partition(facts).items():
        for ob in evaluate(profile, unit, unit_facts, as_of).obligations:
            assert ob.key not in seen, f"{ob.key} owed by {seen.get(ob.key)} and {unit}"
            seen[ob.key] = unit


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(), st.sampled_from(sorted(PROFILES)), st.integers(1, 120))
def test_nothing_changes_before_a_unit_wakes(organisation, name, ahead):
    """Level-triggered but lazy: with no new fact, what a unit owes (open,
    keys and assignees) is the same on every day before its wake date."""
    facts, as_of = organisation
    profile = PROFILES[name]
    later = as_of + timedelta(days=ahead)
    for unit, unit_facts in partition(facts).items():
        now = evaluate(profile, unit, unit_facts, as_of)
        then = evaluate(profile, unit, unit_facts, later)
        for lifecycle, wake in now.wakes.items():
            if wake is not None and wake <= later:
                continue

            def open_keys(result, lifecycle=lifecycle):
                return sorted(
                    (o.key, o.assignee, o.due, o.escalates)
                    for o in result.obligations
                    if o.lifecycle == lifecycle and o.status is not ObligationStatus.MET
                )

            assert open_keys(then) == open_keys(now), (unit, lifecycle, wake)
