"""The supervision agreement, two-party: the supervisor drafts and signs it,
the supervisee countersigns it, and then it is in force with its review date
set. Each party sees only their own relationship's agreement."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AgreementSignature,
    AgreementStatus,
    AuditEntry,
    HumanTask,
    SupervisionAgreement,
)
from tests.webapp.agreement_steps import (
    ANSWERS,
    DECLARATION_MESSAGE,
    FIELDS,
    FREQUENCY_MESSAGE,
    inbox_titles,
    owe_agreements,
    sign_as_supervisor,
    task_id_titled,
)
from tests.webapp.conftest import TODAY, build_app, csrf_token_from, login, text_of


@pytest.fixture
def owed(world, db):
    return owe_agreements(world, db)


def _the_supervisor_signs_from_their_inbox(client, world) -> None:
    supervisor_title = "Draft and sign the supervision agreement with Sam Worker"

    # The supervisor opens the task from their inbox and follows it to the form.
    login(client, world.manager)
    task_id = task_id_titled(client, supervisor_title)
    task_page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    form_url = f"/relationships/{world.rel_id}/agreement/sign"
    assert f'href="{form_url}"' in task_page
    form_page = client.get(form_url)
    assert form_page.status_code == 200
    assert "Sign the agreement" in text_of(form_page)

    # Signs.
    response = client.post(form_url, data=ANSWERS)
    assert response.status_code == 302
    assert response.location == "/inbox"
    inbox = client.get("/inbox")
    assert "You signed the supervision agreement with Sam Worker" in text_of(inbox)
    assert supervisor_title not in inbox_titles(client)
    assert "Draft and sign the supervision agreement with Chloe Colleague" in inbox_titles(client)
    client.post("/logout")


def test_the_full_two_party_signing_journey(client, owed, db):
    world = owed
    _the_supervisor_signs_from_their_inbox(client, world)

    # The supervisee has the next step.
    login(client, world.worker)
    assert inbox_titles(client) == ["Countersign your supervision agreement"]
    countersign_task = task_id_titled(client, "Countersign your supervision agreement")
    countersign_url = f"/relationships/{world.rel_id}/agreement/countersign"
    assert f'href="{countersign_url}"' in client.get(f"/tasks/{countersign_task}").get_data(
        as_text=True
    )

    # The countersign page shows the signed agreement, every field, read-only.
    page = client.get(countersign_url)
    text = text_of(page)
    for spec in FIELDS:
        if ANSWERS[spec.key]:
            assert ANSWERS[spec.key] in text
    assert "Every 4 weeks" in text
    assert "Grace Manager, 2 March 2026" in text  # the supervisor's signature and date
    assert "<textarea" not in page.get_data(as_text=True)
    assert "Countersign the agreement" in text

    response = client.post(countersign_url, data={"declaration": "y"})
    assert response.status_code == 302
    view = client.get(response.location)
    text = text_of(view)
    assert "In force" in text
    assert "In force from 2 March 2026" in text
    assert "Review due by" in text
    assert "Sam Worker, 2 March 2026" in text
    assert inbox_titles(client) == []

    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.status == AgreementStatus.IN_FORCE
        assert agreement.in_force_on == TODAY
        assert agreement.review_due_on is not None and agreement.review_due_on > TODAY
        assert agreement.frequency_weeks == 4
        assert agreement.content["venue"] == "Room 3, County Hall"
        assert agreement.content["other"] == "Advanced Practitioner support monthly."
        assert len(agreement.signatures) == 2

    # The head's escalation about it has closed itself.
    client.post("/logout")
    login(client, world.head)
    titles = inbox_titles(client)
    assert "Overdue supervision agreement: Grace Manager and Sam Worker" not in titles
    assert "Overdue supervision agreement: Grace Manager and Chloe Colleague" in titles


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", FREQUENCY_MESSAGE),
        ("0", FREQUENCY_MESSAGE),
        ("7", FREQUENCY_MESSAGE),
        ("four", FREQUENCY_MESSAGE),
        ("2.5", FREQUENCY_MESSAGE),
        ("-1", FREQUENCY_MESSAGE),
    ],
)
def test_the_frequency_must_be_a_whole_number_of_weeks_from_1_to_6(client, owed, typed, message):
    login(client, owed.manager)
    response = client.post(
        f"/relationships/{owed.rel_id}/agreement/sign", data={**ANSWERS, "frequency_weeks": typed}
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert message in text
    if typed:
        assert f'value="{typed}"' in response.get_data(as_text=True)  # kept as typed


def test_a_form_with_mistakes_keeps_everything_that_was_typed_and_names_each_problem(
    client, owed, db
):
    login(client, owed.manager)
    data = {**ANSWERS, "length": "", "disagreements": "", "declaration": ""}
    data.pop("declaration")
    response = client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=data)
    assert response.status_code == 200
    text = text_of(response)
    assert "Enter the expected length of each supervision session" in text
    assert "Enter how disagreements in supervision will be resolved" in text
    assert DECLARATION_MESSAGE in text
    html = response.get_data(as_text=True)
    assert 'value="Room 3, County Hall"' in html
    assert "Both read the last record and actions." in html
    assert "govuk-error-summary" in html
    assert response.get_data(as_text=True).count("govuk-error-message") == 3
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionAgreement)) == 0


def test_the_optional_fields_may_be_left_blank(client, owed, db):
    login(client, owed.manager)
    data = {**ANSWERS, "additional_reporting": "", "other": ""}
    assert client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=data).status_code == 302


def test_answers_are_escaped_when_shown(client, owed, db):
    login(client, owed.manager)
    client.post(
        f"/relationships/{owed.rel_id}/agreement/sign",
        data={**ANSWERS, "other": "<script>alert(1)</script>"},
    )
    html = client.get(f"/relationships/{owed.rel_id}/agreement").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_double_submission_signs_once_and_says_so_plainly(client, owed, db):
    login(client, owed.manager)
    url = f"/relationships/{owed.rel_id}/agreement/sign"
    first = client.post(url, data=ANSWERS)
    second = client.post(url, data=ANSWERS)
    assert first.status_code == second.status_code == 302
    assert second.location == f"/relationships/{owed.rel_id}/agreement"
    assert "already signed" in text_of(client.get(second.location))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 1


def test_a_double_countersignature_signs_once(client, owed, db):
    sign_as_supervisor(db, owed)
    login(client, owed.worker)
    url = f"/relationships/{owed.rel_id}/agreement/countersign"
    client.post(url, data={"declaration": "y"})
    second = client.post(url, data={"declaration": "y"})
    assert second.status_code == 302
    assert "already signed" in text_of(client.get(second.location))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 2


def test_countersigning_needs_the_declaration(client, owed, db):
    sign_as_supervisor(db, owed)
    login(client, owed.worker)
    response = client.post(f"/relationships/{owed.rel_id}/agreement/countersign", data={})
    assert response.status_code == 200
    assert DECLARATION_MESSAGE in text_of(response)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 1


def test_a_signed_version_cannot_be_edited(client, owed, db):
    sign_as_supervisor(db, owed)
    login(client, owed.manager)
    url = f"/relationships/{owed.rel_id}/agreement/sign"
    page = client.get(url)
    assert page.status_code == 302
    assert page.location == f"/relationships/{owed.rel_id}/agreement"
    client.post(url, data={**ANSWERS, "venue": "Somewhere else"})
    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.content["venue"] == "Room 3, County Hall"


def test_the_countersign_page_waits_for_the_supervisor_to_sign_first(client, owed):
    login(client, owed.worker)
    response = client.get(f"/relationships/{owed.rel_id}/agreement/countersign")
    assert response.status_code == 302
    text = text_of(client.get(response.location))
    assert "has not signed a supervision agreement with Sam Worker yet" in text


def test_each_view_of_an_agreement_is_audited_against_the_supervisee(client, owed, db):
    result = sign_as_supervisor(db, owed)
    login(client, owed.worker)
    client.get(f"/relationships/{owed.rel_id}/agreement")
    client.get(f"/relationships/{owed.rel_id}/agreement/countersign")
    with db() as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "read")).all()
    assert len(reads) == 2
    for entry in reads:
        assert entry.object_type == "supervision_agreement"
        assert entry.object_id == str(result.agreement_id)
        assert entry.subject_staff_id == owed.worker_id
        assert entry.actor_user_id is not None
        assert entry.actor == f"staff-{owed.worker_id}"


def test_viewing_a_relationship_with_no_agreement_writes_no_audit_entry(client, owed, db):
    login(client, owed.worker)
    assert client.get(f"/relationships/{owed.rel_id}/agreement").status_code == 200
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


# Who may open which agreement page. Anything not allowed is 404, exactly like
# an ID that does not exist, so guessing IDs reveals nothing.
PAGES = ["agreement", "agreement/sign", "agreement/countersign"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["worker", "outsider"])
def test_a_supervisee_gets_not_found_for_another_relationships_agreement(
    client, owed, db, page, who
):
    sign_as_supervisor(db, owed, rel_id=owed.colleague_rel_id)
    login(client, getattr(owed, who))
    response = client.get(f"/relationships/{owed.colleague_rel_id}/{page}")
    assert response.status_code == 404
    assert client.get(f"/relationships/99999/{page}").status_code == 404
    assert text_of(response) == text_of(client.get(f"/relationships/99999/{page}"))


@pytest.mark.parametrize("page", ["agreement/sign", "agreement/countersign"])
def test_a_supervisee_cannot_post_a_signature_to_another_relationship(client, owed, db, page):
    sign_as_supervisor(db, owed, rel_id=owed.colleague_rel_id)
    login(client, owed.worker)
    response = client.post(f"/relationships/{owed.colleague_rel_id}/{page}", data=ANSWERS)
    assert response.status_code == 404
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 1


def test_a_supervisee_cannot_sign_as_their_own_supervisor(client, owed, db):
    login(client, owed.worker)
    response = client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=ANSWERS)
    assert response.status_code == 404
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 0


def test_a_supervisor_cannot_countersign_for_the_supervisee(client, owed, db):
    sign_as_supervisor(db, owed)
    login(client, owed.manager)
    response = client.post(
        f"/relationships/{owed.rel_id}/agreement/countersign", data={"declaration": "y"}
    )
    assert response.status_code == 404
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("worker", 200), ("manager", 200), ("head", 200), ("colleague", 404), ("outsider", 404)],
)
def test_the_parties_and_their_managers_may_read_an_agreement(client, owed, db, who, status):
    sign_as_supervisor(db, owed)
    login(client, getattr(owed, who))
    assert client.get(f"/relationships/{owed.rel_id}/agreement").status_code == status


def test_signing_works_end_to_end_with_csrf_protection_on(db, owed):
    client = build_app(db, WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    login(client, owed.manager, csrf_token=token)
    url = f"/relationships/{owed.rel_id}/agreement/sign"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    assert client.post(url, data={**ANSWERS, "csrf_token": token}).location == "/inbox"

    # Without the token, nothing is signed.
    other = f"/relationships/{owed.colleague_rel_id}/agreement/sign"
    assert client.post(other, data=ANSWERS).status_code == 400
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 1
        completed = session.scalars(
            select(HumanTask).where(HumanTask.key == f"agreement:rel-{owed.rel_id}")
        ).one()
        assert completed.status == "completed"


def test_dates_on_the_agreement_use_the_configured_today(db, owed):
    client = build_app(db, OVERSIGHT_TODAY="2026-12-25").test_client()
    login(client, owed.manager)
    client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=ANSWERS)
    text = text_of(client.get(f"/relationships/{owed.rel_id}/agreement"))
    assert "Grace Manager, 25 December 2026" in text
    with db() as session:
        assert session.scalars(select(AgreementSignature)).one().signed_on == date(2026, 12, 25)
