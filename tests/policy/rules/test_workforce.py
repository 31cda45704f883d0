"""Registration checks and their yearly renewal, DBS re-checks, deleting
records after leaving, cover for an absent supervisor and supervisor load
(policy/rules/workforce.py), from each document's words."""

from __future__ import annotations

import pytest

from policy import ObligationStatus, load_profile
from policy.facts import Absence, AsyeReview, Facts
from policy.facts_json import facts_from_json
from tests.policy.policy_facts import d, owed, owed_of_kind, relationship, staff, team

MET, OVERDUE = ObligationStatus.MET, ObligationStatus.OVERDUE


def test_registration_check_is_owed_before_the_renewal_date():
    """Lancashire §1.16 "Supervisors must check that the professional registration of their
    staff is maintained"."""
    people = team(sw_started="2025-01-06", registration_renews_on="2026-11-30")
    ob = owed("lancashire", "2026-11-01", "registration", staff=people)[
        "registration:sw1:2026-11-30"
    ]
    assert ob.opens_on == d("2026-10-30") and ob.assignee == "tm1"


def test_registration_is_checked_again_before_each_years_renewal():
    """Lancashire §1.16 "Supervisors must check that the professional registration of their
    staff is maintained"; Social Work England registration renews every year."""
    people = team(
        sw_started="2025-01-06",
        registration_renews_on="2025-11-30",
        registration_checked_on="2025-11-10",
    )
    assert (
        owed("lancashire", "2026-03-01", "registration", staff=people)[
            "registration:sw1:2025-11-30"
        ].status
        is MET
    )
    next_year = owed("lancashire", "2026-11-25", "registration", staff=people)
    assert list(next_year) == ["registration:sw1:2026-11-30"]
    assert next_year["registration:sw1:2026-11-30"].status is ObligationStatus.DUE
    # Unchecked past the renewal date it stays overdue until the next year's window opens.
    assert (
        owed("lancashire", "2027-10-01", "registration", staff=people)[
            "registration:sw1:2026-11-30"
        ].status
        is OVERDUE
    )


NOTTINGHAM = "001_223e21d801bb36c8.txt"


def supervised(person, supervisor: str = "tm1", **kw) -> Facts:
    return Facts(
        staff=(staff(supervisor, role="team_manager"), person),
        relationships=(
            relationship(supervisor=supervisor, supervisee=person.id, started_on="2020-01-06"),
        ),
        **kw,
    )


def test_nottingham_owes_the_supervisor_a_dbs_re_check_on_the_day_it_is_due():
    person = staff("sw1", dbs_checked_on="2024-03-01", dbs_recheck_due_on="2027-03-01")

    [check] = owed_of_kind(
        "nottingham", supervised(person), "2027-02-25", "registration", "dbs_check"
    )

    assert check.key == "dbs-check:sw1:2027-03-01"
    assert check.due == d("2027-03-01") and check.opens_on == d("2024-03-01")
    assert (check.assignee, check.assignee_role) == ("tm1", "supervisor")
    assert check.subject == "sw1" and check.status == "due"
    assert check.rule == "registration.dbs" and check.source == f"{NOTTINGHAM} §1.5"
    assert "Disclosure and Barring Service (DBS) registrations" in check.rule_text


def test_a_dbs_re_check_past_its_date_is_overdue_until_a_new_check_moves_it_on():
    person = staff("sw1", dbs_checked_on="2023-03-01", dbs_recheck_due_on="2026-03-01")
    [late] = owed_of_kind(
        "nottingham", supervised(person), "2026-04-01", "registration", "dbs_check"
    )
    assert late.status == "overdue" and late.met_on is None

    rechecked = staff("sw1", dbs_checked_on="2026-03-20", dbs_recheck_due_on="2029-03-20")
    [next_one] = owed_of_kind(
        "nottingham", supervised(rechecked), "2026-04-01", "registration", "dbs_check"
    )
    assert next_one.key == "dbs-check:sw1:2029-03-20" and next_one.status == "upcoming"


