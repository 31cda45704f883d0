"""The supervision agreement, two-party: the supervisor drafts and signs it,
the supervisee countersigns it, and then it is in force with its review date
set. Each party sees only their own relationship's agreement."""

from __future__ import annotations

import html
import re
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
from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor
from models.actions.errors import ActionError
from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, build_app, csrf_token_from, login, text_of
from webapp.agreements.fields import FIELDS
from webapp.agreements.forms import (
    AMENDMENT_REASON_MESSAGE,
    DECLARATION_MESSAGE,
    FREQUENCY_MESSAGE,
    VARIATION_REASON_MESSAGE,
)

ANSWERS = {
    "frequency_weeks": "4",
    "length": "Around 2 hours",
    "venue": "Room 3, County Hall",
    "preparation": "Both read the last record and actions.",
    "recording": "Supervisor records on the secure drive within 2 weeks.",
    "ad_hoc_recording": "Supervision case note for significant discussions.",
    "practice_observation": "Twice a year, with written feedback.",
    "confidentiality": "Shared with the line manager only when needed.",
    "disagreements": "Raise with the service manager.",
    "additional_reporting": "",
    "other": "Advanced Practitioner support monthly.",
    "declaration": "y",
}


def _inbox_titles(client) -> list[str]:
    html = client.get("/inbox").get_data(as_text=True)
    return [
        re.sub(r"\s+", " ", t).strip()
        for t in re.findall(r'class="govuk-link" href="/tasks/\d+">(.*?)</a>', html, flags=re.S)
    ]


def _task_id_titled(client, title) -> int:
    html = client.get("/inbox").get_data(as_text=True)
    match = re.search(rf'href="/tasks/(\d+)">\s*{re.escape(title)}\s*</a>', html)
    assert match, f"{title!r} is not in the inbox"
    return int(match.group(1))


@pytest.fixture
def owed(world, db):
    """The reconcile has put the agreement tasks in the inboxes."""
    reconcile(
        organisation_id=world.org_id, lifecycles={"agreement"}, as_of=TODAY, session_factory=db
    )
    return world


def _sign_as_supervisor(db, world, rel_id=None):
    return sign_agreement_as_supervisor(
        relationship_id=rel_id or world.rel_id,
        signer_staff_id=world.manager_id,
        content={k: v for k, v in ANSWERS.items() if k not in ("frequency_weeks", "declaration")},
        frequency_weeks=4,
        on=TODAY,
        session_factory=db,
    )


def test_the_full_two_party_signing_journey(client, owed, db):
    world = owed
    supervisor_title = "Draft and sign the supervision agreement with Sam Worker"

    # The supervisor opens the task from their inbox and follows it to the form.
    login(client, world.manager)
    task_id = _task_id_titled(client, supervisor_title)
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
    assert supervisor_title not in _inbox_titles(client)
    assert "Draft and sign the supervision agreement with Chloe Colleague" in _inbox_titles(client)
    client.post("/logout")

    # The supervisee has the next step.
    login(client, world.worker)
    assert _inbox_titles(client) == ["Countersign your supervision agreement"]
    countersign_task = _task_id_titled(client, "Countersign your supervision agreement")
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
    assert _inbox_titles(client) == []

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
    titles = _inbox_titles(client)
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
    _sign_as_supervisor(db, owed)
    login(client, owed.worker)
    url = f"/relationships/{owed.rel_id}/agreement/countersign"
    client.post(url, data={"declaration": "y"})
    second = client.post(url, data={"declaration": "y"})
    assert second.status_code == 302
    assert "already signed" in text_of(client.get(second.location))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 2


def test_countersigning_needs_the_declaration(client, owed, db):
    _sign_as_supervisor(db, owed)
    login(client, owed.worker)
    response = client.post(f"/relationships/{owed.rel_id}/agreement/countersign", data={})
    assert response.status_code == 200
    assert DECLARATION_MESSAGE in text_of(response)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AgreementSignature)) == 1


