"""Wokingham standards 14-15 as recorded facts with their own human tasks
(policy/rules/missed_sessions.py): a session not held within 3 weeks of its
due date is raised by the supervisee with their supervisor; not put right a
week later, escalated to the supervisor's line manager, who responds."""

from __future__ import annotations

from datetime import date

from policy import compute_obligations, load_profile
from policy.facts import Facts, MissedSession
from policy.frontier import compute_frontier
from policy.obligations import ObligationStatus
from tests.policy.policy_facts import d, relationship, session, team

# tm1 (line manager hos1) has supervised sw1 (in post since 2020: monthly) since
# 5 January 2026; after the session of 2 February the next is due on 2 March,
# so it is raised from 23 March, 3 weeks later.
DUE = date(2026, 3, 2)
RAISE_FROM = date(2026, 3, 23)
KINDS = ("missed_session_raise", "missed_session_escalate", "missed_session_response")


def facts(*missed: MissedSession, held=("2026-02-02",)) -> Facts:
    return Facts(
        staff=team(sw_started="2020-01-06"),
        relationships=(relationship(),),
        sessions=tuple(session(h) for h in held),
        missed_sessions=missed,
    )


def chain(f: Facts, as_of: str):
    found = compute_obligations(load_profile("wokingham"), f, d(as_of))
    return {ob.kind: ob for ob in found if ob.kind in KINDS}


def test_the_supervisee_raises_a_session_not_held_within_three_weeks_of_its_due_date():
    assert chain(facts(), "2026-03-22") == {}
    raise_it = chain(facts(), "2026-03-23")["missed_session_raise"]
    assert raise_it.key == f"missed-raise:rel-1:{DUE}"
    assert (raise_it.assignee, raise_it.assignee_role) == ("sw1", "supervisee")
    assert raise_it.opens_on == RAISE_FROM and raise_it.due == date(2026, 3, 30)  # 5 working days
    assert "Appendix A standard 14" in raise_it.source


def test_a_session_held_on_the_last_day_of_the_three_weeks_owes_nothing():
    assert chain(facts(held=("2026-02-02", "2026-03-23")), "2026-04-10") == {}


def test_once_raised_and_not_put_right_a_week_later_the_supervisee_escalates_it():
    raised = MissedSession("rel-1", DUE, raised_on=d("2026-03-24"))
    owed = chain(facts(raised), "2026-03-30")
    assert owed["missed_session_raise"].met_on == date(2026, 3, 24)
    assert "missed_session_escalate" not in owed
    escalate = chain(facts(raised), "2026-03-31")["missed_session_escalate"]
    assert escalate.opens_on == date(2026, 3, 31) and escalate.assignee == "sw1"
    assert escalate.key == f"missed-escalate:rel-1:{DUE}"


def test_once_escalated_the_supervisors_line_manager_responds():
    escalated = MissedSession("rel-1", DUE, d("2026-03-24"), escalated_on=d("2026-04-01"))
    respond = chain(facts(escalated), "2026-04-02")["missed_session_response"]
    assert (respond.assignee, respond.assignee_role) == ("hos1", "line_manager")
    # 5 working days from Wednesday 1 April 2026: Good Friday and Easter Monday skipped.
    assert respond.due == date(2026, 4, 10) and respond.met_on is None
    responded = MissedSession("rel-1", DUE, d("2026-03-24"), d("2026-04-01"), d("2026-04-03"))
    assert chain(facts(responded), "2026-04-06")["missed_session_response"].met_on == date(
        2026, 4, 3
    )


def test_holding_the_session_puts_every_open_step_right():
    escalated = MissedSession("rel-1", DUE, d("2026-03-24"), escalated_on=d("2026-04-01"))
    owed = chain(facts(escalated, held=("2026-02-02", "2026-04-02")), "2026-04-06")
    assert owed["missed_session_response"].met_on == date(2026, 4, 2)
    assert owed["missed_session_escalate"].status is ObligationStatus.MET


def test_councils_without_the_standard_owe_no_such_chain():
    for profile in ("lancashire", "nottingham", "bristol", "north_west"):
        found = compute_obligations(load_profile(profile), facts(), d("2026-04-10"))
        assert [ob for ob in found if ob.kind in KINDS] == []


def test_the_frontier_owes_what_the_whole_history_owes():
    escalated = MissedSession("rel-1", DUE, d("2026-03-24"), escalated_on=d("2026-04-01"))
    profile = load_profile("wokingham")
    for as_of in ("2026-03-23", "2026-03-31", "2026-04-02", "2026-04-20"):
        whole = [
            ob
            for ob in compute_obligations(profile, facts(escalated), d(as_of))
            if ob.status is not ObligationStatus.MET and ob.kind in KINDS
        ]
        frontier = compute_frontier(profile, facts(escalated), d(as_of))
        assert [ob for ob in frontier if ob.kind in KINDS] == whole, as_of


def test_where_the_chain_is_recorded_the_computed_escalation_of_the_same_session_is_not_owed():
    """Standards 14-15 are one chain: the supervisee raises it, then escalates it to the
    line manager. With `supervision.missed` recorded, the `escalation` rule's steps
    (3 and 4 weeks past due) are not owed beside it: one task per step."""
    raised = MissedSession("rel-1", DUE, raised_on=d("2026-03-24"))
    for as_of in ("2026-03-23", "2026-03-31", "2026-04-20"):
        found = compute_obligations(load_profile("wokingham"), facts(raised), d(as_of))
        escalated = [ob.escalates for ob in found if ob.kind == "escalation"]
        assert [k for k in escalated if k.startswith("session:")] == [], as_of
    # The agreement (a different obligation) keeps its computed escalation.
    assert "agreement:rel-1" in escalated
    owed = chain(facts(raised), "2026-03-31")
    assert set(owed) == {"missed_session_raise", "missed_session_escalate"}