def test_someone_with_no_dbs_check_on_file_owes_one_from_their_start_date():
    person = staff("sw1", started_on="2025-09-01")

    [check] = owed_of_kind(
        "nottingham", supervised(person), "2026-04-01", "registration", "dbs_check"
    )

    assert check.key == "dbs-check:sw1:2025-09-01" and check.status == "overdue"


def test_a_dbs_check_recorded_after_the_as_of_date_is_not_yet_known():
    person = staff("sw1", dbs_checked_on="2026-05-01", dbs_recheck_due_on="2029-05-01")

    [check] = owed_of_kind(
        "nottingham", supervised(person), "2026-04-01", "registration", "dbs_check"
    )

    assert check.due == person.started_on


def test_managers_in_management_supervision_owe_dbs_re_checks_too():
    """§1.5 lists the DBS review under worker and under management supervision."""
    manager = staff("tm2", role="team_manager", dbs_recheck_due_on="2027-01-10")

    [check] = owed_of_kind(
        "nottingham",
        supervised(manager, supervisor="sm1"),
        "2026-12-01",
        "registration",
        "dbs_check",
    )

    assert check.subject == "tm2" and check.assignee == "sm1"


def test_nobody_unsupervised_or_who_has_left_owes_a_dbs_re_check():
    gone = staff("sw1", left_on="2026-01-31")
    assert (
        owed_of_kind("nottingham", supervised(gone), "2026-04-01", "registration", "dbs_check")
        == []
    )
    alone = Facts(staff=(staff("sw1"),))
    assert owed_of_kind("nottingham", alone, "2026-04-01", "registration", "dbs_check") == []


@pytest.mark.parametrize("profile", ["lancashire", "bristol", "wokingham", "north_west"])
def test_profiles_whose_documents_set_no_dbs_check_for_staff_owe_none(profile):
    person = staff("sw1", dbs_recheck_due_on="2026-03-01")
    assert load_profile(profile).rule("registration.dbs") is None
    assert (
        owed_of_kind(profile, supervised(person), "2026-04-01", "registration", "dbs_check") == []
    )


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


def test_nottingham_records_deleted_five_years_after_leaving():
    """§3.5 "retained electronically for a period of five years, following which, they will
    be removed and deleted"."""
    people = team(left_on="2026-10-30")
    ob = owed("nottingham", "2026-11-20", "retention", staff=people)["retention:sw1"]
    assert ob.due == d("2031-10-30") and ob.kind == "retention"
    assert owed("lancashire", "2026-11-20", "retention", staff=people) == {}


def test_wokingham_cover_arranged_when_a_supervisor_is_absent_more_than_three_weeks():
    """Standard 13 "absent from work for a long period (i.e. more than 3 weeks) the line
    manager should ensure that effective arrangements are in place"."""
    long = [Absence("tm1", d("2026-03-02"), d("2026-04-30"))]
    ob = owed("wokingham", "2026-03-03", "supervisor_absence", absences=long)[
        "supervisor-absence:tm1:2026-03-02"
    ]
    assert (ob.due, ob.assignee) == (d("2026-03-23"), "hos1")
    short = [Absence("tm1", d("2026-03-02"), d("2026-03-16"))]
    assert owed("wokingham", "2026-03-03", "supervisor_absence", absences=short) == {}


def test_wokingham_supervisors_have_no_more_than_six_supervisees():
    """Standard 2 "Supervisors will have no more than 4-6 supervisees at any one time"."""
    people = list(team()) + [staff(f"s{i}", line_manager="tm1") for i in range(7)]
    rels = [
        relationship(id=f"r{i}", supervisee=f"s{i}", started_on=f"2026-01-0{i + 1}")
        for i in range(7)
    ]
    load = owed("wokingham", "2026-01-10", "supervisor_load", staff=people, relationships=rels)
    ob = load["supervisor-load:tm1:2026-01-07"]
    assert ob.assignee == "hos1" and ob.due == d("2026-02-07")
    six = owed("wokingham", "2026-01-10", "supervisor_load", staff=people, relationships=rels[:6])
    assert six == {}
