"""The agreement lifecycle, from each document's own words."""

from __future__ import annotations

import pytest

from policy import ObligationStatus, compute_obligations, load_profile
from policy.facts import ReviewQuestionnaire
from policy.facts_json import FactsError, facts_from_json
from tests.policy.policy_facts import agreement, by_key, d, facts, owed, relationship, staff, team

MET, DUE, OVERDUE, UPCOMING = (
    ObligationStatus.MET,
    ObligationStatus.DUE,
    ObligationStatus.OVERDUE,
    ObligationStatus.UPCOMING,
)


def agreement_lifecycle(profile: str, as_of: str, **sections):
    sections.setdefault("relationships", [relationship(started_on="2026-01-05")])
    owed = compute_obligations(
        load_profile(profile), facts(**sections), d(as_of), lifecycles=["agreement"]
    )
    return by_key(owed)


def test_lancashire_agreement_is_due_six_weeks_after_a_new_starter_begins():
    """§1.4 "a supervision agreement, drawn up within 6 weeks of starting their job"."""
    ob = agreement_lifecycle("lancashire", "2026-01-05")["agreement:rel-1"]
    assert ob.due == d("2026-02-16")
    assert ob.kind == "agreement" and ob.lifecycle == "agreement"
    assert (ob.subject, ob.assignee, ob.assignee_role) == ("rel-1", "tm1", "supervisor")
    assert ob.opens_on == d("2026-01-05")
    assert ob.status is UPCOMING
    assert ob.source == "000_b775b8e7712f1ef5.txt §1.4"
    assert "within 6 weeks" in ob.rule_text


@pytest.mark.parametrize("reason", ["change_of_post", "change_of_supervisor"])
def test_lancashire_agreement_is_owed_again_on_change_of_post_or_supervisor(reason):
    """§1.4 "... or change of post, or change of supervisor"."""
    rels = [
        relationship(id="rel-old", started_on="2024-01-01", ended_on="2026-03-02"),
        relationship(id="rel-new", started_on="2026-03-02", reason=reason),
    ]
    owed = agreement_lifecycle("lancashire", "2026-03-10", relationships=rels)
    assert "agreement:rel-old" not in owed
    assert owed["agreement:rel-new"].due == d("2026-04-13")


def test_bristol_agreement_is_due_within_the_first_four_weeks_of_the_relationship():
    """§3.1 "completed within the first four weeks for the supervisor/supervisee relationship"."""
    assert agreement_lifecycle("bristol", "2026-01-05")["agreement:rel-1"].due == d("2026-02-02")


def test_wokingham_agreement_follows_standard_4_one_month_and_cites_the_two_month_template():
    """Standard 4 "signed within 1 month"; Appendix B "within the first two months"."""
    rels = [relationship(started_on="2026-01-31")]
    ob = agreement_lifecycle("wokingham", "2026-02-01", relationships=rels)["agreement:rel-1"]
    assert ob.due == d("2026-02-28")  # a calendar month, clamped to the month's end
    assert "standard 4" in ob.source and "Appendix B" in ob.source
    rule = load_profile("wokingham").rule("agreement.deadline")
    assert "two months" in rule.note


def test_nottingham_agreement_at_the_start_of_the_relationship_reads_as_four_weeks():
    """§2.1 "drawn up ... at the start of any new supervisory relationship" (no number given)."""
    ob = agreement_lifecycle("nottingham", "2026-01-05")["agreement:rel-1"]
    assert ob.due == d("2026-02-02")
    assert "§2.1" in ob.source
    assert "national practice" in load_profile("nottingham").rule("agreement.deadline").note.lower()


def test_north_west_written_agreement_uses_the_outer_six_weeks_of_national_practice():
    """ "Based on a written agreement or contract" (Key Messages for Supervisors)."""
    assert agreement_lifecycle("north_west", "2026-01-05")["agreement:rel-1"].due == d("2026-02-16")


