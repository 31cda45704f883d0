"""Actions agreed in supervision as obligations (policy/rules/actions.py): each
action with an owner and a date is owed by its owner by that date, overdue the
day after; met when done. Dates chosen so an off-by-one shows."""

from __future__ import annotations

from datetime import date

import pytest

from policy import compute_obligations, load_profile
from policy.facts import AgreedAction, Facts
from policy.facts_checks import FactsError
from policy.facts_json import facts_from_json
from policy.frontier import compute_frontier
from policy.obligations import ObligationStatus
from tests.policy.policy_facts import d, relationship, team

CITED = {
    "wokingham": "Appendix A standard 6",
    "lancashire": "§1.6",
    "bristol": "Appendix 3, Supervision templates",
    "north_west": "Key Messages for Individuals Receiving Supervision",
}


def action(owner="sw1", due="2026-03-16", done=None, id="act-1") -> AgreedAction:
    return AgreedAction(
        id=id, supervisee="sw1", owner=owner, agreed_on=d("2026-03-02"), due_on=d(due),
        done_on=d(done) if done else None,
    )  # fmt: skip


def facts(*actions: AgreedAction) -> Facts:
    return Facts(staff=team(), relationships=(relationship(),), actions=actions)


def owed(profile: str, facts: Facts, as_of: str):
    found = compute_obligations(load_profile(profile), facts, d(as_of), lifecycles=["recording"])
    return [ob for ob in found if ob.kind == "session_action"]


@pytest.mark.parametrize("profile", sorted(CITED))
def test_an_action_is_owed_by_its_owner_by_its_date_and_overdue_the_day_after(profile):
    (on_the_day,) = owed(profile, facts(action()), "2026-03-16")
    assert on_the_day.key == "action:act-1"
    assert (on_the_day.assignee, on_the_day.assignee_role) == ("sw1", "supervisee")
    assert on_the_day.due == date(2026, 3, 16) and on_the_day.opens_on == date(2026, 3, 2)
    assert on_the_day.status is ObligationStatus.DUE
    assert CITED[profile] in on_the_day.source
    (late,) = owed(profile, facts(action()), "2026-03-17")
    assert late.status is ObligationStatus.OVERDUE


def test_an_action_the_supervisor_owns_is_in_the_supervisors_inbox():
    (ob,) = owed("wokingham", facts(action(owner="tm1")), "2026-03-10")
    assert (ob.assignee, ob.assignee_role, ob.subject) == ("tm1", "supervisor", "sw1")


def test_an_action_done_late_is_met_on_the_day_it_was_done():
    (ob,) = owed("bristol", facts(action(done="2026-03-20")), "2026-03-25")
    assert (ob.status, ob.met_on) == (ObligationStatus.MET, date(2026, 3, 20))


def test_nottingham_whose_policy_names_no_actions_owes_none():
    assert owed("nottingham", facts(action()), "2026-03-17") == []


def test_an_action_agreed_after_the_as_of_date_is_not_yet_owed():
    assert owed("wokingham", facts(action()), "2026-03-01") == []


@pytest.mark.parametrize("as_of", ["2026-03-10", "2026-03-17", "2026-03-21"])
def test_the_frontier_owes_what_the_whole_history_owes(as_of):
    both = facts(action(), action(id="act-2", owner="tm1", due="2026-03-20", done="2026-03-19"))
    profile = load_profile("wokingham")
    whole = [
        ob
        for ob in compute_obligations(profile, both, d(as_of), lifecycles=["recording"])
        if ob.status is not ObligationStatus.MET and ob.kind == "session_action"
    ]
    frontier = compute_frontier(profile, both, d(as_of), lifecycles=["recording"])
    assert [ob for ob in frontier if ob.kind == "session_action"] == whole


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"due_on": "2026-03-01"}, r"actions\[0\]\.due_on: 2026-03-01 is before agreed_on"),
        ({"done_on": "2026-02-27"}, r"actions\[0\]\.done_on"),
        ({"owner": "nobody"}, r"actions\[0\]\.owner: no staff with id"),
    ],
)
def test_an_action_that_contradicts_itself_is_refused_naming_the_item(change, where):
    data = {
        "staff": [{"id": "sw1", "role": "social_worker", "started_on": "2020-01-06"}],
        "actions": [
            {"id": "act-1", "supervisee": "sw1", "owner": "sw1", "agreed_on": "2026-03-02",
             "due_on": "2026-03-16", **change}
        ],
    }  # fmt: skip
    with pytest.raises(FactsError, match=where):
        facts_from_json(data)