def test_a_signed_version_cannot_be_edited(client, owed, db):
    _sign_as_supervisor(db, owed)
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
    result = _sign_as_supervisor(db, owed)
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
    _sign_as_supervisor(db, owed, rel_id=owed.colleague_rel_id)
    login(client, getattr(owed, who))
    response = client.get(f"/relationships/{owed.colleague_rel_id}/{page}")
    assert response.status_code == 404
    assert client.get(f"/relationships/99999/{page}").status_code == 404
    assert text_of(response) == text_of(client.get(f"/relationships/99999/{page}"))


@pytest.mark.parametrize("page", ["agreement/sign", "agreement/countersign"])
def test_a_supervisee_cannot_post_a_signature_to_another_relationship(client, owed, db, page):
    _sign_as_supervisor(db, owed, rel_id=owed.colleague_rel_id)
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
    _sign_as_supervisor(db, owed)
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
    _sign_as_supervisor(db, owed)
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


# Each profile's own agreement form (webapp/agreements/fields.py).


def _use_profile(db, org_id: int, profile: str) -> None:
    from models import Organisation

    with db() as session, session.begin():
        session.get(Organisation, org_id).profile = profile


BRISTOL_ANSWERS = {
    "frequency_weeks": "4",
    "time": "No less than one hour.",
    "place": "Room 3, City Hall",
    "agenda": "Children allocated, development, support, HR.",
    "appraisal": "Progress against appraisal objectives.",
    "session_content": "Both bring items.",
    "preparation": "Read the last notes.",
    "accountability": "Grace Manager; Helen Head in her absence.",
    "expectations": "Open to reflection and challenge.",
    "confidentiality": "Case information is not confidential.",
    "recording": "Notes shared within 48 hours.",
    "equality_diversity": "Integral to every discussion.",
    "review": "Reviewed annually.",
    "declaration": "y",
}

WOKINGHAM_ANSWERS = {
    "frequency_weeks": "4",
    "duration": "1.5 hours",
    "venue": "Shute End, room 2",
    "cancellation": "Rebooked within the week.",
    "interruptions": "Only for an emergency on a case.",
    "ad_hoc_availability": "Daily in the office.",
    "agenda": "Both of us",
    "preparation": "Actions from last time checked.",
    "case_recording": "The supervisor",
    "recording": "Typed by the supervisor within 5 days.",
    "sharing": "Within 5 days",
    "supervisee_brings": "Eight years in child protection.",
    "supervisee_expectations": "Honest feedback.",
    "supervisor_expectations": "Preparation and openness.",
    "best_supervision": "Time to reflect.",
    "what_might_change": "Fewer cancellations.",
    "cultural": "None we know of; we will keep talking.",
    "permissions": "Yes, both ways.",
    "feedback_excellent": "In supervision, recorded.",
    "feedback_concerns": "Promptly, in private.",
    "career_development": "Protected learning time.",
    "not_working": "Sessions keep being cancelled.",
    "resolving_difficulties": "Talk first, then the service manager.",
    "named_manager": "Helen Head",
    "other": "",
    "declaration": "y",
}


def test_a_bristol_council_gets_its_individual_supervision_agreement_with_suggested_text(
    client, owed, db
):
    _use_profile(db, owed.org_id, "bristol")
    login(client, owed.manager)
    page = client.get(f"/relationships/{owed.rel_id}/agreement/sign")
    text = text_of(page)
    assert "Individual supervision agreement" in text
    for label in (
        "Time",
        "Place",
        "Link to appraisal objectives",
        "Accountability",
        "Recording of supervision sessions",
        "Equality and diversity",
        "Review and evaluation",
    ):
        assert label in text
    assert "Standard venue" not in text  # Lancashire's form is not shown
    # Appendix 1's suggested text, with the parties' names filled in.
    assert (
        "Grace Manager will record the sessions and ensure that Sam Worker has a copy of the "
        "supervision notes. These will be shared within 48 hours" in page.get_data(as_text=True)
    )


