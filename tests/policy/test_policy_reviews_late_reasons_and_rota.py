"""Issue 3's remaining rules, from each document's words: Lancashire's annual
review questionnaire and its forwarding, Bristol's reason for a late session,
Nottingham's case-file audit rota, and the yearly registration renewal."""

from __future__ import annotations

import json

from policy_facts import agreement, by_key, case, d, facts, relationship, session, staff, team

from policy import ObligationStatus, compute_obligations, load_profile
from policy.cli import main
from policy.facts import Audit, ReviewQuestionnaire
from policy.facts_json import FactsError, facts_from_json

MET, OVERDUE, UPCOMING = ObligationStatus.MET, ObligationStatus.OVERDUE, ObligationStatus.UPCOMING


def owed(profile, as_of, lifecycle, **sections):
    sections.setdefault("relationships", [relationship(started_on="2025-01-06")])
    sections.setdefault("staff", team(sw_started="2025-01-06"))
    return by_key(
        compute_obligations(
            load_profile(profile), facts(**sections), d(as_of), lifecycles=[lifecycle]
        )
    )


SIGNED = [agreement(signed_on="2025-02-03", relationship="rel-1")]


def test_lancashire_questionnaire_is_owed_with_the_annual_review_of_the_agreement():
    """§1.4 "reviewed at least annually, and as part of this process, the supervisor should
    review how supervision has been going with the supervisee"; Appendix A "Supervision
    Annual Review"."""
    ob = owed("lancashire", "2026-01-28", "agreement_review", agreements=SIGNED)[
        "review-questionnaire:rel-1:2026-02-03"
    ]
    assert (ob.kind, ob.due, ob.status) == (
        "review_questionnaire",
        d("2026-02-03"),
        ObligationStatus.DUE,
    )
    assert (ob.assignee, ob.assignee_role) == ("sw1", "supervisee")
    assert ob.source == "000_b775b8e7712f1ef5.txt §1.4; Appendix A, Supervision Annual Review"


def test_a_completed_questionnaire_meets_the_review_it_belongs_to_and_is_owed_to_the_line_manager():
    """Appendix A: "A copy of this completed form should be forwarded to the supervisor's
    line manager"."""
    done = [ReviewQuestionnaire("rel-1", d("2026-01-28"))]
    obs = owed(
        "lancashire",
        "2026-02-20",
        "agreement_review",
        agreements=SIGNED,
        review_questionnaires=done,
    )
    assert obs["review-questionnaire:rel-1:2026-02-03"].met_on == d("2026-01-28")
    forward = obs["review-questionnaire-forward:rel-1:2026-01-28"]
    assert (forward.kind, forward.assignee, forward.due, forward.status) == (
        "review_questionnaire_forward",
        "tm1",
        d("2026-02-11"),
        OVERDUE,
    )
    assert forward.note == "Forward to hos1, the supervisor's line manager"
    forwarded = [ReviewQuestionnaire("rel-1", d("2026-01-28"), forwarded_on=d("2026-02-02"))]
    again = owed(
        "lancashire",
        "2026-02-20",
        "agreement_review",
        agreements=SIGNED,
        review_questionnaires=forwarded,
    )
    assert again["review-questionnaire-forward:rel-1:2026-01-28"].met_on == d("2026-02-02")


def test_last_years_questionnaire_does_not_meet_this_years_review():
    renewed = [*SIGNED, agreement(signed_on="2026-02-02", relationship="rel-1")]
    done = [ReviewQuestionnaire("rel-1", d("2026-02-02"))]
    obs = owed(
        "lancashire",
        "2027-02-10",
        "agreement_review",
        agreements=renewed,
        review_questionnaires=done,
    )
    assert obs["review-questionnaire:rel-1:2026-02-03"].met_on == d("2026-02-02")
    assert obs["review-questionnaire:rel-1:2027-02-02"].status is OVERDUE


def test_profiles_without_the_form_owe_no_questionnaire():
    obs = owed("bristol", "2026-01-26", "agreement_review", agreements=SIGNED)
    assert {ob.kind for ob in obs.values()} == {"agreement_review"}


