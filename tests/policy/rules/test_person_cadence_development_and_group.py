"""Lancashire's quarterly development discussion (§1.16 "Ensure the development
of supervisees is discussed at least every quarter") and Bristol's group
reflective supervision (§6.1 "once every four weeks") belong to the person,
like personal supervision: after a change of supervisor the next is due a
cycle after the last, whoever held it. The frontier engine owes the same."""

from __future__ import annotations

from policy import ObligationStatus, compute_obligations, load_profile
from policy.frontier import compute_frontier
from tests.policy.policy_facts import d, facts, relationship, session, staff, team

PEOPLE = team(
    staff("tm2", "team_manager", "2018-05-07", line_manager="hos1"), sw_started="2024-09-02"
)


def handover(change_on: str, sessions):
    """sw1 supervised by tm1 from their start until `change_on`, then by tm2."""
    return facts(
        staff=PEOPLE,
        relationships=[
            relationship(id="rel-a", started_on="2024-09-02", ended_on=change_on),
            relationship(
                supervisor="tm2", id="rel-b", started_on=change_on, reason="change_of_supervisor"
            ),
        ],
        sessions=sessions,
    )


def open_of_kind(profile: str, the_facts, as_of: str, lifecycle: str, kind: str):
    full = compute_obligations(load_profile(profile), the_facts, d(as_of), lifecycles=[lifecycle])
    frontier = compute_frontier(load_profile(profile), the_facts, d(as_of), lifecycles=[lifecycle])
    owed = [o for o in full if o.kind == kind and o.status is not ObligationStatus.MET]
    assert [(o.key, o.due, o.status) for o in frontier if o.kind == kind] == [
        (o.key, o.due, o.status) for o in owed
    ]
    (ob,) = owed
    return ob


def test_lancashire_development_is_due_a_quarter_after_the_last_discussion_with_anyone():
    """Discussed with tm1 on 12 January 2026; tm2 takes over on 2 February: the next
    discussion is due 12 April, not 2 May (a quarter after the new relationship)."""
    the_facts = handover(
        "2026-02-02", [session("2026-01-12", supervisor="tm1", development_discussed=True)]
    )
    ob = open_of_kind("lancashire", the_facts, "2026-04-12", "development", "development")
    assert (ob.key, ob.due, ob.assignee) == ("development:rel-b:2026-04-12", d("2026-04-12"), "tm2")
    assert ob.status is ObligationStatus.DUE
    later = open_of_kind("lancashire", the_facts, "2026-04-13", "development", "development")
    assert later.status is ObligationStatus.OVERDUE


def test_lancashire_development_with_the_new_supervisor_meets_the_carried_cycle():
    the_facts = handover(
        "2026-02-02",
        [
            session("2026-01-12", supervisor="tm1", development_discussed=True),
            session("2026-04-09", supervisor="tm2", development_discussed=True),
        ],
    )
    ob = open_of_kind("lancashire", the_facts, "2026-05-01", "development", "development")
    assert ob.due == d("2026-07-09")


def test_bristol_group_supervision_is_due_four_weeks_after_the_last_group_attended():
    """Attended a group on Tuesday 20 January 2026; supervisor changes on 2 February:
    the next group is due 17 February, not 2 March."""
    the_facts = handover("2026-02-02", [session("2026-01-20", kind="group")])
    ob = open_of_kind(
        "bristol", the_facts, "2026-02-17", "personal_supervision", "group_supervision"
    )
    assert (ob.key, ob.due, ob.opens_on) == (
        "group:rel-b:2026-02-17",
        d("2026-02-17"),
        d("2026-02-02"),
    )
    assert ob.status is ObligationStatus.DUE
    later = open_of_kind(
        "bristol", the_facts, "2026-02-18", "personal_supervision", "group_supervision"
    )
    assert later.status is ObligationStatus.OVERDUE