def test_bristols_required_fields_are_named_in_plain_english_and_answers_are_kept(client, owed, db):
    _use_profile(db, owed.org_id, "bristol")
    login(client, owed.manager)
    data = {**BRISTOL_ANSWERS, "place": "", "preparation": "", "accountability": ""}
    response = client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=data)
    assert response.status_code == 200
    text = text_of(response)
    assert "Enter where supervision sessions will normally take place" in text
    assert "Enter the agreed requirements for preparing for supervision" in text
    assert "Enter the line of accountability and who to contact in the line manager" in text
    assert "Open to reflection and challenge." in response.get_data(as_text=True)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionAgreement)) == 0


def test_a_bristol_agreement_is_signed_and_shown_with_its_own_fields(client, owed, db):
    _use_profile(db, owed.org_id, "bristol")
    login(client, owed.manager)
    response = client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=BRISTOL_ANSWERS)
    assert response.status_code == 302
    client.post("/logout")
    login(client, owed.worker)
    text = text_of(client.get(f"/relationships/{owed.rel_id}/agreement/countersign"))
    assert "Grace Manager; Helen Head in her absence." in text
    assert "We agree the supervision arrangements in this agreement" in text
    client.post(f"/relationships/{owed.rel_id}/agreement/countersign", data={"declaration": "y"})
    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.status == AgreementStatus.IN_FORCE
        assert agreement.content["accountability"] == "Grace Manager; Helen Head in her absence."
        assert "venue" not in agreement.content


def test_a_wokingham_council_gets_appendix_bs_agreement(client, owed, db):
    _use_profile(db, owed.org_id, "wokingham")
    login(client, owed.manager)
    text = html.unescape(text_of(client.get(f"/relationships/{owed.rel_id}/agreement/sign")))
    for words in (
        "1. Practical considerations",
        "Arrangements if either party needs to cancel",
        "Who will prepare the supervision agenda",
        "2. Making supervision work",
        "What are the supervisee's expectations of the supervisor?",
        "How will we recognise when the supervisory relationship is not working effectively?",
        "Named manager to contact if a dispute cannot be resolved between you",
    ):
        assert words in text


def test_wokinghams_required_fields_are_validated_with_plain_messages(client, owed, db):
    _use_profile(db, owed.org_id, "wokingham")
    login(client, owed.manager)
    data = {**WOKINGHAM_ANSWERS, "cancellation": "", "named_manager": "", "permissions": ""}
    response = client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=data)
    text = text_of(response)
    assert "Enter the arrangements if either party needs to cancel" in text
    assert "Enter the named manager to contact if a dispute cannot be resolved" in text
    assert "Enter the permissions you have agreed" in text
    assert response.get_data(as_text=True).count("govuk-error-message") == 3
    assert 'value="Shute End, room 2"' in response.get_data(as_text=True)


def test_a_wokingham_agreement_signs_with_only_its_optional_question_left_blank(client, owed, db):
    _use_profile(db, owed.org_id, "wokingham")
    login(client, owed.manager)
    url = f"/relationships/{owed.rel_id}/agreement/sign"
    assert client.post(url, data=WOKINGHAM_ANSWERS).status_code == 302
    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.content["named_manager"] == "Helen Head"
        assert agreement.frequency_weeks == 4
        assert agreement.variation_reason is None


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        ("nottingham", ["Supervision contract", "Format of supervision", "Agreed key tasks"]),
        ("north_west", ["Written supervision agreement", "How sessions will be planned"]),
    ],
)
def test_nottingham_and_the_north_west_get_their_own_agreement_forms(
    client, owed, db, profile, words
):
    _use_profile(db, owed.org_id, profile)
    login(client, owed.manager)
    text = text_of(client.get(f"/relationships/{owed.rel_id}/agreement/sign"))
    for word in words:
        assert word in text


def test_no_profiles_field_shadows_a_part_of_the_form():
    from webapp.agreements.fields import DEFINITIONS
    from webapp.agreements.forms import agreement_form

    for definition in DEFINITIONS.values():
        form_class = agreement_form(definition, amending=True)
        for key in definition.field_keys:
            assert not callable(getattr(form_class, key, None)), (definition.profile, key)
            assert key not in ("frequency_weeks", "variation_reason", "amendment_reason")


