"""Observations of practice and of supervision (policy/rules/observation.py),
from each document's words."""

from __future__ import annotations

import pytest

from policy import ObligationStatus
from policy.facts import Observation
from tests.policy.policy_facts import d, owed, relationship, staff, team

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


def test_lancashire_a_team_manager_is_observed_three_times_a_year_none_needing_families():
    """§1.16 "observe supervisee's practice at a minimum of three times every year. At
    least two ... with children, young people, and families if this is part of their
    role": a team manager (supervised by hos1 from 6 January 2025) owes three, of any kind."""
    seen = [Observation("tm1", d("2025-04-07")), Observation("tm1", d("2026-01-05"))]
    obs = owed(
        "lancashire",
        "2026-01-06",
        "observation",
        relationships=[relationship(supervisor="hos1", supervisee="tm1", started_on="2025-01-06")],
        staff=team(staff("tm9", "team_manager", "2019-01-07")),
        observations=seen,
    )
    # tm1 started on 2 September 2019, so their years run from each 2 September.
    window = [obs[f"observation:tm1:2025-09-02:{n}"] for n in (1, 2, 3)]
    assert [o.kind for o in window] == ["practice_observation"] * 3
    assert [o.status for o in window] == [MET, ObligationStatus.UPCOMING, ObligationStatus.UPCOMING]
    assert all(o.due == d("2026-09-02") for o in window)
    last_year = [obs[f"observation:tm1:2024-09-02:{n}"].status for n in (1, 2, 3)]
    assert last_year == [MET, OVERDUE, OVERDUE]
    assert window[0].assignee == "hos1"


def test_lancashire_an_observation_without_families_meets_a_non_family_roles_slot_only():
    """The same observation on a social worker leaves the two with-family slots open."""
    people = team(
        staff("nd1", "non_direct_staff", "2025-01-06", line_manager="tm1"),
        sw_started="2025-01-06",
    )
    rels = [
        relationship(started_on="2025-01-06"),
        relationship(supervisee="nd1", id="rel-2", started_on="2025-01-06"),
    ]
    seen = [Observation("sw1", d("2025-03-03")), Observation("nd1", d("2025-03-03"))]
    obs = owed(
        "lancashire",
        "2026-01-07",  # the window closed on the 6th: overdue from the 7th
        "observation",
        staff=people,
        relationships=rels,
        observations=seen,
    )
    assert [obs[f"observation:nd1:2025-01-06:{n}"].status for n in (1, 2, 3)] == [
        MET,
        OVERDUE,
        OVERDUE,
    ]
    assert [obs[f"observation:sw1:2025-01-06:{n}"].status for n in (1, 2, 3)] == [
        OVERDUE,
        OVERDUE,
        MET,
    ]


@pytest.mark.parametrize(
    ("role", "owes"), [("student", True), ("team_manager", False), ("iro", False)]
)
def test_wokingham_observes_case_holding_practitioners_only(role, owes):
    """ "at least annually for all case-holding practitioners"."""
    people = team(staff("x1", role, "2025-01-06", line_manager="tm1"))
    rels = [relationship(supervisee="x1", started_on="2025-01-06")]
    obs = owed("wokingham", "2025-03-02", "observation", staff=people, relationships=rels)
    assert ("observation:x1:2025-01-06:1" in obs) is owes
    assert ("observation:x1:first" in obs) is owes
