"""Cadence belongs to the person, not to the relationship: after a change of
supervisor the next session is due on the supervisee's cadence from their last
session, whoever held it (Lancashire §1.10, Bristol §3.4, Wokingham standard
16 set a frequency per member of staff); a case keeps its cadence when its
worker's supervisor changes. The frontier engine owes the same."""

from __future__ import annotations

import dataclasses

from policy import ObligationStatus, compute_obligations, load_profile
from policy.facts import HoursWorked
from policy.frontier import compute_frontier
from policy.schedule import late_check
from tests.policy.policy_facts import case, d, facts, relationship, session, staff, team

PEOPLE = team(
    staff("tm2", "team_manager", "2018-05-07", line_manager="hos1"), sw_started="2024-09-02"
)


def handover(change_on: str, *held, reason: str = "change_of_supervisor"):
    """sw1 supervised by tm1 from their start until `change_on`, then by tm2;
    `held` are (day, supervisor) sessions."""
    return facts(
        staff=PEOPLE,
        relationships=[
            relationship(id="rel-a", started_on="2024-09-02", ended_on=change_on),
            relationship(supervisor="tm2", id="rel-b", started_on=change_on, reason=reason),
        ],
        sessions=[session(day, supervisor=who) for day, who in held],
    )


def open_supervision(profile: str, the_facts, as_of: str):
    """The open one-to-one supervision, checked against the frontier engine."""
    full = compute_obligations(
        load_profile(profile), the_facts, d(as_of), lifecycles=["personal_supervision"]
    )
    frontier = compute_frontier(
        load_profile(profile), the_facts, d(as_of), lifecycles=["personal_supervision"]
    )
    owed = [ob for ob in full if ob.kind == "supervision" and ob.status is not ObligationStatus.MET]
    assert [(o.key, o.due, o.status) for o in frontier if o.kind == "supervision"] == [
        (o.key, o.due, o.status) for o in owed
    ]
    (ob,) = owed
    return ob


def test_lancashire_next_session_is_four_weeks_after_the_last_whoever_held_it():
    """§1.10 "Social Workers 4 weeks": the last session with tm1 was on 16 February;
    tm2 takes over on 2 March, so the next is due 16 March, not 30 March."""
    the_facts = handover("2026-03-02", ("2026-02-16", "tm1"))
    ob = open_supervision("lancashire", the_facts, "2026-03-16")
    assert (ob.key, ob.due, ob.opens_on) == (
        "session:rel-b:2026-03-16",
        d("2026-03-16"),
        d("2026-03-02"),
    )
    assert ob.assignee == "tm2" and ob.status is ObligationStatus.DUE
    assert (
        open_supervision("lancashire", the_facts, "2026-03-17").status is ObligationStatus.OVERDUE
    )


def test_bristol_every_four_weeks_carries_across_a_change_of_supervisor():
    """§3.4 "should receive supervision every four weeks": last session 9 February,
    new supervisor from 23 February: due 9 March."""
    ob = open_supervision("bristol", handover("2026-02-23", ("2026-02-09", "tm1")), "2026-03-01")
    assert ob.due == d("2026-03-09") and ob.assignee == "tm2"


def test_bristol_a_casual_workers_hours_before_a_change_of_supervisor_count():
    """§3.5 "either monthly or after each 74 hours worked (whichever the least
    frequent)": the last session was on 2 February; 80 hours were worked by 20
    February; the new supervisor took over on 2 March. The next is due a month
    after the last session, 2 March, counting the hours worked before the change."""
    casual = team(
        staff("tm2", "team_manager", "2018-05-07", line_manager="hos1"),
        sw_started="2024-09-02",
        employment="casual",
    )
    the_facts = dataclasses.replace(
        handover("2026-03-02", ("2026-02-02", "tm1")),
        staff=casual,
        hours_worked=(
            HoursWorked("sw1", d("2026-02-10"), 40),
            HoursWorked("sw1", d("2026-02-20"), 40),
        ),
    )
    ob = open_supervision("bristol", the_facts, "2026-03-10")
    assert ob.due == d("2026-03-02") and ob.assignee == "tm2"