# Variations: the agreed frequency against the profile's cadence (policy.variation).


def test_wokingham_refuses_a_less_frequent_supervision_and_says_which_standard(client, owed, db):
    _use_profile(db, owed.org_id, "wokingham")
    login(client, owed.manager)
    data = {**WOKINGHAM_ANSWERS, "frequency_weeks": "6", "variation_reason": "Settled"}
    response = client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=data)
    assert response.status_code == 200
    text = text_of(response)
    assert (
        "Enter 4 weeks or fewer. Supervision for a social worker must be at least every month"
        in (text)
    )
    assert "Wokingham standard 19" in text
    assert "in all cases supervision should still take place in line with Standards 16-18" in text
    assert 'value="6"' in response.get_data(as_text=True)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionAgreement)) == 0


def test_lancashire_refuses_a_less_frequent_supervision_than_its_table(client, owed, db):
    login(client, owed.manager)
    data = {**ANSWERS, "frequency_weeks": "6", "variation_reason": "Experienced worker"}
    text = text_of(client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=data))
    assert "Enter 4 weeks or fewer" in text
    assert "Lancashire §1.10" in text


def test_a_more_frequent_supervision_needs_its_reason_recorded(client, owed, db):
    login(client, owed.manager)
    url = f"/relationships/{owed.rel_id}/agreement/sign"
    response = client.post(url, data={**ANSWERS, "frequency_weeks": "2"})
    assert response.status_code == 200
    assert VARIATION_REASON_MESSAGE in text_of(response)
    assert 'value="2"' in response.get_data(as_text=True)

    reason = "Performance issues: fortnightly until the review in June."
    response = client.post(
        url, data={**ANSWERS, "frequency_weeks": "2", "variation_reason": reason}
    )
    assert response.status_code == 302
    text = text_of(client.get(f"/relationships/{owed.rel_id}/agreement"))
    assert "Every 2 weeks" in text
    assert reason in text
    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.variation_reason == reason


def test_a_reason_typed_for_the_policys_own_frequency_is_not_stored_as_a_variation(
    client, owed, db
):
    login(client, owed.manager)
    data = {**ANSWERS, "variation_reason": "Nothing varies."}
    assert client.post(f"/relationships/{owed.rel_id}/agreement/sign", data=data).status_code == 302
    with db() as session:
        assert session.scalars(select(SupervisionAgreement)).one().variation_reason is None


def test_the_variations_reason_reaches_the_engines_agreement_fact(owed, db):
    from models.engine.facts_loader import load_facts

    sign_agreement_as_supervisor(
        relationship_id=owed.rel_id,
        signer_staff_id=owed.manager_id,
        content={},
        frequency_weeks=2,
        variation_reason="Stress: fortnightly for three months.",
        on=TODAY,
        session_factory=db,
    )
    with db() as session:
        facts = load_facts(session, owed.org_id)
    (fact,) = [a for a in facts.agreements if a.relationship == f"rel-{owed.rel_id}"]
    assert fact.frequency_weeks == 2
    assert fact.variation_reason == "Stress: fortnightly for three months."


@pytest.mark.parametrize(
    ("weeks", "reason", "message"),
    [
        (8, "Settled", "an agreed frequency can make it more frequent, not less"),
        (2, None, "Record why the agreed frequency differs from the policy's"),
    ],
)
def test_the_action_itself_refuses_a_variation_the_document_does_not_allow(
    owed, db, weeks, reason, message
):
    with pytest.raises(ActionError, match=message):
        sign_agreement_as_supervisor(
            relationship_id=owed.rel_id,
            signer_staff_id=owed.manager_id,
            content={},
            frequency_weeks=weeks,
            variation_reason=reason,
            on=TODAY,
            session_factory=db,
        )
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionAgreement)) == 0


# Amending the agreement in force: a new version both sign again.


