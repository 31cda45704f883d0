"""The annual review through the web app (Lancashire 000 §1.4 and the
Supervision Annual Review form): the supervisee answers the 16 statements and
signs; the supervisor adds what they found and signs; it is forwarded to the
supervisor's line manager, who confirms they read it. Outsiders and guessed
IDs get 404, and every reading is audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AgreementSignature,
    AgreementStatus,
    AuditEntry,
    HumanTask,
    ReviewQuestionnaire,
    SupervisionAgreement,
)
from models.engine.reconcile import reconcile
from policy import load_profile
from tests.webapp.conftest import TODAY, login, text_of

REVIEW_STATEMENTS = load_profile("lancashire").document("review_questionnaire").statements

ANSWERS = {f"statement_{n}": "Sometimes" for n in range(1, 17)} | {
    "improve_1": "Fewer cancellations",
    "i_could_1": "Bring an agenda",
    "supervisor_could_1": "Protect the time",
    "declaration": "y",
}


@pytest.fixture
def reviewing(world, db):
    """The agreement came into force on 1 April 2025, so its review and the
    questionnaire are due on 1 April 2026 and already in the inboxes."""
    with db() as session, session.begin():
        agreement = SupervisionAgreement(
            relationship_id=world.rel_id,
            version=1,
            status=AgreementStatus.IN_FORCE,
            frequency_weeks=4,
            content={"length": "2 hours", "venue": "Room 3"},
            in_force_on=date(2025, 4, 1),
        )
        session.add(agreement)
        session.flush()
        for party, staff_id in (("supervisor", world.manager_id), ("supervisee", world.worker_id)):
            session.add(
                AgreementSignature(
                    agreement_id=agreement.id,
                    party=party,
                    staff_id=staff_id,
                    signed_on=date(2025, 4, 1),
                )
            )
    reconcile(
        organisation_id=world.org_id,
        lifecycles={"agreement_review"},
        as_of=TODAY,
        session_factory=db,
    )
    return world


def _task(db, assignee_id, kind):
    with db() as session:
        return session.scalars(
            select(HumanTask).where(
                HumanTask.assignee_id == assignee_id,
                HumanTask.kind == kind,
                HumanTask.status.in_(("open", "escalated")),
            )
        ).one_or_none()


def _questionnaire_id(db):
    with db() as session:
        return session.scalar(select(ReviewQuestionnaire.id))


def _answered(client, world, db):
    login(client, world.worker)
    client.post(f"/relationships/{world.rel_id}/review-questionnaire", data=ANSWERS)
    client.post("/logout")
    return _questionnaire_id(db)


def _forwarded(client, world, db):
    questionnaire_id = _answered(client, world, db)
    login(client, world.manager)
    client.post(
        f"/review-questionnaires/{questionnaire_id}/sign",
        data={"findings": "Cancellations; we will book a room.", "declaration": "y"},
    )
    client.post("/logout")
    return questionnaire_id


def test_the_questionnaire_shows_the_sixteen_statements_exactly_as_written(client, reviewing, db):
    login(client, reviewing.worker)
    task = _task(db, reviewing.worker_id, "review_questionnaire")
    assert f'href="/relationships/{reviewing.rel_id}/review-questionnaire"' in client.get(
        f"/tasks/{task.id}"
    ).get_data(as_text=True)
    page = text_of(client.get(f"/relationships/{reviewing.rel_id}/review-questionnaire"))
    for n, statement in enumerate(REVIEW_STATEMENTS, start=1):
        assert f"{n}. {statement}" in page
    for heading in (
        "The areas which my supervision could improve are",
        "I could contribute to achieving these improvements by",
        "My supervisor could contribute to achieving these improvements by",
        "A copy of this completed form should be forwarded to the supervisor's line manager.",
    ):
        assert heading in page


def test_an_unanswered_statement_is_named_and_the_answers_are_kept(client, reviewing, db):
    login(client, reviewing.worker)
    data = {k: v for k, v in ANSWERS.items() if k != "statement_15"}
    response = client.post(f"/relationships/{reviewing.rel_id}/review-questionnaire", data=data)
    assert response.status_code == 200
    page = text_of(response)
    assert "Select usually, sometimes or never for statement 15, Is frustrating" in page
    assert 'value="Fewer cancellations"' in response.get_data(as_text=True)
    assert _questionnaire_id(db) is None


def test_the_whole_review_from_the_supervisee_to_the_line_manager(client, reviewing, db):
    questionnaire_id = _answered(client, reviewing, db)
    assert _task(db, reviewing.worker_id, "review_questionnaire") is None
    forward = _task(db, reviewing.manager_id, "review_questionnaire_forward")
    login(client, reviewing.manager)
    assert client.get(f"/tasks/{forward.id}").status_code == 200
    response = client.get(
        f"/relationships/{reviewing.rel_id}/review-questionnaire/to-sign", follow_redirects=True
    )
    assert "Waiting for the supervisor" in text_of(response)
    response = client.post(
        f"/review-questionnaires/{questionnaire_id}/sign",
        data={"findings": "Cancellations; we will book a room.", "declaration": "y"},
        follow_redirects=True,
    )
    assert "It has been forwarded to Helen Head" in text_of(response)
    client.post("/logout")

    read = _task(db, reviewing.head_id, "review_questionnaire_read")
    assert read.title == "Read the annual supervision review for Grace Manager and Sam Worker"
    login(client, reviewing.head)
    assert f'href="/review-questionnaires/{questionnaire_id}"' in client.get(
        f"/tasks/{read.id}"
    ).get_data(as_text=True)
    page = text_of(client.get(f"/review-questionnaires/{questionnaire_id}"))
    assert "Cancellations; we will book a room." in page
    assert "Fewer cancellations" in page
    client.post(f"/review-questionnaires/{questionnaire_id}/acknowledge")
    assert _task(db, reviewing.head_id, "review_questionnaire_read") is None
    with db() as session:
        row = session.get(ReviewQuestionnaire, questionnaire_id)
        assert (row.forwarded_to_id, row.forwarded_on) == (reviewing.head_id, TODAY)
        assert row.answers["acknowledged_on"] == TODAY.isoformat()


def test_the_supervisor_must_say_what_they_found(client, reviewing, db):
    questionnaire_id = _answered(client, reviewing, db)
    login(client, reviewing.manager)
    response = client.post(
        f"/review-questionnaires/{questionnaire_id}/sign", data={"declaration": "y"}
    )
    assert response.status_code == 400
    assert "Enter what you found from this review" in text_of(response)


def test_the_supervisee_signing_twice_signs_once(client, reviewing, db):
    _answered(client, reviewing, db)
    login(client, reviewing.worker)
    response = client.post(
        f"/relationships/{reviewing.rel_id}/review-questionnaire",
        data=ANSWERS,
        follow_redirects=True,
    )
    assert "signed once" in text_of(response)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(ReviewQuestionnaire)) == 1


def test_the_agreement_review_page_offers_the_questionnaire_and_re_signs_the_agreement(
    client, reviewing, db
):
    login(client, reviewing.manager)
    task = _task(db, reviewing.manager_id, "agreement_review")
    assert f'href="/relationships/{reviewing.rel_id}/agreement/review"' in client.get(
        f"/tasks/{task.id}"
    ).get_data(as_text=True)
    page = text_of(client.get(f"/relationships/{reviewing.rel_id}/agreement/review"))
    assert "Not started" in page and "Supervision Annual Review" in page
    data = {
        "frequency_weeks": "4",
        "length": "2 hours",
        "venue": "Room 3",
        "preparation": "Read the last record.",
        "recording": "Within 2 weeks.",
        "ad_hoc_recording": "Case notes.",
        "practice_observation": "Three a year.",
        "confidentiality": "Line manager only.",
        "disagreements": "Service manager.",
        "declaration": "y",
    }
    client.post(f"/relationships/{reviewing.rel_id}/agreement/review", data=data)
    with db() as session:
        versions = sorted(
            (a.version, a.status.value)
            for a in session.scalars(
                select(SupervisionAgreement).where(
                    SupervisionAgreement.relationship_id == reviewing.rel_id
                )
            )
        )
    assert versions == [(1, "in_force"), (2, "awaiting_countersignature")]


@pytest.mark.parametrize("who", ["colleague", "outsider"])
@pytest.mark.parametrize(
    ("method", "path"), [("GET", ""), ("POST", "/sign"), ("POST", "/acknowledge")]
)
def test_people_outside_the_review_get_not_found(client, reviewing, db, who, method, path):
    questionnaire_id = _answered(client, reviewing, db)
    login(client, getattr(reviewing, who))
    response = client.open(f"/review-questionnaires/{questionnaire_id}{path}", method=method)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("worker", "POST", "/sign"),  # the supervisee cannot sign as the supervisor
        ("manager", "POST", "/acknowledge"),  # it was forwarded to someone else
    ],
)
def test_the_wrong_party_gets_not_found(client, reviewing, db, who, method, path):
    questionnaire_id = (
        _forwarded(client, reviewing, db)
        if path == "/acknowledge"
        else (_answered(client, reviewing, db))
    )
    login(client, getattr(reviewing, who))
    assert (
        client.open(f"/review-questionnaires/{questionnaire_id}{path}", method=method).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("manager", "/review-questionnaire"),  # only the supervisee answers it
        ("worker", "/agreement/review"),  # only the supervisor reviews the agreement
        ("worker", "/review-questionnaire/to-sign"),
        ("colleague", "/review-questionnaire"),
        ("outsider", "/agreement/review"),
    ],
)
def test_relationship_pages_answer_not_found_to_the_wrong_person(client, reviewing, db, who, path):
    login(client, getattr(reviewing, who))
    assert client.get(f"/relationships/{reviewing.rel_id}{path}").status_code == 404


def test_a_guessed_questionnaire_id_answers_not_found(client, reviewing, db):
    questionnaire_id = _answered(client, reviewing, db)
    login(client, reviewing.manager)
    assert client.get(f"/review-questionnaires/{questionnaire_id + 50}").status_code == 404


def test_every_reading_of_the_review_is_audited(client, reviewing, db):
    questionnaire_id = _answered(client, reviewing, db)
    login(client, reviewing.worker)
    client.get(f"/review-questionnaires/{questionnaire_id}")
    client.get(f"/review-questionnaires/{questionnaire_id}")
    with db() as session:
        reads = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "read",
                AuditEntry.object_type == "review_questionnaire",
                AuditEntry.subject_staff_id == reviewing.worker_id,
            )
        )
    assert reads >= 2