def test_agreement_becomes_due_within_the_due_soon_window_and_overdue_after_the_deadline():
    assert agreement_lifecycle("bristol", "2026-01-25")["agreement:rel-1"].status is UPCOMING
    assert agreement_lifecycle("bristol", "2026-01-26")["agreement:rel-1"].status is DUE
    assert agreement_lifecycle("bristol", "2026-02-02")["agreement:rel-1"].status is DUE
    assert agreement_lifecycle("bristol", "2026-02-03")["agreement:rel-1"].status is OVERDUE


def test_agreement_signed_by_both_is_met_on_the_day_of_the_second_signature():
    """Bristol Appendix 1 "Signed: ... Signed:"; the agreement is in force when both sign."""
    owed = agreement_lifecycle(
        "bristol", "2026-02-20", agreements=[agreement("2026-01-20", "2026-01-15")]
    )
    assert owed["agreement:rel-1"].status is MET
    assert owed["agreement:rel-1"].met_on == d("2026-01-20")
    assert owed["agreement-countersign:rel-1"].status is MET


def test_agreement_signed_only_by_the_supervisor_awaits_the_supervisees_countersignature():
    """Nottingham §2.1 "The contract should be signed and dated by both parties"."""
    owed = agreement_lifecycle(
        "nottingham", "2026-01-20", agreements=[agreement(supervisor_signed_on="2026-01-19")]
    )
    drawn_up, countersign = owed["agreement:rel-1"], owed["agreement-countersign:rel-1"]
    assert drawn_up.status is MET and drawn_up.met_on == d("2026-01-19")
    assert countersign.assignee == "sw1" and countersign.assignee_role == "supervisee"
    assert countersign.opens_on == d("2026-01-19")
    assert countersign.due == d("2026-02-02")  # the deadline is for both signatures
    assert countersign.status is UPCOMING


def test_an_agreement_signed_before_the_relationship_started_does_not_count_for_it():
    old = agreement("2025-06-01")
    owed = agreement_lifecycle("bristol", "2026-01-20", agreements=[old])
    assert owed["agreement:rel-1"].status is not MET


def test_an_agreement_naming_its_relationship_counts_whatever_its_parties():
    named = agreement("2026-01-10", supervisor="hos1", relationship="rel-1")
    owed = agreement_lifecycle("bristol", "2026-01-20", agreements=[named])
    assert owed["agreement:rel-1"].status is MET


def test_a_signature_after_the_as_of_date_is_not_yet_known():
    owed = agreement_lifecycle("bristol", "2026-01-20", agreements=[agreement("2026-01-25")])
    assert owed["agreement:rel-1"].status is not MET


def test_no_agreement_is_owed_for_an_ended_relationship_or_a_supervisee_who_has_left():
    ended = [relationship(started_on="2026-01-05", ended_on="2026-01-20")]
    assert agreement_lifecycle("bristol", "2026-01-20", relationships=ended) == {}
    left = team(left_on="2026-01-19")
    assert agreement_lifecycle("bristol", "2026-01-20", staff=left) == {}


def test_an_overdue_agreement_is_escalated_to_the_supervisors_line_manager_the_next_day():
    """Nottingham §2.1 "submit a written statement ... to the supervisor's Line Manager"."""
    assert "escalation:agreement:rel-1" not in agreement_lifecycle("nottingham", "2026-02-02")
    owed = agreement_lifecycle("nottingham", "2026-02-03")
    esc = owed["escalation:agreement:rel-1"]
    assert esc.kind == "escalation" and esc.lifecycle == "agreement"
    assert esc.escalates == "agreement:rel-1"
    assert (esc.assignee, esc.assignee_role) == ("hos1", "line_manager")
    assert esc.opens_on == d("2026-02-03")
    assert esc.due == d("2026-02-10")  # five working days
    assert esc.source == "001_223e21d801bb36c8.txt §2.1"


def test_an_agreement_signed_late_is_no_longer_escalated():
    owed = agreement_lifecycle("nottingham", "2026-02-10", agreements=[agreement("2026-02-09")])
    assert owed["agreement:rel-1"].status is MET
    assert "escalation:agreement:rel-1" not in owed


