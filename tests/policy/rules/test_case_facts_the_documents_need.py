"""Case facts the documents need beyond a case's type: Nottingham §1.6's
categories set monthly or bi-monthly discussion, Bristol §5.7 owes decisions
made outside formal supervision as case directions within 24 hours, and North
West's "regularly discussed" child protection cases are read as every 4 weeks.
The frontier engine owes the same."""

from __future__ import annotations

import pytest

from policy import ObligationStatus, compute_obligations, load_profile
from policy.facts import Decision
from policy.facts_checks import FactsError
from policy.facts_json import facts_from_json
from policy.frontier import compute_frontier
from policy.schedule import longest_case_weeks
from tests.policy.policy_facts import by_key, case, d, facts, relationship, team

MET, DUE, OVERDUE = ObligationStatus.MET, ObligationStatus.DUE, ObligationStatus.OVERDUE


def owed(profile: str, as_of: str, lifecycle: str, cases, decisions=()) -> dict:
    the_facts = facts(
        staff=team(sw_started="2025-01-06"),
        relationships=[relationship(started_on="2025-01-06")],
        cases=cases,
        decisions=decisions,
    )
    full = compute_obligations(load_profile(profile), the_facts, d(as_of), lifecycles=[lifecycle])
    frontier = compute_frontier(load_profile(profile), the_facts, d(as_of), lifecycles=[lifecycle])
    assert sorted((o.key, o.due, o.status) for o in frontier) == sorted(
        (o.key, o.due, o.status) for o in full if o.status is not MET
    )
    return by_key(full)


def next_due(profile: str, the_case, as_of: str = "2026-01-06"):
    """The due date and rule of the cycle still open (the latest)."""
    open_ = [
        o for o in owed(profile, as_of, "case_supervision", [the_case]).values() if not o.met_on
    ]
    ob = max(open_, key=lambda o: o.due)
    return ob.due, ob.rule


@pytest.mark.parametrize(
    ("case_type", "category", "due", "rule"),
    [
        # "CIC cases where the child is settled in placement": bi-monthly.
        (
            "child_in_care",
            "settled_in_placement",
            "2026-03-05",
            "case_supervision.category.settled_in_placement",
        ),
        # "CIN cases where the plan is to step down the case": bi-monthly.
        ("child_in_need", "stepping_down", "2026-03-05", "case_supervision.category.stepping_down"),
        # Not a category the document gives a child in care: its type's monthly stands.
        ("child_in_care", "stepping_down", "2026-02-05", "case_supervision.child_in_care"),
        # "all Child Protection cases": monthly whatever else is recorded.
        (
            "child_protection",
            "settled_in_placement",
            "2026-02-05",
            "case_supervision.child_protection",
        ),
        # "cases where plans need to be driven": monthly, though the type is bi-monthly.
        ("early_help", "plan_to_drive", "2026-02-05", "case_supervision.category.plan_to_drive"),
        (
            "early_help",
            "care_proceedings",
            "2026-02-05",
            "case_supervision.category.care_proceedings",
        ),
        ("early_help", None, "2026-03-05", "case_supervision.default"),
        # "CIC & CIN cases where there are safeguarding concerns": monthly.
        (
            "child_in_need",
            "safeguarding_concerns",
            "2026-02-05",
            "case_supervision.category.safeguarding_concerns",
        ),
    ],
)
def test_nottingham_case_discussion_follows_the_case_category(case_type, category, due, rule):
    """§1.6, allocated 5 January 2026: monthly is due 5 February, bi-monthly 5 March."""
    the_case = case("C204511", case_type, "2026-01-05", category=category)
    assert next_due("nottingham", the_case) == (d(due), rule)


def test_nottingham_a_settled_child_is_next_discussed_two_months_after_the_last_discussion():
    the_case = case(
        "C204511",
        "child_in_care",
        "2025-06-02",
        supervised_on=["2025-12-31"],
        category="settled_in_placement",
    )
    assert next_due("nottingham", the_case, "2026-02-01")[0] == d("2026-02-28")
    monthly = case("C204511", "child_in_care", "2025-06-02", supervised_on=["2025-12-31"])
    assert next_due("nottingham", monthly, "2026-01-02")[0] == d("2026-01-31")


