"""Someone supervised by two people at once (a practice supervisor beside the
line manager, or a handover's overlap) owes each piece of work about them
once: an obligation's key names it once and for all (policy/keys.py), and the
work about the person rather than one relationship (an observation of their
practice, their registration and DBS checks, their ASYE reviews) is held by
the supervisor of the relationship that started last, as their cases are."""

from __future__ import annotations

from collections import Counter

import pytest

from policy import available_profiles, compute_obligations, load_profile
from policy.frontier import compute_frontier
from tests.policy.policy_facts import d, facts, relationship, staff, team

PERSON_LEVEL = {
    "practice_observation",
    "practice_observation_with_family",
    "registration_check",
    "dbs_check",
    "asye_review",
}


def _two_supervisors():
    worker = {
        "asye": True,
        "registration_renews_on": "2026-11-30",
        "dbs_checked_on": "2025-08-01",
        "dbs_recheck_due_on": "2026-08-01",
    }
    return facts(
        staff=team(staff("psw1", "manager", "2016-03-07"), sw_started="2025-09-01", **worker),
        relationships=[
            relationship("tm1", "sw1", started_on="2025-09-01", id="rel-1"),
            relationship(
                "psw1", "sw1", started_on="2026-01-05", id="rel-2", reason="change_of_supervisor"
            ),
        ],
    )


@pytest.mark.parametrize("profile", available_profiles())
@pytest.mark.parametrize("as_of", ["2026-03-02", "2026-11-23"])
def test_each_obligation_is_owed_once_when_someone_has_two_supervisors(profile, as_of):
    policy, two = load_profile(profile), _two_supervisors()
    for owed in (
        compute_obligations(policy, two, d(as_of)),
        compute_frontier(policy, two, d(as_of)),
    ):
        twice = [key for key, n in Counter(o.key for o in owed).items() if n > 1]
        assert twice == []
        about_the_person = [
            o for o in owed if o.kind in PERSON_LEVEL and o.assignee_role == "supervisor"
        ]
        assert {o.assignee for o in about_the_person} <= {"psw1"}


def test_the_practice_observations_of_someone_with_two_supervisors_are_held_by_the_latest():
    """Lancashire §1.16: three observations of practice a year, each owed once
    (the year before and the year in view: six), not once for each supervisor."""
    owed = compute_obligations(load_profile("lancashire"), _two_supervisors(), d("2026-11-23"))
    observations = [o for o in owed if o.kind.startswith("practice_observation")]
    assert len(observations) == len({o.key for o in observations}) == 6
    assert {o.assignee for o in observations} == {"psw1"}
