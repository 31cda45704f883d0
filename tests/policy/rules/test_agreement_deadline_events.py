"""Each agreement deadline counts from the event its document names: Lancashire
§1.4 "within 6 weeks of starting their job, or change of post, or change of
supervisor"; the other councils from the start of the supervisory relationship."""

from __future__ import annotations

import pytest

from policy import ObligationStatus, compute_obligations, load_profile
from policy.frontier import compute_frontier
from tests.policy.policy_facts import d, facts, relationship, team


def agreement(profile: str, as_of: str, *, sw_started: str, rels):
    the_facts = facts(staff=team(sw_started=sw_started), relationships=rels)
    full = compute_obligations(load_profile(profile), the_facts, d(as_of), lifecycles=["agreement"])
    frontier = compute_frontier(
        load_profile(profile), the_facts, d(as_of), lifecycles=["agreement"]
    )
    assert [(o.key, o.due, o.status) for o in frontier] == [
        (o.key, o.due, o.status) for o in full if o.status is not ObligationStatus.MET
    ]
    (ob,) = [o for o in full if o.kind == "agreement"]
    return ob


def test_lancashire_new_starter_counts_six_weeks_from_the_start_date_not_the_naming():
    """Started 5 January 2026, supervisor named 26 January: 6 weeks from the start
    date is 16 February (not 9 March, 6 weeks from the naming)."""
    rels = [relationship(started_on="2026-01-26")]
    on_the_day = agreement("lancashire", "2026-02-16", sw_started="2026-01-05", rels=rels)
    assert (on_the_day.opens_on, on_the_day.due) == (d("2026-01-26"), d("2026-02-16"))
    assert on_the_day.status is ObligationStatus.DUE
    day_after = agreement("lancashire", "2026-02-17", sw_started="2026-01-05", rels=rels)
    assert day_after.status is ObligationStatus.OVERDUE


def test_lancashire_supervisor_named_after_six_weeks_owes_the_agreement_at_once():
    """Started 5 January, supervisor named 2 March (8 weeks on): the 6 weeks have
    passed, so the agreement is due the day the supervisor is named."""
    rels = [relationship(started_on="2026-03-02")]
    ob = agreement("lancashire", "2026-03-03", sw_started="2026-01-05", rels=rels)
    assert (ob.opens_on, ob.due, ob.status) == (
        d("2026-03-02"),
        d("2026-03-02"),
        ObligationStatus.OVERDUE,
    )


def test_lancashire_change_of_supervisor_counts_from_the_change_not_the_job():
    rels = [
        relationship(id="rel-a", started_on="2026-01-05", ended_on="2026-02-02"),
        relationship(
            supervisor="hos1", id="rel-b", started_on="2026-02-02", reason="change_of_supervisor"
        ),
    ]
    ob = agreement("lancashire", "2026-02-03", sw_started="2026-01-05", rels=rels)
    assert (ob.key, ob.due) == ("agreement:rel-b", d("2026-03-16"))


def test_lancashire_staff_in_post_long_before_their_first_recorded_supervisor_count_from_it():
    """A first relationship recorded years after the start date (staff in post when
    the council began recording) is not a new starter's."""
    rels = [relationship(started_on="2026-01-05")]
    ob = agreement("lancashire", "2026-01-06", sw_started="2020-01-06", rels=rels)
    assert ob.due == d("2026-02-16")


@pytest.mark.parametrize(
    ("profile", "due"),
    [
        ("bristol", "2026-02-23"),  # §3.1 "first four weeks for the ... relationship"
        ("wokingham", "2026-02-26"),  # standard 4 "1 month of the ... relationship commencing"
        ("nottingham", "2026-02-23"),  # §1.2 "at the beginning of every new ... relationship"
        ("north_west", "2026-03-09"),  # a written agreement; 6 weeks of national practice
    ],
)
def test_the_other_councils_count_from_the_start_of_the_relationship(profile, due):
    """A new starter who started 5 January and was given a supervisor on 26 January."""
    rels = [relationship(started_on="2026-01-26")]
    assert agreement(profile, "2026-01-27", sw_started="2026-01-05", rels=rels).due == d(due)
