"""A session held owes its record, and, apart from it, the record shared with
(copied to) the supervisee, each counted from the session and met on its own
day (policy/rules/recording.py): Lancashire §1.8, Bristol Appendix 1,
Nottingham §2.5-2.6, North West "Properly and promptly recorded, with notes
copied to the individual". The frontier engine owes the same."""

from __future__ import annotations

import pytest

from policy import ObligationStatus, compute_obligations, load_profile
from policy.facts_checks import FactsError
from policy.facts_json import facts_from_json
from policy.frontier import compute_frontier
from tests.policy.policy_facts import by_key, d, facts, relationship, session, team

MET, DUE, OVERDUE = ObligationStatus.MET, ObligationStatus.DUE, ObligationStatus.OVERDUE


def recording(profile: str, as_of: str, *sessions) -> dict:
    """What the recording lifecycle owes sw1 (supervised by tm1 since 6 January
    2025), checked against the frontier engine's open obligations."""
    the_facts = facts(
        staff=team(sw_started="2025-01-06"),
        relationships=[relationship(started_on="2025-01-06")],
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


def test_lancashire_record_written_but_not_shared_is_still_owed_to_the_supervisee():
    """§1.8 "shared with them within 2 weeks of supervision": held Monday 2 March,
    written the next day, not shared: sharing is due 16 March, overdue on the 17th."""
    held = session("2026-03-02", recorded_on="2026-03-03", supervisor="tm1")
    on_the_day = recording("lancashire", "2026-03-16", held)
    assert on_the_day["record:rel-1:2026-03-02"].status is MET
    shared = on_the_day["record-shared:rel-1:2026-03-02"]
    assert (shared.kind, shared.due, shared.status) == ("record_shared", d("2026-03-16"), DUE)
    assert shared.assignee == "tm1" and shared.source.endswith("§1.8")
    day_after = recording("lancashire", "2026-03-17", held)
    assert day_after["record-shared:rel-1:2026-03-02"].status is OVERDUE


def test_lancashire_sharing_is_met_on_the_day_shared_not_the_day_written():
    held = session("2026-03-02", recorded_on="2026-03-03", shared_on=d("2026-03-16"))
    shared = recording("lancashire", "2026-03-20", held)["record-shared:rel-1:2026-03-02"]
    assert (shared.status, shared.met_on) == (MET, d("2026-03-16"))


def test_bristol_notes_copied_within_48_hours_of_the_session():
    """Appendix 1 "These will be shared within 48 hours of supervision having taken
    place": held Friday 6 March, due Sunday 8 March (hours, not working days)."""
    held = session("2026-03-06", recorded_on="2026-03-06")
    owed = recording("bristol", "2026-03-08", held)
    assert owed["record-shared:rel-1:2026-03-06"].due == d("2026-03-08")
    assert owed["record-shared:rel-1:2026-03-06"].status is DUE
    assert recording("bristol", "2026-03-09", held)["record-shared:rel-1:2026-03-06"].status is (
        OVERDUE
    )


def test_nottingham_a_session_held_with_no_record_owes_one_within_a_month():
    """§2.5 "all supervision sessions must be recorded in writing on the standard forms";
    §2.6 "Supervisees must be provided with a copy": held 2 March, no record yet."""
    owed = recording("nottingham", "2026-04-02", session("2026-03-02"))
    record, copy = owed["record:rel-1:2026-03-02"], owed["record-shared:rel-1:2026-03-02"]
    assert (record.due, record.status) == (d("2026-04-02"), DUE)
    assert (copy.due, copy.status) == (d("2026-04-02"), DUE)
    assert record.source.endswith("§2.5; §1.10")
    later = recording("nottingham", "2026-04-03", session("2026-03-02"))
    assert later["record:rel-1:2026-03-02"].status is OVERDUE


def test_north_west_promptly_recorded_and_copied_within_five_working_days():
    """ "Properly and promptly recorded, with notes copied to the individual": held
    Thursday 2 April 2026; Good Friday and Easter Monday are bank holidays."""
    owed = recording("north_west", "2026-04-13", session("2026-04-02"))
    assert owed["record:rel-1:2026-04-02"].due == d("2026-04-13")
    assert owed["record-shared:rel-1:2026-04-02"].due == d("2026-04-13")
    assert owed["record:rel-1:2026-04-02"].status is DUE


def test_wokingham_owes_no_separate_copy_its_document_does_not_ask_for():
    owed = recording("wokingham", "2026-04-20", session("2026-04-02"))
    assert "record:rel-1:2026-04-02" in owed
    assert not [key for key in owed if key.startswith("record-shared:")]


def test_a_record_shared_before_the_session_was_held_is_refused():
    data = {
        "staff": [
            {"id": "tm1", "role": "team_manager", "started_on": "2019-09-02"},
            {"id": "sw1", "role": "social_worker", "started_on": "2025-01-06"},
        ],
        "relationships": [{"supervisor": "tm1", "supervisee": "sw1", "started_on": "2025-01-06"}],
        "sessions": [{"supervisee": "sw1", "held_on": "2026-03-02", "shared_on": "2026-03-01"}],
    }
    with pytest.raises(FactsError) as refused:
        facts_from_json(data)
    assert str(refused.value) == "sessions[0].shared_on: 2026-03-01 is before held_on 2026-03-02"


def test_sharing_is_owed_once_the_record_is_written_or_when_its_deadline_comes():
    """Nothing to share before it is written: a session just held puts one task (write
    the record) in the supervisor's inbox, not two; the deadline still counts from the
    session, and on it an unwritten record owes its sharing too."""
    unwritten = recording("lancashire", "2026-03-15", session("2026-03-02"))
    assert "record-shared:rel-1:2026-03-02" not in unwritten
    assert unwritten["record:rel-1:2026-03-02"].status is ObligationStatus.DUE
    deadline = recording("lancashire", "2026-03-16", session("2026-03-02"))
    assert deadline["record-shared:rel-1:2026-03-02"].status is ObligationStatus.DUE
    written = recording("lancashire", "2026-03-06", session("2026-03-02", recorded_on="2026-03-05"))
    shared = written["record-shared:rel-1:2026-03-02"]
    assert (shared.opens_on, shared.due) == (d("2026-03-02"), d("2026-03-16"))