def test_a_questionnaire_for_an_unknown_relationship_is_refused_in_a_facts_file():
    data = {
        "staff": [{"id": "sw1", "role": "social_worker", "started_on": "2025-01-06"}],
        "review_questionnaires": [{"relationship": "rel-9", "reviewed_on": "2026-01-28"}],
    }
    try:
        facts_from_json(data)
    except FactsError as exc:
        assert str(exc) == "review_questionnaires[0].relationship: no relationship with id 'rel-9'"
    else:
        raise AssertionError("an unknown relationship was accepted")


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


def _rota_team():
    return (
        staff("hos1", "senior_manager", "2015-04-13"),
        staff("tm1", "team_manager", "2019-09-02", line_manager="hos1", team="t1"),
        staff("sw1", started_on="2024-01-08", line_manager="tm1", team="t1"),
        staff("sw2", started_on="2024-01-08", line_manager="tm1", team="t1"),
        staff("sw3", started_on="2024-01-08", line_manager="tm1", team="t1"),
    )


def _cases():
    return [
        case("1000001", "child_protection", "2025-06-02", worker="sw1"),
        case("1000002", "child_in_need", "2025-06-02", worker="sw2"),
        case("1000003", "child_in_care", "2025-06-02", worker="sw3"),
    ]


def test_nottingham_audit_names_the_least_recently_audited_workers_next_on_the_rota():
    """§1.5 "a minimum of two case files will be audited per month/per team. These will be
    audited on a rota basis to ensure case files are audited from each worker in the team
    on a rolling basis"."""
    audits = [Audit("1000001", d("2026-02-10")), Audit("1000002", d("2026-01-12"))]
    obs = owed(
        "nottingham",
        "2026-03-05",
        "case_file_audit",
        staff=_rota_team(),
        cases=_cases(),
        audits=audits,
    )
    ob = obs["case-file-audit:t1:2026-03-01"]
    assert ob.note == "Next on the rota: sw3 (never audited), sw2 (last audited 2026-01-12)"
    assert ob.assignee == "tm1"


def test_a_month_with_its_audits_done_has_no_rota_note():
    audits = [Audit("1000001", d("2026-03-02")), Audit("1000003", d("2026-03-03"))]
    obs = owed(
        "nottingham",
        "2026-03-05",
        "case_file_audit",
        staff=_rota_team(),
        cases=_cases(),
        audits=audits,
    )
    ob = obs["case-file-audit:t1:2026-03-01"]
    assert (ob.status, ob.note) == (MET, "")


def test_the_command_line_prints_a_note_only_when_there_is_one(tmp_path, capsys):
    data = {
        "staff": [
            {"id": "tm1", "role": "team_manager", "started_on": "2019-09-02", "team": "t1"},
            {
                "id": "sw1",
                "role": "social_worker",
                "started_on": "2024-01-08",
                "team": "t1",
                "line_manager": "tm1",
            },
        ],
        "relationships": [{"supervisor": "tm1", "supervisee": "sw1", "started_on": "2024-01-08"}],
        "cases": [
            {
                "id": "1000001",
                "type": "child_protection",
                "worker": "sw1",
                "allocated_on": "2025-06-02",
            }
        ],
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data))
    assert (
        main(
            [
                "obligations",
                "--profile",
                "nottingham",
                "--facts",
                str(path),
                "--as-of",
                "2026-03-05",
            ]
        )
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    audit = next(o for o in printed if o["key"] == "case-file-audit:t1:2026-03-01")
    assert audit["note"] == "Next on the rota: sw1 (never audited)"
    assert all("note" not in o for o in printed if o["kind"] != "case_file_audit")


def test_registration_is_checked_again_before_each_years_renewal():
    """Lancashire §1.16 "Supervisors must check that the professional registration of their
    staff is maintained"; Social Work England registration renews every year."""
    people = team(
        sw_started="2025-01-06",
        registration_renews_on="2025-11-30",
        registration_checked_on="2025-11-10",
    )
    assert (
        owed("lancashire", "2026-03-01", "registration", staff=people)[
            "registration:sw1:2025-11-30"
        ].status
        is MET
    )
    next_year = owed("lancashire", "2026-11-25", "registration", staff=people)
    assert list(next_year) == ["registration:sw1:2026-11-30"]
    assert next_year["registration:sw1:2026-11-30"].status is ObligationStatus.DUE
    # Unchecked past the renewal date it stays overdue until the next year's window opens.
    assert (
        owed("lancashire", "2027-10-01", "registration", staff=people)[
            "registration:sw1:2026-11-30"
        ].status
        is OVERDUE
    )
