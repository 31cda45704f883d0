"""Wokingham standards 24-27 (policy/rules/case_oversight.py and
recording.decision): Early Help, Care Leavers and Supervising Social Workers
cases owe recorded management oversight on alternate months, counted from
allocation; Children in Need owe it at decision-making points (each
decision on the child's record) and review points (each case supervision's
direction on the child's record)."""

from __future__ import annotations

from datetime import date

import pytest

from policy import compute_obligations, load_profile
from policy.facts import CaseOversight, Decision, Facts
from policy.frontier import compute_frontier
from policy.obligations import ObligationStatus
from tests.policy.policy_facts import case, d, relationship, team

ALLOCATED = "2026-01-15"


def facts(case_type: str, *oversight: str, decisions=()) -> Facts:
    return Facts(
        staff=team(sw_started="2020-01-06"),
        relationships=(relationship(started_on="2025-06-02"),),
        cases=(case("C1001", case_type, ALLOCATED),),
        case_oversights=tuple(CaseOversight("C1001", d(day)) for day in oversight),
        decisions=decisions,
    )


def owed(f: Facts, as_of: str, kind: str = "case_oversight", profile: str = "wokingham"):
    return [ob for ob in compute_obligations(load_profile(profile), f, d(as_of)) if ob.kind == kind]


@pytest.mark.parametrize("case_type", ["early_help", "care_leaver", "supervising_social_worker"])
def test_oversight_is_owed_in_every_two_months_from_allocation(case_type):
    (first,) = owed(facts(case_type), "2026-03-14")
    assert first.key == "case-oversight:C1001:2026-01-15"
    assert first.due == date(2026, 3, 14) and first.status is ObligationStatus.DUE
    assert (first.assignee, first.assignee_role, first.subject) == ("tm1", "supervisor", "C1001")
    late, second = owed(facts(case_type), "2026-03-15")
    assert late.status is ObligationStatus.OVERDUE
    assert second.key == "case-oversight:C1001:2026-03-15" and second.due == date(2026, 5, 14)


def test_an_entry_in_the_window_meets_it_and_one_on_the_next_windows_first_day_does_not():
    met, _ = owed(facts("early_help", "2026-03-14"), "2026-03-20")
    assert met.met_on == date(2026, 3, 14)
    missed, current = owed(facts("early_help", "2026-03-15"), "2026-03-20")
    assert missed.status is ObligationStatus.OVERDUE and current.met_on == date(2026, 3, 15)


def test_child_protection_and_children_in_need_owe_no_alternate_month_oversight():
    for case_type in ("child_protection", "child_in_need", "child_in_care"):
        assert owed(facts(case_type), "2026-04-01") == []


def test_councils_without_the_standard_owe_none():
    for profile in ("lancashire", "nottingham", "bristol", "north_west"):
        assert owed(facts("early_help"), "2026-04-01", profile=profile) == []


def test_a_child_in_need_decision_owes_recorded_oversight_within_five_working_days():
    decision = Decision("C1001", d("2026-04-01"))  # a Wednesday before Easter
    (ob,) = owed(facts("child_in_need", decisions=(decision,)), "2026-04-02", "decision_record")
    assert ob.key == "record:decision:C1001:2026-04-01"
    assert ob.due == date(2026, 4, 10)  # Good Friday and Easter Monday are not working days
    assert "Appendix A standard 24" in ob.source


@pytest.mark.parametrize("as_of", ["2026-03-14", "2026-03-15", "2026-05-20", "2026-07-14"])
def test_the_frontier_owes_what_the_whole_history_owes(as_of):
    f = facts("care_leaver", "2026-02-01", "2026-05-01")
    profile = load_profile("wokingham")
    whole = [
        ob
        for ob in compute_obligations(profile, f, d(as_of))
        if ob.status is not ObligationStatus.MET and ob.kind == "case_oversight"
    ]
    frontier = compute_frontier(profile, f, d(as_of))
    assert [ob for ob in frontier if ob.kind == "case_oversight"] == whole
