"""Observations of practice and of supervision (policy/rules/observation.py),
from each document's words."""

from __future__ import annotations

from policy import ObligationStatus
from policy.facts import Observation
from tests.policy.policy_facts import d, owed

MET, OVERDUE = ObligationStatus.MET, ObligationStatus.OVERDUE


def test_lancashire_three_practice_observations_a_year_two_with_families():
    """§1.16 "at a minimum of three times every year. At least two of these observations
    should be of the supervisee engaging with children, young people, and families"."""
    seen = [
        Observation("sw1", d("2025-03-03"), with_family=True),
        Observation("sw1", d("2025-06-02")),
        Observation("sw1", d("2025-09-01")),
    ]
    obs = owed("lancashire", "2026-01-12", "observation", observations=seen)
    year = [obs[f"observation:sw1:2025-01-06:{n}"] for n in (1, 2, 3)]
    assert [o.kind for o in year] == [
        "practice_observation_with_family",
        "practice_observation_with_family",
        "practice_observation",
    ]
    assert [o.status for o in year] == [MET, OVERDUE, MET]
    assert all(o.due == d("2026-01-06") for o in year)
    assert obs["observation:sw1:2026-01-06:1"].due == d("2027-01-06")


def test_wokingham_practice_observed_annually_and_once_in_the_first_six_months():
    """ "at least annually for all case-holding practitioners ... at least once during the
    first six months of employment"."""
    obs = owed("wokingham", "2025-03-02", "observation")
    assert obs["observation:sw1:first"].due == d("2025-07-06")
    assert obs["observation:sw1:2025-01-06:1"].due == d("2026-01-06")


def test_wokingham_supervision_observed_by_the_supervisors_manager_annually():
    """ "supervision should be observed by the supervisor's manager at least annually"."""
    obs = owed(
        "wokingham",
        "2025-06-02",
        "observation",
        observations=[Observation("tm1", d("2025-05-01"), kind="supervision")],
    )
    ob = obs["supervision-observation:tm1:2025-01-06"]
    assert (ob.assignee, ob.assignee_role, ob.status) == ("hos1", "line_manager", MET)
