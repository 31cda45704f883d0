"""Personal supervision cadence and the ASYE year, from each document's words."""

from __future__ import annotations

import pytest

from policy import ObligationStatus, compute_obligations, load_profile
from policy.facts import HoursWorked
from tests.policy.policy_facts import agreement, d, facts, relationship, session, staff, team


def open_sessions(profile, as_of, *, people=None, sessions=(), lifecycles=None, **kw):
    """The open (unmet) supervision obligations, keyed by key."""
    owed = compute_obligations(
        load_profile(profile),
        facts(
            staff=people or team(),
            relationships=kw.pop("relationships", [relationship()]),
            sessions=list(sessions),
            **kw,
        ),
        d(as_of),
        lifecycles=lifecycles or ["personal_supervision", "asye"],
    )
    return [ob for ob in owed if ob.kind == "supervision" and ob.status is not ObligationStatus.MET]


def next_due(profile, as_of, **kw):
    (ob,) = open_sessions(profile, as_of, **kw)
    return ob


@pytest.mark.parametrize(
    ("role", "weeks"),
    [
        ("senior_manager", 6),
        ("manager", 6),
        ("team_manager", 4),
        ("social_worker", 4),
        ("iro", 4),
        ("support_worker", 4),
        ("non_direct_staff", 6),
        ("residential", 6),
        ("business_support", 6),
        ("student", 2),
    ],
)
def test_lancashire_minimum_frequency_follows_the_employee_group_table(role, weeks):
    """§1.10 "Minimum standards of frequency ... Senior Management 6 weeks ... Team Managers
    4 weeks ..."; §1.11 students "every 2 weeks a guide minimum frequency"."""
    people = team(staff("x1", role, "2020-01-06", line_manager="tm1"))
    ob = next_due(
        "lancashire",
        "2026-03-02",
        people=people,
        relationships=[relationship(supervisee="x1")],
        sessions=[session("2026-03-02", supervisee="x1")],
    )
    assert ob.due == d("2026-03-02") + (d("2026-01-08") - d("2026-01-01")) * weeks
    assert ob.key == f"session:rel-1:{ob.due.isoformat()}"
    assert ob.lifecycle == "personal_supervision" and ob.assignee == "tm1"


def test_a_held_session_meets_its_cycle_and_starts_the_next():
    owed = compute_obligations(
        load_profile("bristol"),
        facts(relationships=[relationship()], sessions=[session("2026-01-26")]),
        d("2026-02-01"),
        lifecycles=["personal_supervision"],
    )
    first, second = [ob for ob in owed if ob.kind == "supervision"]
    assert (first.due, first.status, first.met_on) == (
        d("2026-02-02"),
        ObligationStatus.MET,
        d("2026-01-26"),
    )
    assert (second.opens_on, second.due) == (d("2026-01-26"), d("2026-02-23"))


def test_bristol_everyone_including_part_time_every_four_weeks():
    """§3.4 "All members of the children's workforce, including part time members of staff,
    should receive supervision every four weeks"."""
    people = team(employment="part_time")
    assert next_due("bristol", "2026-01-10", people=people).due == d("2026-02-02")


def test_bristol_casual_staff_monthly_or_after_74_hours_whichever_is_less_frequent():
    """§3.5 "either monthly or after each 74 hours worked (whichever the least frequent)"."""
    people = team(employment="casual")
    hours = [HoursWorked("sw1", d("2026-01-10"), 40), HoursWorked("sw1", d("2026-01-20"), 40)]
    # 74 hours reached on 20 January, before a month: the month is the less frequent.
    assert next_due("bristol", "2026-01-25", people=people, hours_worked=hours).due == d(
        "2026-02-05"
    )
    late = [HoursWorked("sw1", d("2026-01-10"), 40), HoursWorked("sw1", d("2026-03-02"), 40)]
    # 74 hours only on 2 March, after a month: the hours are the less frequent.
    assert next_due("bristol", "2026-03-03", people=people, hours_worked=late).due == d(
        "2026-03-02"
    )
    # Not yet 74 hours: nothing is owed yet.
    assert open_sessions("bristol", "2026-02-20", people=people, hours_worked=late[:1]) == []