def test_a_recorded_frequency_may_be_as_long_as_the_category_allows_and_no_longer():
    profile = load_profile("nottingham")
    assert longest_case_weeks(profile, "child_protection", "settled_in_placement") == 4
    assert longest_case_weeks(profile, "child_in_care", "settled_in_placement") == 8


def test_an_unknown_case_category_is_refused_with_the_item_named():
    data = {
        "staff": [{"id": "sw1", "role": "social_worker", "started_on": "2025-01-06"}],
        "cases": [
            {
                "id": "C204511",
                "type": "child_in_care",
                "worker": "sw1",
                "allocated_on": "2026-01-05",
                "category": "settled",
            }
        ],
    }
    with pytest.raises(FactsError, match=r"^cases\[0\]\.category: unknown category 'settled'"):
        facts_from_json(data)


def test_bristol_a_decision_made_outside_supervision_is_a_case_direction_within_24_hours():
    """§5.7 "decisions made within these discussions ... uploaded to the children's LCS
    record within 24 hours": decided on a Friday, due on the Saturday."""
    the_case = case("C204511", "child_in_need", "2025-06-02")
    outside = Decision("C204511", d("2026-03-06"), made_in="outside_supervision")
    on_time = owed("bristol", "2026-03-07", "recording", [the_case], [outside])
    ob = on_time["record:decision:C204511:2026-03-06"]
    assert (ob.due, ob.status, ob.assignee) == (d("2026-03-07"), DUE, "tm1")
    assert ob.source.endswith("§5.7")
    late = owed("bristol", "2026-03-08", "recording", [the_case], [outside])
    assert late["record:decision:C204511:2026-03-06"].status is OVERDUE
    entered = Decision(
        "C204511", d("2026-03-06"), recorded_on=d("2026-03-07"), made_in="outside_supervision"
    )
    met = owed("bristol", "2026-03-09", "recording", [the_case], [entered])
    assert met["record:decision:C204511:2026-03-06"].status is MET


def test_bristol_a_decision_made_in_supervision_is_owed_as_that_sessions_case_direction():
    the_case = case("C204511", "child_in_need", "2025-06-02", supervised_on=["2026-03-06"])
    inside = Decision("C204511", d("2026-03-06"), made_in="supervision")
    found = owed("bristol", "2026-03-08", "recording", [the_case], [inside])
    assert "record:decision:C204511:2026-03-06" not in found
    assert found["record:case:C204511:2026-03-06"].due == d("2026-03-07")


def test_lancashire_owes_important_decisions_made_in_supervision_or_informally():
    """§1.8 "made in formal supervision, or informally ... at least within 24hrs"."""
    the_case = case("C204511", "child_in_need", "2025-06-02")
    for made_in in ("supervision", "outside_supervision"):
        decided = Decision("C204511", d("2026-03-06"), made_in=made_in)
        found = owed("lancashire", "2026-03-06", "recording", [the_case], [decided])
        assert found["record:decision:C204511:2026-03-06"].due == d("2026-03-07")


def test_north_west_child_protection_cases_are_discussed_every_four_weeks():
    """ "All child protection cases must be regularly discussed in supervision", read as
    every 4 weeks: allocated Monday 5 January, due 2 February; after a discussion on
    26 January, due 23 February."""
    fresh = case("C204511", "child_protection", "2026-01-05")
    assert next_due("north_west", fresh) == (d("2026-02-02"), "case_supervision.child_protection")
    discussed = case("C204511", "child_protection", "2026-01-05", supervised_on=["2026-01-26"])
    assert next_due("north_west", discussed, "2026-02-01")[0] == d("2026-02-23")
    rule = load_profile("north_west").rule("case_supervision.child_protection")
    assert "Working Together" in rule.note and "every 4 weeks" in rule.note


def test_north_west_sets_no_cadence_for_cases_it_does_not_name():
    in_need = case("C204511", "child_in_need", "2026-01-05")
    assert owed("north_west", "2026-03-01", "case_supervision", [in_need]) == {}