def test_escalation_goes_to_the_head_of_service_when_the_supervisor_has_no_line_manager():
    people = [staff("tm1", "team_manager"), staff("sw1")]
    esc = agreement_lifecycle("lancashire", "2026-03-01", staff=people)[
        "escalation:agreement:rel-1"
    ]
    assert (esc.assignee, esc.assignee_role) == (None, "head_of_service")


def test_wokingham_supervisee_raises_it_three_weeks_past_due_then_the_line_manager():
    """Standards 14-15: "within 3 weeks of the due date, the supervisee is responsible for
    raising it with their supervisor ... they must escalate this to their supervisor's line
    manager"."""
    due = d("2026-02-05")
    assert "escalation:agreement:rel-1" not in agreement_lifecycle("wokingham", "2026-02-25")
    first = agreement_lifecycle("wokingham", "2026-02-26")
    raise_it = first["escalation:agreement:rel-1"]
    assert raise_it.opens_on == d("2026-02-26") and due < raise_it.opens_on
    assert (raise_it.assignee, raise_it.assignee_role) == ("sw1", "supervisee")
    assert raise_it.source.endswith("standard 14")
    assert "escalation:agreement:rel-1:2" not in first
    second = agreement_lifecycle("wokingham", "2026-03-05")["escalation:agreement:rel-1:2"]
    assert (second.assignee, second.assignee_role) == ("hos1", "line_manager")
    assert second.source.endswith("standard 15")


def test_an_unsigned_countersignature_is_escalated_like_the_agreement():
    owed = agreement_lifecycle(
        "bristol", "2026-02-05", agreements=[agreement(supervisor_signed_on="2026-01-19")]
    )
    assert owed["escalation:agreement-countersign:rel-1"].escalates == (
        "agreement-countersign:rel-1"
    )
    assert "escalation:agreement:rel-1" not in owed


@pytest.mark.parametrize("profile", ["lancashire", "nottingham", "bristol", "wokingham"])
def test_an_agreement_is_reviewed_twelve_months_after_it_comes_into_force(profile):
    """Lancashire §1.4, Nottingham §2.1, Bristol §3.1, Wokingham: reviewed annually."""
    owed = by_key(
        compute_obligations(
            load_profile(profile),
            facts(relationships=[relationship()], agreements=[agreement("2026-01-20")]),
            d("2026-06-01"),
            lifecycles=["agreement_review"],
        )
    )
    review = owed["agreement-review:rel-1:2027-01-20"]
    assert review.lifecycle == "agreement_review" and review.kind == "agreement_review"
    assert review.opens_on == d("2026-01-20") and review.status is UPCOMING
    assert load_profile(profile).agreement_review_due(d("2026-01-20")) == d("2027-01-20")


def test_a_re_signed_agreement_meets_the_review_and_starts_the_next_year():
    owed = by_key(
        compute_obligations(
            load_profile("bristol"),
            facts(
                relationships=[relationship()],
                agreements=[agreement("2026-01-20"), agreement("2027-01-11")],
            ),
            d("2027-02-01"),
            lifecycles=["agreement_review"],
        )
    )
    assert owed["agreement-review:rel-1:2027-01-20"].met_on == d("2027-01-11")
    assert owed["agreement-review:rel-1:2028-01-11"].status is UPCOMING


def test_obligations_come_sorted_by_due_date_then_key():
    rels = [relationship(id="rel-b"), relationship(id="rel-a", supervisee="sw2")]
    people = [*team(), staff("sw2", line_manager="tm1")]
    owed = compute_obligations(
        load_profile("bristol"),
        facts(staff=people, relationships=rels),
        d("2026-01-06"),
        lifecycles=["agreement"],
    )
    assert [ob.key for ob in owed] == ["agreement:rel-a", "agreement:rel-b"]


def test_an_unknown_lifecycle_name_is_refused():
    with pytest.raises(ValueError, match="unknown lifecycle"):
        compute_obligations(load_profile("bristol"), facts(), d("2026-01-06"), lifecycles=["x"])


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
