"""Case supervision by case type (policy/rules/case_supervision.py), from each
document's words."""

from __future__ import annotations

from datetime import date

import pytest

from policy import ObligationStatus, compute_obligations, load_profile
from tests.policy.policy_facts import case, d, lifecycle


def open_case_due(profile, as_of, the_case):
    owed = lifecycle(profile, as_of, "case_supervision", cases=[the_case])
    (ob,) = [
        o for o in owed if o.kind == "case_supervision" and o.status is not ObligationStatus.MET
    ]
    return ob


@pytest.mark.parametrize(
    ("case_type", "due", "standard"),
    [
        ("child_protection", "2026-03-30", "standard 22"),
        ("child_in_care", "2026-03-30", "standard 23"),
        ("child_in_need", "2026-04-27", "standard 24"),
        ("early_help", "2026-04-27", "standard 25"),
        ("care_leaver", "2026-06-02", "standard 26"),
        ("supervising_social_worker", "2026-04-27", "standard 27"),
    ],
)
def test_wokingham_case_supervision_every_4_4_8_8_12_8_weeks_by_case_type(case_type, due, standard):
    """Standards 22-27: CP "every 4 weeks", CiC "every 4 weeks", CIN "every 8 weeks", Early
    Help "every 8 weeks", Care Leavers "every 3 months", Supervising SW "every 8 weeks"."""
    the_case = case("C1", case_type, "2025-06-02", supervised_on=["2026-03-02"])
    ob = open_case_due("wokingham", "2026-03-03", the_case)
    assert ob.due == d(due) and ob.source.endswith(standard)
    assert ob.key == f"case:C1:{due}" and ob.subject == "C1" and ob.assignee == "tm1"


def test_wokingham_every_case_is_supervised_within_a_month_of_allocation():
    """Standard 21 "All cases must be supervised within a month of being allocated"."""
    ob = open_case_due("wokingham", "2026-03-03", case("C1", "care_leaver", "2026-03-02"))
    assert ob.due == d("2026-04-02") and ob.rule == "case_supervision.first"


def test_lancashire_cases_every_four_weeks_and_a_recorded_frequency_never_beyond_eight():
    """§1.9 "oversight on all cases every 4 weeks ... should not normally leave it longer
    than 8 weeks"."""
    base = case("C1", "child_in_need", "2026-01-05")
    assert open_case_due("lancashire", "2026-01-06", base).due == d("2026-02-02")
    six = case("C1", "child_in_need", "2026-01-05", frequency_weeks=6)
    assert open_case_due("lancashire", "2026-01-06", six).due == d("2026-02-16")
    twelve = case("C1", "child_in_need", "2026-01-05", frequency_weeks=12)
    assert open_case_due("lancashire", "2026-01-06", twelve).due == d("2026-03-02")
    two = case("C1", "child_protection", "2026-01-05", frequency_weeks=2)
    assert open_case_due("lancashire", "2026-01-06", two).due == d("2026-01-19")


def test_lancashire_children_with_disabilities_at_least_every_six_months():
    """§1.15 "oversight or formal supervision at least every 6 months"."""
    the_case = case("C1", "children_with_disabilities", "2026-01-05")
    assert open_case_due("lancashire", "2026-01-06", the_case).due == d("2026-07-05")


def test_nottingham_child_protection_monthly_and_other_cases_bi_monthly():
    """§1.6 "all Child Protection cases ... at a minimum of once per month ... All other open
    cases should be discussed bi-monthly, as a minimum"."""
    cp = case("C1", "child_protection", "2026-01-05")
    assert open_case_due("nottingham", "2026-01-06", cp).due == d("2026-02-05")
    eh = case("C2", "early_help", "2026-01-05")
    assert open_case_due("nottingham", "2026-01-06", eh).due == d("2026-03-05")
    settled = case("C3", "child_in_care", "2026-01-05", frequency_weeks=8)
    assert open_case_due("nottingham", "2026-01-06", settled).due == d("2026-03-02")


def test_closed_cases_and_cases_of_leavers_owe_nothing():
    closed = case("C1", "child_protection", "2026-01-05", closed_on=d("2026-01-20"))
    assert lifecycle("wokingham", "2026-02-01", "case_supervision", cases=[closed]) == []


def test_a_recorded_26_weeks_never_falls_due_after_lancashires_six_month_floor():
    """§1.15 "at least every 6 months": six months from 28 February is 181 days,
    one fewer than 26 weeks, so the recorded frequency must give way to the floor."""

    from policy import Case, Facts, Relationship, Staff

    allocated = date(2025, 2, 28)
    facts = Facts(
        staff=(
            Staff("tm1", "team_manager", date(2019, 1, 7)),
            Staff("sw1", "social_worker", date(2020, 1, 6), line_manager="tm1"),
        ),
        relationships=(Relationship("rel-1", "tm1", "sw1", date(2020, 1, 6)),),
        cases=(
            Case("LCS-100001", "children_with_disabilities", "sw1", allocated, frequency_weeks=26),
        ),
    )
    (due,) = [
        ob.due
        for ob in compute_obligations(
            load_profile("lancashire"), facts, date(2025, 3, 3), lifecycles=["case_supervision"]
        )
        if ob.kind == "case_supervision"
    ]
    assert due == date(2025, 8, 28)
