"""Audits of supervision records (policy/rules/record_audit.py): Wokingham's
annual audit of personal supervision records by relevant managers, discussed
with the supervisor; Nottingham's Supervision File Audit Check List completed
by the supervisor's line manager. Dates chosen so an off-by-one shows."""

from __future__ import annotations

from datetime import date

import pytest

from policy import compute_obligations, load_profile
from policy.documents import DocumentError
from policy.facts import Facts, RecordAudit
from policy.facts_checks import FactsError
from policy.facts_json import facts_from_json
from policy.forms.record_audit import record_audit
from policy.frontier import compute_frontier
from policy.obligations import ObligationStatus
from tests.policy.policy_facts import d, relationship, team

SUPERVISING_SINCE = "2025-03-17"


def audit_facts(*audits: RecordAudit, ended_on: str | None = None) -> Facts:
    """tm1 (line manager hos1) has supervised sw1 since 17 March 2025."""
    return Facts(
        staff=team(),
        relationships=(relationship(started_on=SUPERVISING_SINCE, ended_on=ended_on),),
        record_audits=audits,
    )


def owed(profile: str, facts: Facts, as_of: str, kind: str = "record_audit"):
    return [
        ob for ob in compute_obligations(load_profile(profile), facts, d(as_of)) if ob.kind == kind
    ]


@pytest.mark.parametrize("profile", ["wokingham", "nottingham"])
def test_a_supervisors_first_audit_is_due_twelve_months_after_they_began_supervising(profile):
    (first,) = owed(profile, audit_facts(), "2026-03-16")

    assert first.key == "record-audit:tm1:2026-03-17"
    assert first.due == date(2026, 3, 17)
    assert (first.assignee, first.assignee_role) == ("hos1", "line_manager")
    assert first.subject == "tm1" and first.lifecycle == "record_audit"
    assert first.status is ObligationStatus.DUE
    (overdue,) = owed(profile, audit_facts(), "2026-03-18")
    assert overdue.status is ObligationStatus.OVERDUE


def test_the_next_audit_is_due_twelve_months_after_the_last_one_not_after_the_due_date():
    late = RecordAudit("tm1", d("2026-05-04"), audited_by="hos1")

    first, second = owed("nottingham", audit_facts(late), "2026-06-01")

    assert (first.status, first.met_on) == (ObligationStatus.MET, date(2026, 5, 4))
    assert second.key == "record-audit:tm1:2027-05-04"
    assert second.status is ObligationStatus.UPCOMING


def test_nobody_owes_an_audit_for_someone_who_no_longer_supervises_anyone():
    assert owed("wokingham", audit_facts(ended_on="2026-01-01"), "2026-06-01") == []


def test_councils_whose_documents_ask_for_no_record_audit_owe_none():
    for profile in ("lancashire", "bristol", "north_west"):
        assert owed(profile, audit_facts(), "2026-06-01") == []


def test_wokingham_asks_the_supervisor_to_discuss_each_audit_within_a_month():
    audit = RecordAudit("tm1", d("2026-03-10"), audited_by="hos1")

    (discussion,) = owed("wokingham", audit_facts(audit), "2026-04-10", "record_audit_discuss")

    assert discussion.key == "record-audit-discuss:tm1:2026-03-10"
    assert discussion.due == date(2026, 4, 10)
    assert (discussion.assignee, discussion.assignee_role) == ("tm1", "supervisor")
    assert discussion.status is ObligationStatus.DUE
    discussed = RecordAudit("tm1", d("2026-03-10"), audited_by="hos1", discussed_on=d("2026-03-24"))
    (met,) = owed("wokingham", audit_facts(discussed), "2026-04-11", "record_audit_discuss")
    assert met.met_on == date(2026, 3, 24)


def test_nottingham_owes_no_discussion_the_checklist_goes_on_the_file():
    audit = RecordAudit("tm1", d("2026-03-10"), audited_by="hos1")
    assert owed("nottingham", audit_facts(audit), "2026-06-01", "record_audit_discuss") == []


@pytest.mark.parametrize("as_of", ["2026-03-16", "2026-03-18", "2026-04-11", "2027-03-11"])
def test_the_frontier_owes_what_the_whole_history_owes(as_of):
    facts = audit_facts(RecordAudit("tm1", d("2026-03-10"), audited_by="hos1"))
    profile = load_profile("wokingham")

    whole = [
        ob
        for ob in compute_obligations(profile, facts, d(as_of), lifecycles=["record_audit"])
        if ob.status is not ObligationStatus.MET
    ]
    assert compute_frontier(profile, facts, d(as_of), lifecycles=["record_audit"]) == whole


def test_a_discussion_dated_before_its_audit_is_refused_naming_the_item():
    facts = {
        "staff": [{"id": "tm1", "role": "team_manager", "started_on": "2020-01-06"}],
        "record_audits": [
            {"supervisor": "tm1", "audited_on": "2026-03-10", "discussed_on": "2026-03-09"}
        ],
    }
    with pytest.raises(FactsError, match=r"record_audits\[0\]\.discussed_on"):
        facts_from_json(facts)


def test_each_councils_checklist_cites_the_paragraph_each_question_checks():
    for profile in ("wokingham", "nottingham"):
        form = load_profile(profile).document("record_audit")
        assert len(form.questions) >= 8
        assert all(q.cite for q in form.questions)
        assert form.shortfalls({q.id: "no" for q in form.questions[:3]}) == 3
        assert form.source.startswith(load_profile(profile).source_file)


def test_a_checklist_without_a_shortfall_answer_is_refused():
    bad = {
        "source": "x",
        "audited_by": "x",
        "answers": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
        "questions": [{"id": "q", "text": "Q?", "cite": "§1"}],
        "findings": {"label": "l", "hint": "h", "message": "m"},
        "afterwards": "a",
    }
    with pytest.raises(DocumentError, match="shortfall"):
        record_audit(bad)
