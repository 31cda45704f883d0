"""The ASYE year's 3-, 6- and 12-month reviews and its observations of practice
(policy/rules/asye.py), from the seeds' words and, where they are silent, the
Skills for Care ASYE framework each rule's note names."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from policy import compute_obligations, load_profile
from policy.facts import AsyeReview, Facts, Observation
from tests.policy.policy_facts import d, owed_of_kind, relationship, staff

SEED_OF = {
    "lancashire": "000_b775b8e7712f1ef5.txt",
    "nottingham": "001_223e21d801bb36c8.txt",
    "wokingham": "003_a24710131ec71e13.txt",
}


ASYE_START = date(2026, 1, 5)


def newly_qualified(**kw):
    return staff("nq1", started_on=ASYE_START.isoformat(), asye=True, **kw)


def asye_facts(person, **kw) -> Facts:
    return Facts(
        staff=(staff("tm1", role="team_manager"), person),
        relationships=(
            relationship(supervisee=person.id, started_on=person.started_on.isoformat()),
        ),
        **kw,
    )


@pytest.mark.parametrize("profile", sorted(SEED_OF))
def test_the_asye_reviews_fall_due_at_three_six_and_twelve_months(profile):
    reviews = owed_of_kind(
        profile, asye_facts(newly_qualified()), "2026-02-01", "asye", "asye_review"
    )

    assert [(r.key, r.due) for r in reviews] == [
        (f"asye-review:nq1:{m}", ASYE_START + relativedelta(months=m)) for m in (3, 6, 12)
    ]
    for review in reviews:
        assert (review.assignee, review.assignee_role) == ("tm1", "supervisor")
        assert review.lifecycle == "asye" and review.opens_on == ASYE_START
        assert review.source.startswith(SEED_OF[profile] + " ")
    rule = load_profile(profile).rule("asye.reviews")
    assert "Skills for Care ASYE framework" in rule.note
    assert "3 months, 6 months" in rule.note and "12 months" in rule.note


def test_the_asye_year_runs_from_the_asye_start_when_it_is_not_the_first_day():
    person = newly_qualified(asye_started_on="2026-03-02")

    reviews = owed_of_kind("wokingham", asye_facts(person), "2026-04-01", "asye", "asye_review")

    assert [r.due for r in reviews] == [d("2026-06-02"), d("2026-09-02"), d("2027-03-02")]


def test_a_review_recorded_for_its_stage_meets_it_and_no_other():
    facts = asye_facts(newly_qualified(), asye_reviews=(AsyeReview("nq1", 3, d("2026-04-01")),))

    reviews = {
        r.key: r for r in owed_of_kind("lancashire", facts, "2026-07-06", "asye", "asye_review")
    }

    assert reviews["asye-review:nq1:3"].status == "met"
    assert reviews["asye-review:nq1:3"].met_on == d("2026-04-01")
    assert reviews["asye-review:nq1:6"].status == "overdue"
    assert reviews["asye-review:nq1:12"].status == "upcoming"


def test_a_review_dated_after_the_as_of_date_does_not_count_yet():
    facts = asye_facts(newly_qualified(), asye_reviews=(AsyeReview("nq1", 3, d("2026-04-10")),))

    reviews = {
        r.key: r for r in owed_of_kind("nottingham", facts, "2026-04-06", "asye", "asye_review")
    }

    assert reviews["asye-review:nq1:3"].status == "overdue"


def test_only_newly_qualified_workers_owe_asye_reviews():
    experienced = staff("nq1", started_on=ASYE_START.isoformat())
    assert (
        owed_of_kind("wokingham", asye_facts(experienced), "2026-02-01", "asye", "asye_review")
        == []
    )


def test_a_missed_asye_review_leaves_the_inbox_a_year_after_the_final_one_fell_due():
    facts = asye_facts(newly_qualified())
    assert len(owed_of_kind("lancashire", facts, "2028-01-04", "asye", "asye_review")) == 3
    assert owed_of_kind("lancashire", facts, "2028-01-05", "asye", "asye_review") == []


@pytest.mark.parametrize("profile", ["bristol", "north_west"])
def test_profiles_without_an_asye_provision_owe_no_asye_reviews_or_observations(profile):
    facts = asye_facts(newly_qualified())
    every = compute_obligations(load_profile(profile), facts, d("2026-12-01"))
    assert not [ob for ob in every if ob.kind in ("asye_review", "asye_observation")]


def practice(day: str, kind: str = "practice") -> Observation:
    return Observation(staff="nq1", observed_on=d(day), kind=kind)


@pytest.mark.parametrize("profile", ["nottingham", "wokingham"])
def test_three_observations_of_practice_fall_due_through_the_asye_year(profile):
    observations = owed_of_kind(
        profile, asye_facts(newly_qualified()), "2026-02-01", "asye", "asye_observation"
    )

    assert [(o.key, o.due) for o in observations] == [
        ("asye-observation:nq1:1", d("2026-05-05")),
        ("asye-observation:nq1:2", d("2026-09-05")),
        ("asye-observation:nq1:3", d("2027-01-05")),
    ]
    assert {(o.assignee, o.lifecycle, o.rule) for o in observations} == {
        ("tm1", "asye", "asye.observations")
    }
    assert (
        "three direct observations of practice"
        in load_profile(profile).rule("asye.observations").note
    )


def test_wokingham_asye_observation_is_more_regular_than_the_annual_one():
    rule = load_profile("wokingham").rule("asye.observations")
    assert "for whom practice observation is more regular" in rule.text
    assert rule["count"] > load_profile("wokingham").rule("observation.practice")["count"]


def test_practice_observations_in_the_year_meet_them_in_order_and_others_do_not_count():
    facts = asye_facts(
        newly_qualified(),
        observations=(
            practice("2025-12-01"),  # before the year began
            practice("2026-03-10"),
            practice("2026-04-01", kind="supervision"),
            practice("2026-06-15"),
        ),
    )

    observations = owed_of_kind("wokingham", facts, "2026-10-01", "asye", "asye_observation")

    assert [(o.status, o.met_on) for o in observations] == [
        ("met", d("2026-03-10")),
        ("met", d("2026-06-15")),
        ("upcoming", None),
    ]


def test_lancashire_asye_workers_are_observed_under_its_three_a_year_rule_not_a_second_one():
    facts = asye_facts(newly_qualified())
    assert load_profile("lancashire").rule("asye.observations") is None
    assert owed_of_kind("lancashire", facts, "2026-02-01", "asye", "asye_observation") == []
    yearly = owed_of_kind("lancashire", facts, "2026-02-01", "observation", "practice_observation")
    with_family = owed_of_kind(
        "lancashire", facts, "2026-02-01", "observation", "practice_observation_with_family"
    )
    assert len(yearly) + len(with_family) == 3
