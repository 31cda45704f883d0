"""Issue 4's remaining engine gaps, from the seeds' words and, where they are
silent, the national practice each rule's note names: DBS re-checks
(Nottingham 001 §1.5), the ASYE year's 3-, 6- and 12-month reviews and its
observations of practice (Skills for Care ASYE framework)."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from policy import compute_obligations, facts_from_json, load_profile
from policy.facts import AsyeReview, Facts, Observation
from tests.policy.policy_facts import d, relationship, staff

NOTTINGHAM = "001_223e21d801bb36c8.txt"
SEED_OF = {
    "lancashire": "000_b775b8e7712f1ef5.txt",
    "nottingham": NOTTINGHAM,
    "wokingham": "003_a24710131ec71e13.txt",
}
ASYE_START = date(2026, 1, 5)


def owed(profile: str, facts: Facts, as_of: str, lifecycle: str, kind: str):
    return [
        ob
        for ob in compute_obligations(
            load_profile(profile), facts, d(as_of), lifecycles=[lifecycle]
        )
        if ob.kind == kind
    ]


def supervised(person, supervisor: str = "tm1", **kw) -> Facts:
    return Facts(
        staff=(staff(supervisor, role="team_manager"), person),
        relationships=(
            relationship(supervisor=supervisor, supervisee=person.id, started_on="2020-01-06"),
        ),
        **kw,
    )


# --- DBS re-checks -------------------------------------------------------------


def test_nottingham_owes_the_supervisor_a_dbs_re_check_on_the_day_it_is_due():
    person = staff("sw1", dbs_checked_on="2024-03-01", dbs_recheck_due_on="2027-03-01")

    [check] = owed("nottingham", supervised(person), "2027-02-25", "registration", "dbs_check")

    assert check.key == "dbs-check:sw1:2027-03-01"
    assert check.due == d("2027-03-01") and check.opens_on == d("2024-03-01")
    assert (check.assignee, check.assignee_role) == ("tm1", "supervisor")
    assert check.subject == "sw1" and check.status == "due"
    assert check.rule == "registration.dbs" and check.source == f"{NOTTINGHAM} §1.5"
    assert "Disclosure and Barring Service (DBS) registrations" in check.rule_text


def test_a_dbs_re_check_past_its_date_is_overdue_until_a_new_check_moves_it_on():
    person = staff("sw1", dbs_checked_on="2023-03-01", dbs_recheck_due_on="2026-03-01")
    [late] = owed("nottingham", supervised(person), "2026-04-01", "registration", "dbs_check")
    assert late.status == "overdue" and late.met_on is None

    rechecked = staff("sw1", dbs_checked_on="2026-03-20", dbs_recheck_due_on="2029-03-20")
    [next_one] = owed(
        "nottingham", supervised(rechecked), "2026-04-01", "registration", "dbs_check"
    )
    assert next_one.key == "dbs-check:sw1:2029-03-20" and next_one.status == "upcoming"


def test_someone_with_no_dbs_check_on_file_owes_one_from_their_start_date():
    person = staff("sw1", started_on="2025-09-01")

    [check] = owed("nottingham", supervised(person), "2026-04-01", "registration", "dbs_check")

    assert check.key == "dbs-check:sw1:2025-09-01" and check.status == "overdue"


def test_a_dbs_check_recorded_after_the_as_of_date_is_not_yet_known():
    person = staff("sw1", dbs_checked_on="2026-05-01", dbs_recheck_due_on="2029-05-01")

    [check] = owed("nottingham", supervised(person), "2026-04-01", "registration", "dbs_check")

    assert check.due == person.started_on


def test_managers_in_management_supervision_owe_dbs_re_checks_too():
    """§1.5 lists the DBS review under worker and under management supervision."""
    manager = staff("tm2", role="team_manager", dbs_recheck_due_on="2027-01-10")

    [check] = owed(
        "nottingham",
        supervised(manager, supervisor="sm1"),
        "2026-12-01",
        "registration",
        "dbs_check",
    )

    assert check.subject == "tm2" and check.assignee == "sm1"


def test_nobody_unsupervised_or_who_has_left_owes_a_dbs_re_check():
    gone = staff("sw1", left_on="2026-01-31")
    assert owed("nottingham", supervised(gone), "2026-04-01", "registration", "dbs_check") == []
    alone = Facts(staff=(staff("sw1"),))
    assert owed("nottingham", alone, "2026-04-01", "registration", "dbs_check") == []


@pytest.mark.parametrize("profile", ["lancashire", "bristol", "wokingham", "north_west"])
def test_profiles_whose_documents_set_no_dbs_check_for_staff_owe_none(profile):
    person = staff("sw1", dbs_recheck_due_on="2026-03-01")
    assert load_profile(profile).rule("registration.dbs") is None
    assert owed(profile, supervised(person), "2026-04-01", "registration", "dbs_check") == []


def test_the_facts_file_accepts_dbs_dates_and_asye_reviews():
    facts = facts_from_json(
        {
            "staff": [
                {"id": "tm1", "role": "team_manager", "started_on": "2020-01-06"},
                {
                    "id": "sw1",
                    "role": "social_worker",
                    "started_on": "2026-01-05",
                    "asye": True,
                    "dbs_checked_on": "2025-12-01",
                    "dbs_recheck_due_on": "2028-12-01",
                },
            ],
            "relationships": [
                {"supervisor": "tm1", "supervisee": "sw1", "started_on": "2026-01-05"}
            ],
            "asye_reviews": [{"staff": "sw1", "stage": 3, "reviewed_on": "2026-04-02"}],
        }
    )
    assert facts.staff[1].dbs_recheck_due_on == d("2028-12-01")
    assert facts.asye_reviews == (AsyeReview("sw1", 3, d("2026-04-02")),)


# --- ASYE reviews --------------------------------------------------------------


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
    reviews = owed(profile, asye_facts(newly_qualified()), "2026-02-01", "asye", "asye_review")

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

    reviews = owed("wokingham", asye_facts(person), "2026-04-01", "asye", "asye_review")

    assert [r.due for r in reviews] == [d("2026-06-02"), d("2026-09-02"), d("2027-03-02")]


def test_a_review_recorded_for_its_stage_meets_it_and_no_other():
    facts = asye_facts(newly_qualified(), asye_reviews=(AsyeReview("nq1", 3, d("2026-04-01")),))

    reviews = {r.key: r for r in owed("lancashire", facts, "2026-07-06", "asye", "asye_review")}

    assert reviews["asye-review:nq1:3"].status == "met"
    assert reviews["asye-review:nq1:3"].met_on == d("2026-04-01")
    assert reviews["asye-review:nq1:6"].status == "overdue"
    assert reviews["asye-review:nq1:12"].status == "upcoming"


def test_a_review_dated_after_the_as_of_date_does_not_count_yet():
    facts = asye_facts(newly_qualified(), asye_reviews=(AsyeReview("nq1", 3, d("2026-04-10")),))

    reviews = {r.key: r for r in owed("nottingham", facts, "2026-04-06", "asye", "asye_review")}

    assert reviews["asye-review:nq1:3"].status == "overdue"


def test_only_newly_qualified_workers_owe_asye_reviews():
    experienced = staff("nq1", started_on=ASYE_START.isoformat())
    assert owed("wokingham", asye_facts(experienced), "2026-02-01", "asye", "asye_review") == []


def test_a_missed_asye_review_leaves_the_inbox_a_year_after_the_final_one_fell_due():
    facts = asye_facts(newly_qualified())
    assert len(owed("lancashire", facts, "2028-01-04", "asye", "asye_review")) == 3
    assert owed("lancashire", facts, "2028-01-05", "asye", "asye_review") == []


@pytest.mark.parametrize("profile", ["bristol", "north_west"])
def test_profiles_without_an_asye_provision_owe_no_asye_reviews_or_observations(profile):
    facts = asye_facts(newly_qualified())
    every = compute_obligations(load_profile(profile), facts, d("2026-12-01"))
    assert not [ob for ob in every if ob.kind in ("asye_review", "asye_observation")]


# --- ASYE observations -----------------------------------------------------------


def practice(day: str, kind: str = "practice") -> Observation:
    return Observation(staff="nq1", observed_on=d(day), kind=kind)


@pytest.mark.parametrize("profile", ["nottingham", "wokingham"])
def test_three_observations_of_practice_fall_due_through_the_asye_year(profile):
    observations = owed(
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

    observations = owed("wokingham", facts, "2026-10-01", "asye", "asye_observation")

    assert [(o.status, o.met_on) for o in observations] == [
        ("met", d("2026-03-10")),
        ("met", d("2026-06-15")),
        ("upcoming", None),
    ]


def test_lancashire_asye_workers_are_observed_under_its_three_a_year_rule_not_a_second_one():
    facts = asye_facts(newly_qualified())
    assert load_profile("lancashire").rule("asye.observations") is None
    assert owed("lancashire", facts, "2026-02-01", "asye", "asye_observation") == []
    yearly = owed("lancashire", facts, "2026-02-01", "observation", "practice_observation")
    with_family = owed(
        "lancashire", facts, "2026-02-01", "observation", "practice_observation_with_family"
    )
    assert len(yearly) + len(with_family) == 3
