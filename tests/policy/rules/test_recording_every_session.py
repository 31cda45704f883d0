"""Every supervision session the document has recorded owes its record
(recording.session `kinds`, policy/rules/recording.py): ASYE reflective and
group sessions too where the document says "all supervision" is recorded,
none where it records them elsewhere, each from the document's words and
checked against the frontier engine's open obligations."""

from __future__ import annotations

from policy import ObligationStatus, compute_obligations, keys, load_profile
from policy.frontier import compute_frontier
from tests.policy.policy_facts import by_key, d, facts, relationship, session, staff, team

MET, DUE, OVERDUE = ObligationStatus.MET, ObligationStatus.DUE, ObligationStatus.OVERDUE
FACILITATOR = staff("fac1", "team_manager", "2018-04-03", line_manager="hos1")


def recording(profile: str, as_of: str, *sessions, supervisees=("sw1",)) -> dict:
    """What the recording lifecycle owes sw1 (and sw2 if named), supervised by
    tm1 since 6 January 2025, checked against the frontier engine."""
    others = [staff(s, "social_worker", "2025-01-06", line_manager="tm1") for s in supervisees[1:]]
    the_facts = facts(
        staff=team(FACILITATOR, *others, sw_started="2025-01-06"),
        relationships=[
            relationship(supervisee=s, started_on="2025-01-06", id=f"rel-{n}")
            for n, s in enumerate(supervisees, 1)
        ],
        sessions=list(sessions),
    )
    full = compute_obligations(load_profile(profile), the_facts, d(as_of), lifecycles=["recording"])
    frontier = compute_frontier(
        load_profile(profile), the_facts, d(as_of), lifecycles=["recording"]
    )
    assert sorted((o.key, o.due, o.status) for o in frontier) == sorted(
        (o.key, o.due, o.status) for o in full if o.status is not MET
    )
    return by_key(full)


def reflective(held_on: str, **kw):
    return session(held_on, kind="asye_reflective", supervisor="tm1", **kw)


def group(held_on: str, supervisee: str = "sw1", **kw):
    return session(held_on, supervisee, kind="group", **kw)


def test_wokingham_an_asye_reflective_session_with_no_record_owes_one_in_five_working_days():
    """Standard 8 "All supervision will be recorded within a maximum of 5 days after the
    supervision session"; ASYE workers "have monthly reflective supervisions with their
    ASYE supervisor". Held Friday 6 March 2026: due Friday 13 March, overdue on Monday 16th."""
    on_the_day = recording("wokingham", "2026-03-13", reflective("2026-03-06"))
    record = on_the_day["record:rel-1:2026-03-06"]
    assert (record.kind, record.assignee, record.due) == ("record", "tm1", d("2026-03-13"))
    assert record.status is DUE
    after = recording("wokingham", "2026-03-16", reflective("2026-03-06"))
    assert after["record:rel-1:2026-03-06"].status is OVERDUE


def test_wokingham_an_asye_reflective_record_written_on_the_fifth_working_day_is_in_time():
    owed = recording("wokingham", "2026-03-20", reflective("2026-03-06", recorded_on="2026-03-13"))
    record = owed["record:rel-1:2026-03-06"]
    assert (record.status, record.met_on) == (MET, d("2026-03-13"))


def test_wokingham_the_facilitator_owes_a_group_sessions_record_in_each_attendees_file():
    """ "Responsibility for recording group supervision should be agreed, but the final record
    must be signed-off by the Facilitator"; standard 8's 5 days. Held Thursday 2 April 2026:
    Good Friday and Easter Monday are bank holidays, so due Monday 13 April."""
    owed = recording(
        "wokingham",
        "2026-04-13",
        group("2026-04-02", supervisor="fac1"),
        group("2026-04-02", "sw2", supervisor="fac1", recorded_on="2026-04-09"),
        supervisees=("sw1", "sw2"),
    )
    first, second = owed["record:group:sw1:2026-04-02"], owed["record:group:sw2:2026-04-02"]
    assert (first.kind, first.assignee, first.due, first.status) == (
        "group_record",
        "fac1",
        d("2026-04-13"),
        DUE,
    )
    assert (second.status, second.met_on) == (MET, d("2026-04-09"))
    assert (
        recording("wokingham", "2026-04-14", group("2026-04-02", supervisor="fac1"))[
            "record:group:sw1:2026-04-02"
        ].status
        is OVERDUE
    )