@pytest.fixture
def in_force(owed, db):
    _sign_as_supervisor(db, owed)
    countersign_agreement(
        relationship_id=owed.rel_id, signer_staff_id=owed.worker_id, on=TODAY, session_factory=db
    )
    return owed


def _amend_data(**changes):
    return {**ANSWERS, "amendment_reason": "The team has moved office.", **changes}


def test_the_supervisor_may_amend_an_agreement_in_force_and_the_supervisee_may_not(
    client, in_force
):
    url = f"/relationships/{in_force.rel_id}/agreement"
    login(client, in_force.manager)
    page = client.get(url).get_data(as_text=True)
    assert "Amend the agreement" in page
    assert f'href="{url}/amend"' in page
    client.post("/logout")
    login(client, in_force.worker)
    assert "Amend the agreement" not in client.get(url).get_data(as_text=True)
    assert client.get(f"{url}/amend").status_code == 404
    assert client.post(f"{url}/amend", data=_amend_data()).status_code == 404


def test_amending_needs_a_reason_and_starts_from_the_version_in_force(client, in_force, db):
    login(client, in_force.manager)
    url = f"/relationships/{in_force.rel_id}/agreement/amend"
    page = client.get(url)
    assert 'value="Room 3, County Hall"' in page.get_data(as_text=True)
    response = client.post(url, data=_amend_data(amendment_reason=""))
    assert response.status_code == 200
    assert AMENDMENT_REASON_MESSAGE in text_of(response)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionAgreement)) == 1


def test_an_amendment_is_a_new_version_both_sign_and_the_old_one_stays_in_force_until_then(
    client, in_force, db
):
    rel_id = in_force.rel_id
    login(client, in_force.manager)
    response = client.post(
        f"/relationships/{rel_id}/agreement/amend", data=_amend_data(venue="Room 9, new office")
    )
    assert response.status_code == 302
    text = text_of(client.get(response.location))
    assert "You signed the amended agreement" in text
    assert "Until then, version 1 stays in force." in text
    assert "Version history" in text
    assert "The team has moved office." in text
    assert "Amend the agreement" not in text  # one amendment at a time
    with db() as session:
        statuses = {a.version: a.status for a in session.scalars(select(SupervisionAgreement))}
    assert statuses == {1: AgreementStatus.IN_FORCE, 2: AgreementStatus.AWAITING_COUNTERSIGNATURE}
    client.post("/logout")

    login(client, in_force.worker)
    assert "Countersign your supervision agreement" in _inbox_titles(client)
    client.post(f"/relationships/{rel_id}/agreement/countersign", data={"declaration": "y"})
    with db() as session:
        versions = {a.version: a for a in session.scalars(select(SupervisionAgreement))}
        assert versions[1].status == AgreementStatus.SUPERSEDED
        assert versions[2].status == AgreementStatus.IN_FORCE
        assert versions[2].amendment_reason == "The team has moved office."
        assert versions[1].content["venue"] == "Room 3, County Hall"  # never edited
        assert versions[2].content["venue"] == "Room 9, new office"

    earlier = text_of(client.get(f"/relationships/{rel_id}/agreement?version=1"))
    assert "Replaced by a newer version" in earlier
    assert "Room 3, County Hall" in earlier
    assert client.get(f"/relationships/{rel_id}/agreement?version=7").status_code == 404


def test_an_agreement_waiting_for_countersignature_cannot_be_amended(client, owed, db):
    _sign_as_supervisor(db, owed)
    login(client, owed.manager)
    url = f"/relationships/{owed.rel_id}/agreement/amend"
    assert client.get(url).status_code == 302
    response = client.post(url, data=_amend_data())
    assert response.status_code == 302
    assert "already signed" in text_of(client.get(response.location))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionAgreement)) == 1


def test_an_earlier_version_of_another_relationships_agreement_is_not_found(client, in_force):
    login(client, in_force.colleague)
    response = client.get(f"/relationships/{in_force.rel_id}/agreement?version=1")
    assert response.status_code == 404
