"""Lancashire's Group Supervision Agreement (Appendix A): the coordinator and
every supervisee named on it sign; it is in force once all have; it is
reviewed at least annually."""

from __future__ import annotations

import pytest

from policy import ObligationStatus, compute_obligations, load_profile
from policy.facts import GroupAgreement, GroupSignatory
from tests.policy.policy_facts import by_key, d, facts, staff, team

MEMBERS = (
    staff("co1", "business_support", line_manager="tm1"),
    staff("sw2", line_manager="tm1"),
    staff("sw3", line_manager="tm1"),
)


def version(n: int = 1, issued_on: str = "2026-03-02", ended_on: str | None = None):
    return GroupAgreement(
        group="grp-1",
        version=n,
        supervisor="tm1",
        issued_on=d(issued_on),
        ended_on=d(ended_on) if ended_on else None,
    )


def signatories(n: int = 1, issued_on: str = "2026-03-02", **signed_on: str):
    parties = [("tm1", "supervisor"), ("co1", "coordinator"), ("sw2", "supervisee")]
    parties += [("sw3", "supervisee")]
    return [
        GroupSignatory(
            group="grp-1",
            version=n,
            staff=who,
            party=party,
            signed_on=d(issued_on)
            if party == "supervisor"
            else d(signed_on[who])
            if who in signed_on
            else None,
        )
        for who, party in parties
    ]


def owed(as_of: str, versions, signed, profile="lancashire", extra_staff=()):
    return by_key(
        compute_obligations(
            load_profile(profile),
            facts(
                staff=team(*MEMBERS, *extra_staff),
                group_agreements=versions,
                group_signatories=signed,
            ),
            d(as_of),
            lifecycles=["agreement", "agreement_review"],
        )
    )


def test_the_coordinator_and_each_supervisee_owe_a_signature_within_six_weeks_of_issue():
    obligations = owed("2026-03-02", [version()], signatories())
    keys = sorted(k for k in obligations if k.startswith("group-agreement-sign"))
    assert keys == [
        "group-agreement-sign:grp-1:v1:co1",
        "group-agreement-sign:grp-1:v1:sw2",
        "group-agreement-sign:grp-1:v1:sw3",
    ]
    ob = obligations["group-agreement-sign:grp-1:v1:sw2"]
    assert (ob.subject, ob.assignee, ob.assignee_role) == ("grp-1", "sw2", "supervisee")
    assert ob.due == d("2026-04-13")
    assert ob.source.startswith("000_b775b8e7712f1ef5.txt Appendix A, Group Supervision Agreement")
    assert "team coordinator and" in ob.rule_text


def test_the_supervisor_owes_no_signature_of_their_own_having_signed_to_issue_it():
    obligations = owed("2026-03-02", [version()], signatories())
    assert "group-agreement-sign:grp-1:v1:tm1" not in obligations


def test_a_signature_is_met_on_the_day_it_was_given_and_nobody_else_is_let_off():
    obligations = owed("2026-03-20", [version()], signatories(sw2="2026-03-10"))
    assert obligations["group-agreement-sign:grp-1:v1:sw2"].met_on == d("2026-03-10")
    assert obligations["group-agreement-sign:grp-1:v1:sw3"].status is ObligationStatus.UPCOMING
    assert not any(k.startswith("group-agreement-review") for k in obligations)


def test_an_unsigned_member_is_escalated_to_the_supervisors_line_manager_after_the_deadline():
    obligations = owed("2026-04-15", [version()], signatories(co1="2026-03-03", sw2="2026-03-04"))
    assert obligations["group-agreement-sign:grp-1:v1:sw3"].status is ObligationStatus.OVERDUE
    escalation = obligations["escalation:group-agreement-sign:grp-1:v1:sw3"]
    assert escalation.assignee == "hos1"
    assert escalation.subject == "grp-1"


def test_once_everyone_has_signed_the_review_is_due_a_year_after_the_last_signature():
    signed = signatories(co1="2026-03-03", sw2="2026-03-04", sw3="2026-03-09")
    obligations = owed("2026-03-10", [version()], signed)
    review = obligations["group-agreement-review:grp-1:2027-03-09"]
    assert (review.assignee, review.kind, review.lifecycle) == (
        "tm1",
        "group_agreement_review",
        "agreement_review",
    )
    assert review.status is ObligationStatus.UPCOMING


def test_a_new_version_is_the_review_and_only_the_latest_version_is_owed_signatures():
    first = signatories(co1="2026-03-03", sw2="2026-03-04", sw3="2026-03-09")
    second = signatories(2, issued_on="2027-02-15", sw2="2027-02-16")
    obligations = owed("2027-02-20", [version(), version(2, "2027-02-15")], first + second)
    assert obligations["group-agreement-review:grp-1:2027-03-09"].met_on == d("2027-02-15")
    assert not any(k.startswith("group-agreement-sign:grp-1:v1") for k in obligations)
    assert obligations["group-agreement-sign:grp-1:v2:sw2"].met_on == d("2027-02-16")
    assert obligations["group-agreement-sign:grp-1:v2:sw3"].due == d("2027-03-29")


def test_a_version_replaced_before_everyone_signed_it_is_no_longer_chased():
    first = signatories(sw2="2026-03-04")
    second = signatories(2, issued_on="2026-03-16")
    obligations = owed("2026-03-20", [version(), version(2, "2026-03-16")], first + second)
    assert not any(":v1:" in k for k in obligations)
    assert "group-agreement-sign:grp-1:v2:sw2" in obligations


def test_someone_who_has_left_is_not_chased_for_a_signature():
    leaver = staff("sw3", line_manager="tm1", left_on="2026-03-05")
    members = (MEMBERS[0], MEMBERS[1])
    obligations = by_key(
        compute_obligations(
            load_profile("lancashire"),
            facts(
                staff=team(*members, leaver),
                group_agreements=[version()],
                group_signatories=signatories(),
            ),
            d("2026-03-10"),
            lifecycles=["agreement"],
        )
    )
    assert "group-agreement-sign:grp-1:v1:sw3" not in obligations
    assert "group-agreement-sign:grp-1:v1:sw2" in obligations


def test_a_group_that_has_ended_owes_nothing_more():
    signed = signatories(co1="2026-03-03", sw2="2026-03-04")
    assert owed("2026-03-20", [version(ended_on="2026-03-16")], signed) == {}


@pytest.mark.parametrize("profile", ["nottingham", "bristol", "wokingham", "north_west"])
def test_only_a_profile_with_a_group_agreement_owes_anything_for_one(profile):
    assert owed("2026-03-02", [version()], signatories(), profile=profile) == {}


def test_facts_files_carry_group_agreements_and_name_a_bad_party():
    from policy.facts_json import FactsError, facts_from_json

    data = {
        "staff": [{"id": "tm1", "role": "team_manager", "started_on": "2020-01-06"}],
        "group_agreements": [
            {"group": "grp-1", "version": 1, "supervisor": "tm1", "issued_on": "2026-03-02"}
        ],
        "group_signatories": [
            {"group": "grp-1", "version": 1, "staff": "tm1", "party": "chair"},
        ],
    }
    with pytest.raises(FactsError, match=r"group_signatories\[0\]\.party: unknown party 'chair'"):
        facts_from_json(data)
    data["group_signatories"][0]["party"] = "supervisor"
    parsed = facts_from_json(data)
    assert parsed.group_agreements[0].issued_on == d("2026-03-02")