def test_wokingham_monthly_counts_from_the_last_session_by_calendar_month():
    """Standard 16 "personal supervision on a monthly basis": last session 31 January,
    new supervisor from 10 February: due 28 February (a month on), not 10 March."""
    ob = open_supervision("wokingham", handover("2026-02-10", ("2026-01-31", "tm1")), "2026-02-20")
    assert ob.due == d("2026-02-28")


def test_a_supervisee_already_overdue_at_the_handover_is_owed_from_the_first_day():
    """Last session 5 January, due 2 February; tm2 takes over on 16 February: the
    session is owed by tm2 from that day, overdue the day after."""
    the_facts = handover("2026-02-16", ("2026-01-05", "tm1"))
    on_the_day = open_supervision("lancashire", the_facts, "2026-02-16")
    assert (on_the_day.opens_on, on_the_day.due) == (d("2026-02-16"), d("2026-02-16"))
    assert on_the_day.status is ObligationStatus.DUE
    after = open_supervision("lancashire", the_facts, "2026-02-17")
    assert after.status is ObligationStatus.OVERDUE and after.assignee == "tm2"


def test_a_session_with_the_new_supervisor_starts_the_next_cycle_as_before():
    the_facts = handover("2026-03-02", ("2026-02-16", "tm1"), ("2026-03-10", "tm2"))
    ob = open_supervision("lancashire", the_facts, "2026-03-20")
    assert (ob.opens_on, ob.due) == (d("2026-03-10"), d("2026-04-07"))


def test_with_no_earlier_session_the_clock_starts_with_the_new_relationship():
    ob = open_supervision("lancashire", handover("2026-03-02"), "2026-03-03")
    assert ob.due == d("2026-03-30")


def test_a_new_starter_named_a_supervisor_late_is_due_from_their_start_date():
    """Bristol §3.4: "every four weeks" from joining: sw1 starts 5 January 2026 and
    is given a supervisor on 26 January: the first session is due 2 February."""
    the_facts = facts(
        staff=team(sw_started="2026-01-05"),
        relationships=[relationship(started_on="2026-01-26")],
    )
    ob = open_supervision("bristol", the_facts, "2026-01-27")
    assert (ob.opens_on, ob.due) == (d("2026-01-26"), d("2026-02-02"))


def test_the_first_session_with_a_new_supervisor_is_late_against_the_last_one_held():
    """Bristol Appendix 3 "Has it been more than four weeks since your last supervision
    session?": counted from the session with the previous supervisor."""
    the_facts = handover("2026-02-23", ("2026-02-09", "tm1"))
    on_time = late_check(load_profile("bristol"), the_facts, "rel-b", d("2026-03-09"))
    late = late_check(load_profile("bristol"), the_facts, "rel-b", d("2026-03-10"))
    assert (on_time.last_held, on_time.due, on_time.late) == (
        d("2026-02-09"),
        d("2026-03-09"),
        False,
    )
    assert late.late


def test_a_case_keeps_its_cadence_when_its_worker_changes_supervisor():
    """Wokingham standard 22 "every 4 weeks": supervised 2 February with tm1; tm2
    supervises sw1 from 16 February: the case is due 2 March, owed by tm2."""
    the_facts = handover("2026-02-16")
    the_facts = facts(
        staff=the_facts.staff,
        relationships=the_facts.relationships,
        cases=[case("C204511", "child_protection", "2026-01-05", supervised_on=["2026-02-02"])],
    )
    owed = [
        ob
        for ob in compute_obligations(
            load_profile("wokingham"), the_facts, d("2026-02-20"), lifecycles=["case_supervision"]
        )
        if ob.status is not ObligationStatus.MET and ob.kind == "case_supervision"
    ]
    assert [(ob.key, ob.due, ob.assignee) for ob in owed] == [
        ("case:C204511:2026-03-02", d("2026-03-02"), "tm2")
    ]
