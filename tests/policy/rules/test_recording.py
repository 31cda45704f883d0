"""Recording deadlines: session records, case directions, important decisions
and the reason a session was late (policy/rules/recording.py), from each
document's words."""

from __future__ import annotations

from policy import ObligationStatus
from policy.facts import Decision
from tests.policy.policy_facts import by_key, case, d, lifecycle, owed, session

MET, OVERDUE = ObligationStatus.MET, ObligationStatus.OVERDUE


def test_lancashire_supervision_record_shared_within_two_weeks():
    """§1.8 "supervision record should be shared with them within 2 weeks of supervision"."""
    owed = by_key(
        lifecycle("lancashire", "2026-03-03", "recording", sessions=[session("2026-03-02")])
    )
    ob = owed["record:rel-1:2026-03-02"]
    assert ob.due == d("2026-03-16") and ob.kind == "record" and ob.assignee == "tm1"


def test_bristol_notes_within_48_hours_and_case_directions_within_24_hours():
    """Appendix 1 "shared within 48 hours"; §5.2 "case directions must be uploaded to LCS/EHM
    within 24 hours of the supervision session"."""
    the_case = case("C1", "child_in_need", "2025-06-02", supervised_on=["2026-03-06"])
    owed = by_key(
        lifecycle(
            "bristol", "2026-03-06", "recording", sessions=[session("2026-03-06")], cases=[the_case]
        )
    )
    assert owed["record:rel-1:2026-03-06"].due == d("2026-03-08")
    assert owed["record:case:C1:2026-03-06"].due == d("2026-03-07")


def test_wokingham_records_within_five_working_days_skipping_bank_holidays():
    """Standard 8 "recorded within a maximum of 5 days after the supervision session"."""
    owed = by_key(
        lifecycle("wokingham", "2026-04-02", "recording", sessions=[session("2026-04-02")])
    )
    # Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank holidays.
    assert owed["record:rel-1:2026-04-02"].due == d("2026-04-13")


def test_a_record_made_in_time_is_met():
    owed = by_key(
        lifecycle(
            "wokingham",
            "2026-04-20",
            "recording",
            sessions=[session("2026-04-02", recorded_on="2026-04-08")],
        )
    )
    assert owed["record:rel-1:2026-04-02"].status is ObligationStatus.MET


def test_lancashire_important_decisions_recorded_within_24_hours():
    """§1.8 "recorded as soon as possible, but at least within 24hrs"."""
    the_case = case("C1", "child_protection", "2025-06-02")
    owed = by_key(
        lifecycle(
            "lancashire",
            "2026-03-04",
            "recording",
            cases=[the_case],
            decisions=[Decision("C1", d("2026-03-02"))],
        )
    )
    ob = owed["record:decision:C1:2026-03-02"]
    assert ob.due == d("2026-03-03") and ob.status is ObligationStatus.OVERDUE


HELD = ["2025-01-20", "2025-02-17", "2025-04-07"]  # due 2025-03-17; held three weeks late


def test_bristol_owes_the_reason_for_a_late_session_in_its_record():
    """§3.4 "the reason for the delay should be clearly recorded in record of the next
    supervision session held"."""
    sessions = [session(day, supervisor="tm1") for day in HELD]
    obs = owed("bristol", "2025-04-10", "recording", sessions=sessions)
    late = [ob for ob in obs.values() if ob.kind == "late_reason"]
    assert [ob.key for ob in late] == ["late-reason:rel-1:2025-04-07"]
    (ob,) = late
    assert (ob.lifecycle, ob.assignee, ob.due, ob.status) == (
        "recording",
        "tm1",
        d("2025-04-09"),
        OVERDUE,
    )
    assert ob.note == "Supervision was due 2025-03-17"
    assert ob.source == "002_d53851039f9fa32d.txt §3.4; Appendix 1, Frequency"


def test_a_late_session_whose_record_gives_the_reason_meets_it():
    sessions = [session(day, supervisor="tm1") for day in HELD[:2]] + [
        session(HELD[2], supervisor="tm1", recorded_on="2025-04-08", late_reason_recorded=True)
    ]
    ob = owed("bristol", "2025-04-10", "recording", sessions=sessions)[
        "late-reason:rel-1:2025-04-07"
    ]
    assert (ob.status, ob.met_on) == (MET, d("2025-04-08"))


def test_sessions_on_time_owe_no_late_reason_and_other_profiles_owe_none():
    on_time = [session(day, supervisor="tm1") for day in ("2025-01-20", "2025-02-17", "2025-03-17")]
    assert not [
        k
        for k in owed("bristol", "2025-03-20", "recording", sessions=on_time)
        if k.startswith("late")
    ]
    late = [session(day, supervisor="tm1") for day in HELD]
    assert not [
        k
        for k in owed("lancashire", "2025-04-10", "recording", sessions=late)
        if k.startswith("late")
    ]
