"""Observations, development, sampling, audits, registration, retention, supervisor
absence and load, from each document's words."""

from __future__ import annotations

from policy_facts import by_key, case, d, facts, relationship, staff, team

from policy import ObligationStatus, compute_obligations, load_profile
from policy.facts import Absence, Audit, Observation, Sampling

MET, OVERDUE = ObligationStatus.MET, ObligationStatus.OVERDUE


def owed(profile, as_of, name, **sections):
    sections.setdefault("relationships", [relationship(started_on="2025-01-06")])
    sections.setdefault("staff", team(sw_started="2025-01-06"))
    return by_key(
        compute_obligations(load_profile(profile), facts(**sections), d(as_of), lifecycles=[name])
    )


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


def test_lancashire_development_discussed_at_least_every_quarter():
    """§1.16 "ensure the development of supervisees is discussed at least every quarter"."""
    from policy_facts import session

    obs = owed(
        "lancashire",
        "2025-03-02",
        "development",
        sessions=[session("2025-02-03", development_discussed=True)],
    )
    assert obs["development:rel-1:2025-04-06"].status is MET
    assert obs["development:rel-1:2025-05-03"].status is ObligationStatus.UPCOMING


def test_lancashire_heads_of_service_sample_records_four_times_a_year():
    """§2.1 "regularly sample supervision records at least four times a year"."""
    obs = owed(
        "lancashire",
        "2026-05-10",
        "sampling",
        samplings=[Sampling("hos1", d("2026-02-11"))],
    )
    assert obs["sampling:hos1:2026-01-01"].status is MET
    current = obs["sampling:hos1:2026-04-01"]
    assert current.due == d("2026-06-30") and current.assignee == "hos1"


def test_nottingham_two_case_files_audited_per_team_per_month():
    """§1.5 "a minimum of two case files will be audited per month/per team"."""
    cases = [
        case("C1", "child_in_need", "2025-06-01"),
        case("C2", "child_protection", "2025-06-01"),
    ]
    one = owed(
        "nottingham",
        "2026-03-10",
        "case_file_audit",
        cases=cases,
        audits=[Audit("C1", d("2026-03-03"))],
    )
    march = one["case-file-audit:tm1:2026-03-01"]
    assert march.due == d("2026-03-31") and march.status is not MET and march.assignee == "tm1"
    two = owed(
        "nottingham",
        "2026-03-10",
        "case_file_audit",
        cases=cases,
        audits=[Audit("C1", d("2026-03-03")), Audit("C2", d("2026-03-09"))],
    )
    assert two["case-file-audit:tm1:2026-03-01"].met_on == d("2026-03-09")


def test_nottingham_records_deleted_five_years_after_leaving():
    """§3.5 "retained electronically for a period of five years, following which, they will
    be removed and deleted"."""
    people = team(left_on="2026-10-30")
    ob = owed("nottingham", "2026-11-20", "retention", staff=people)["retention:sw1"]
    assert ob.due == d("2031-10-30") and ob.kind == "retention"
    assert owed("lancashire", "2026-11-20", "retention", staff=people) == {}


def test_registration_check_is_owed_before_the_renewal_date():
    """Lancashire §1.16 "Supervisors must check that the professional registration of their
    staff is maintained"."""
    people = team(sw_started="2025-01-06", registration_renews_on="2026-11-30")
    ob = owed("lancashire", "2026-11-01", "registration", staff=people)[
        "registration:sw1:2026-11-30"
    ]
    assert ob.opens_on == d("2026-10-30") and ob.assignee == "tm1"


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