def test_lancashire_asye_weekly_then_fortnightly_then_four_weekly_then_normal():
    """§1.12 "weekly in their first 6 weeks, fortnightly supervision from week 7 to 6 months
    and ... every 4 weeks between 6-12 months. ... After this first 12 months normal
    supervision requirements apply"."""
    people = team(asye=True)
    rels = [relationship(started_on="2026-01-05")]
    kw = {"people": people, "relationships": rels}
    first = next_due("lancashire", "2026-01-05", **kw)
    assert first.due == d("2026-01-12") and first.lifecycle == "asye"
    assert "§1.12" in first.source
    assert next_due("lancashire", "2026-03-02", sessions=[session("2026-03-02")], **kw).due == d(
        "2026-03-16"
    )
    assert next_due("lancashire", "2026-08-03", sessions=[session("2026-08-03")], **kw).due == d(
        "2026-08-31"
    )
    after = next_due("lancashire", "2027-02-01", sessions=[session("2027-02-01")], **kw)
    assert after.due == d("2027-03-01") and after.lifecycle == "personal_supervision"


def test_nottingham_new_staff_fortnightly_for_six_months_then_monthly():
    """§1.4 "New staff should receive supervision at least fortnightly during the first 6
    months of their employment" ... "monthly supervision"."""
    assert next_due("nottingham", "2026-01-05").due == d("2026-01-19")
    people = team(sw_started="2020-01-06")
    assert next_due("nottingham", "2026-01-05", people=people).due == d("2026-02-05")


def test_wokingham_agency_staff_fortnightly_for_their_first_three_months_only():
    """Standard 16 "Agency and temporary staff ... should have supervision fortnightly during
    their first 3 months of service"; standard 18 thereafter the same basis as permanent."""
    people = team(employment="agency", sw_started="2026-01-05")
    assert next_due("wokingham", "2026-01-05", people=people).due == d("2026-01-19")
    held = [session("2026-04-06")]
    assert next_due("wokingham", "2026-04-06", people=people, sessions=held).due == d("2026-05-06")


def test_wokingham_probation_fortnightly_for_six_months_but_not_for_agency_staff():
    """Standard 16 "probationary period (usually the first 6 months of service) supervision
    should take place fortnightly"; agency staff "do not usually have a probationary period"."""
    held = [session("2026-04-06")]
    assert next_due("wokingham", "2026-04-06", sessions=held).due == d("2026-04-20")
    agency = team(employment="agency")
    assert next_due("wokingham", "2026-04-06", people=agency, sessions=held).due == d("2026-05-06")


def test_wokingham_asye_is_fortnightly_for_the_six_months_following_the_first_six_weeks():
    """Standard 16 "at least weekly for the first 6 weeks, and at least fortnightly for the
    following 6 months", not the policy body's "for the first 6 months"."""
    people = team(asye=True, employment="agency")
    held = [session("2026-07-20")]  # after 6 months, before 6 weeks + 6 months
    ob = next_due("wokingham", "2026-07-20", people=people, sessions=held)
    assert ob.due == d("2026-08-03") and ob.lifecycle == "asye"


def test_wokingham_asye_workers_have_monthly_reflective_supervision_in_their_asye_year():
    """ "workers in their ASYE year have monthly reflective supervisions with their ASYE
    supervisor"."""
    owed = compute_obligations(
        load_profile("wokingham"),
        facts(staff=team(asye=True), relationships=[relationship()]),
        d("2026-01-05"),
        lifecycles=["asye"],
    )
    (reflective,) = [ob for ob in owed if ob.kind == "asye_reflective_supervision"]
    assert reflective.due == d("2026-02-05") and reflective.lifecycle == "asye"
    late = compute_obligations(
        load_profile("wokingham"),
        facts(staff=team(asye=True, sw_started="2024-01-08"), relationships=[relationship()]),
        d("2026-01-05"),
        lifecycles=["asye"],
    )
    assert not [ob for ob in late if ob.kind == "asye_reflective_supervision"]


