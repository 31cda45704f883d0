"""The annual review questionnaire: the supervisee answers and signs it, the
supervisor signs it with what they found and it is forwarded to their line
manager, who confirms they read it; each step is one transaction that records
the fact, completes its human task and puts the next step in the next inbox."""

from __future__ import annotations

from datetime import date

import pytest

from models import AgreementSignature, AgreementStatus, ReviewQuestionnaire, SupervisionAgreement
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.reviews import (
    acknowledge_review,
    sign_review_as_supervisee,
    sign_review_as_supervisor,
)
from models.engine.reconcile import reconcile
from policy import load_profile
from tests.models.actions.supervised_worker import TODAY, build, count_rows, open_tasks

REVIEW_STATEMENTS = load_profile("lancashire").document("review_questionnaire").statements

ANSWERS = {n: ("Usually" if n < 15 else "Never") for n in range(1, len(REVIEW_STATEMENTS) + 1)}
LISTS = {
    "improve": ["More reflective time"],
    "i_could": ["Prepare an agenda"],
    "supervisor_could": [],
}


@pytest.fixture
def people(db):
    return build(db)


@pytest.fixture
def reviewing(db, people):
    """An agreement in force since 1 April 2025, so its annual review (and the
    questionnaire, Lancashire §1.4) falls due on 1 April 2026."""
    with db() as session, session.begin():
        agreement = SupervisionAgreement(
            relationship_id=people["rel"],
            version=1,
            status=AgreementStatus.IN_FORCE,
            content={},
            frequency_weeks=4,
            in_force_on=date(2025, 4, 1),
        )
        session.add(agreement)
        session.flush()
        for party, staff in (("supervisor", people["manager"]), ("supervisee", people["worker"])):
            session.add(
                AgreementSignature(
                    agreement_id=agreement.id,
                    party=party,
                    staff_id=staff,
                    signed_on=date(2025, 4, 1),
                )
            )
    reconcile(
        organisation_id=people["org"],
        lifecycles={"agreement_review"},
        as_of=TODAY,
        session_factory=db,
    )
    return people


def _supervisee_signs(db, people, on=TODAY):
    return sign_review_as_supervisee(
        relationship_id=people["rel"],
        supervisee_staff_id=people["worker"],
        statements=ANSWERS,
        lists=LISTS,
        on=on,
        session_factory=db,
    )


def test_the_supervisee_owes_the_questionnaire_and_the_supervisor_the_review(db, reviewing):
    assert [t.kind for t in open_tasks(db, reviewing["worker"])] == ["review_questionnaire"]
    assert [t.kind for t in open_tasks(db, reviewing["manager"], "agreement_review")] == [
        "agreement_review"
    ]


def test_the_supervisee_signs_and_the_supervisor_is_asked_to_sign_and_forward(db, reviewing):
    result = _supervisee_signs(db, reviewing)
    assert open_tasks(db, reviewing["worker"]) == []
    [forward] = open_tasks(db, reviewing["manager"], "review_questionnaire_forward")
    assert forward.id in result.next_task_ids
    with db() as session:
        row = session.get(ReviewQuestionnaire, result.questionnaire_id)
        assert row.answers["statements"]["15"] == "Never"
        assert row.answers["lists"]["improve"] == ["More reflective time"]
        assert row.answers["signatures"]["supervisee"]["staff_id"] == reviewing["worker"]
        assert row.forwarded_to_id is None


def test_every_statement_must_be_answered(db, reviewing):
    with pytest.raises(ActionError, match="statement 16"):
        sign_review_as_supervisee(
            relationship_id=reviewing["rel"],
            supervisee_staff_id=reviewing["worker"],
            statements=dict.fromkeys(range(1, 16), "Usually"),
            lists={},
            on=TODAY,
            session_factory=db,
        )
    assert count_rows(db, ReviewQuestionnaire) == 0


def test_the_supervisee_signing_twice_signs_once(db, reviewing):
    _supervisee_signs(db, reviewing)
    with pytest.raises(AlreadySigned):
        _supervisee_signs(db, reviewing)
    assert count_rows(db, ReviewQuestionnaire) == 1


def test_only_the_supervisee_answers_the_questionnaire(db, reviewing):
    with pytest.raises(NotPermitted):
        sign_review_as_supervisee(
            relationship_id=reviewing["rel"],
            supervisee_staff_id=reviewing["manager"],
            statements=ANSWERS,
            lists=LISTS,
            on=TODAY,
            session_factory=db,
        )


def test_the_supervisor_signs_and_it_is_forwarded_to_their_line_manager(db, reviewing):
    questionnaire_id = _supervisee_signs(db, reviewing).questionnaire_id
    day = date(2026, 3, 4)
    result = sign_review_as_supervisor(
        questionnaire_id=questionnaire_id,
        supervisor_staff_id=reviewing["manager"],
        findings="Sessions were sometimes interrupted; we will book a room.",
        on=day,
        session_factory=db,
    )
    assert result.forwarded_to_id == reviewing["head"]
    with db() as session:
        row = session.get(ReviewQuestionnaire, questionnaire_id)
        assert (row.forwarded_to_id, row.forwarded_on) == (reviewing["head"], day)
    assert open_tasks(db, reviewing["manager"], "review_questionnaire_forward") == []
    [read] = open_tasks(db, reviewing["head"], "review_questionnaire_read")
    assert read.title == "Read the annual supervision review for Grace Manager and Sam Worker"
    assert read.payload == {"questionnaire_id": questionnaire_id}
    # The engine agrees the forwarding is done: a scheduled reconcile reopens nothing.
    again = reconcile(
        organisation_id=reviewing["org"],
        lifecycles={"agreement_review"},
        as_of=day,
        session_factory=db,
    )
    assert again.reopened == () and again.created == ()


def test_the_supervisor_must_say_what_they_found(db, reviewing):
    questionnaire_id = _supervisee_signs(db, reviewing).questionnaire_id
    with pytest.raises(ActionError, match="what you found"):
        sign_review_as_supervisor(
            questionnaire_id=questionnaire_id,
            supervisor_staff_id=reviewing["manager"],
            findings="  ",
            on=TODAY,
            session_factory=db,
        )


def test_the_line_manager_acknowledges_once_and_their_task_closes(db, reviewing):
    questionnaire_id = _supervisee_signs(db, reviewing).questionnaire_id
    sign_review_as_supervisor(
        questionnaire_id=questionnaire_id,
        supervisor_staff_id=reviewing["manager"],
        findings="All good.",
        on=TODAY,
        session_factory=db,
    )
    with pytest.raises(NotPermitted):
        acknowledge_review(
            questionnaire_id=questionnaire_id,
            reader_staff_id=reviewing["manager"],
            on=TODAY,
            session_factory=db,
        )
    acknowledge_review(
        questionnaire_id=questionnaire_id,
        reader_staff_id=reviewing["head"],
        on=TODAY,
        session_factory=db,
    )
    assert open_tasks(db, reviewing["head"], "review_questionnaire_read") == []
    with pytest.raises(AlreadySigned):
        acknowledge_review(
            questionnaire_id=questionnaire_id,
            reader_staff_id=reviewing["head"],
            on=TODAY,
            session_factory=db,
        )