def test_wokingham_a_group_session_with_no_facilitator_recorded_is_owed_by_the_supervisor():
    owed = recording("wokingham", "2026-04-13", group("2026-04-02"))
    assert owed["record:group:sw1:2026-04-02"].assignee == "tm1"


def test_nottingham_all_supervision_sessions_are_recorded_group_ones_by_the_supervisor():
    """§2.5 "all supervision sessions must be recorded in writing on the standard forms";
    within a month, the record being signed "at the subsequent supervision" (§2.6).
    Held 6 March 2026: due 6 April, overdue on the 7th."""
    held = (group("2026-03-06", supervisor="fac1"), reflective("2026-03-09"))
    owed = recording("nottingham", "2026-04-06", *held)
    assert owed["record:group:sw1:2026-03-06"].assignee == "tm1"
    assert owed["record:group:sw1:2026-03-06"].due == d("2026-04-06")
    assert owed["record:rel-1:2026-03-09"].due == d("2026-04-09")
    assert (
        recording("nottingham", "2026-04-07", *held)["record:group:sw1:2026-03-06"].status
        is OVERDUE
    )


def test_north_west_asye_and_group_sessions_are_promptly_recorded_too():
    """ "Properly and promptly recorded, with notes copied to the individual": 5 working
    days. Held Monday 2 March 2026: due Monday 9 March."""
    owed = recording("north_west", "2026-03-09", reflective("2026-03-02"), group("2026-03-02"))
    assert owed["record:rel-1:2026-03-02"].due == d("2026-03-09")
    assert owed["record:group:sw1:2026-03-02"].due == d("2026-03-09")


def test_lancashire_group_supervision_recorded_in_the_workbook_owes_a_record_in_two_weeks():
    """§1.8 group supervision "is recorded in the Workbook by the team coordinator, however
    ultimate responsibility for this still sits with the team manager"; the 2 weeks of
    §1.8. Held Monday 2 March 2026: due Monday 16 March, owed by the team manager."""
    owed = recording("lancashire", "2026-03-16", group("2026-03-02", supervisor="fac1"))
    record = owed["record:group:sw1:2026-03-02"]
    assert (record.assignee, record.due, record.status) == ("tm1", d("2026-03-16"), DUE)


def test_lancashire_has_no_asye_reflective_sessions_to_record():
    owed = recording("lancashire", "2026-03-20", reflective("2026-03-02"))
    assert "record:rel-1:2026-03-02" not in owed


def test_bristol_group_supervision_owes_no_record_of_its_own():
    """§6.5 "Attendance at group/reflective supervision sessions should be captured and
    recorded within the personal supervision record"."""
    owed = recording("bristol", "2026-03-20", group("2026-03-02", supervisor="fac1"))
    assert not [key for key in owed if key.startswith("record:group:")]


def test_a_group_session_never_recorded_stays_owed_years_later_in_both_engines():
    owed = recording("nottingham", "2026-03-02", group("2024-01-15"), session("2026-02-02"))
    assert owed["record:group:sw1:2024-01-15"].status is OVERDUE


def test_one_to_one_and_asye_reflective_sessions_of_one_pair_on_one_day_are_one_record():
    owed = recording(
        "wokingham",
        "2026-03-20",
        session("2026-03-06", supervisor="tm1"),
        reflective("2026-03-06", recorded_on="2026-03-10"),
    )
    assert [k for k in owed if k.startswith("record:rel-1:")] == ["record:rel-1:2026-03-06"]
    assert owed["record:rel-1:2026-03-06"].met_on == d("2026-03-10")


def test_a_group_record_key_reads_back_into_its_family():
    key = keys.build("group_record", staff="staff-7", day=d("2026-03-06"))
    assert key == "record:group:staff-7:2026-03-06"
    parsed = keys.parse(key)
    assert (parsed.family, parsed["staff"], parsed.day) == (
        "group_record",
        "staff-7",
        d("2026-03-06"),
    )