def test_bristol_group_reflective_supervision_every_four_weeks_for_direct_practitioners():
    """§6.1 "group or peer reflective supervision once every four weeks"."""
    owed = compute_obligations(
        load_profile("bristol"),
        facts(relationships=[relationship()], sessions=[session("2026-01-20", kind="group")]),
        d("2026-01-21"),
        lifecycles=["personal_supervision"],
    )
    group = [ob for ob in owed if ob.kind == "group_supervision"]
    assert [(ob.due, ob.status) for ob in group] == [
        (d("2026-02-02"), ObligationStatus.MET),
        (d("2026-02-17"), ObligationStatus.UPCOMING),
    ]
    # A group session does not count as one-to-one supervision.
    assert next_due(
        "bristol", "2026-01-21", sessions=[session("2026-01-20", kind="group")]
    ).due == (d("2026-02-02"))


def test_a_variation_in_the_agreement_makes_supervision_more_frequent_from_signature():
    """Lancashire §1.10 "minimum standards that can be increased"."""
    varied = [agreement("2026-01-12", frequency_weeks=2, variation_reason="performance")]
    ob = next_due("lancashire", "2026-01-20", sessions=[session("2026-01-19")], agreements=varied)
    assert ob.due == d("2026-02-02")


def test_a_variation_cannot_make_lancashire_supervision_less_frequent_than_the_table():
    varied = [agreement("2026-01-12", frequency_weeks=8, variation_reason="settled")]
    ob = next_due("lancashire", "2026-01-20", sessions=[session("2026-01-19")], agreements=varied)
    assert ob.due == d("2026-02-16")  # still 4 weeks


def test_wokingham_variation_still_follows_standards_16_to_18():
    """Standard 19 "in all cases supervision should still take place in line with Standards
    16-18"."""
    varied = [agreement("2026-01-12", frequency_weeks=8, variation_reason="agreed")]
    ob = next_due("wokingham", "2026-01-20", sessions=[session("2026-01-19")], agreements=varied)
    assert ob.due == d("2026-02-02")  # probation fortnightly still applies


def test_overdue_supervision_is_escalated_along_the_profiles_computed_chain():
    """Lancashire §1.1: a supervisor deviating from the standards takes it to their own
    manager; the profile raises it the day after the due date."""
    people = team(sw_started="2020-01-06")
    owed = compute_obligations(
        load_profile("lancashire"),
        facts(staff=people, relationships=[relationship()], sessions=[session("2026-01-05")]),
        d("2026-02-26"),
        lifecycles=["personal_supervision"],
    )
    keys = {ob.key: ob for ob in owed}
    esc = keys["escalation:session:rel-1:2026-02-02"]
    assert esc.opens_on == d("2026-02-03") and esc.lifecycle == "personal_supervision"
    assert (esc.assignee, esc.assignee_role) == ("hos1", "line_manager")


def test_north_west_states_no_frequency_so_no_sessions_are_invented():
    assert open_sessions("north_west", "2026-06-01") == []


def test_an_extra_session_that_does_not_move_the_due_date_owes_nothing_twice():
    """A session on the relationship's first day, or two a day apart where a month
    clamps to its end (30 and 31 January both give 28 February), owe one cycle."""
    held = [session("2025-01-30"), session("2025-01-31")]
    owed = compute_obligations(
        load_profile("nottingham"),
        facts(
            staff=team(sw_started="2020-01-06"),
            relationships=[relationship(started_on="2025-01-06")],
            sessions=held,
        ),
        d("2025-02-03"),
        lifecycles=["personal_supervision"],
    )
    dues = [(ob.due, ob.status) for ob in owed if ob.kind == "supervision"]
    assert dues == [
        (d("2025-02-06"), ObligationStatus.MET),
        (d("2025-02-28"), ObligationStatus.UPCOMING),
    ]
