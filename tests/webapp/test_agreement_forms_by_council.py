"""Each council's own agreement form, from its profile
(policy/profiles/<council>/agreement_form.yaml): Bristol's Individual
Supervision Agreement with its suggested text, Wokingham's Appendix B,
Nottingham's contract and the North West's written agreement."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from models import (
    AgreementStatus,
    SupervisionAgreement,
)
from policy import available_profiles, load_profile
from policy.forms.agreement_form import agreement_definition
from tests.webapp.agreement_steps import (
    BRISTOL_ANSWERS,
    WOKINGHAM_ANSWERS,
    owe_agreements,
    use_profile,
)
from tests.webapp.conftest import login, text_of


@pytest.fixture
def owed(world, db):
    return owe_agreements(world, db)


def test_a_bristol_council_gets_its_individual_supervision_agreement_with_suggested_text(
    client, owed, db
):
    use_profile(db, owed.org_id, "bristol")
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
    use_profile(db, owed.org_id, "bristol")
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
    use_profile(db, owed.org_id, "bristol")
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
    use_profile(db, owed.org_id, "wokingham")
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
    use_profile(db, owed.org_id, "wokingham")
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
    use_profile(db, owed.org_id, "wokingham")
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
    use_profile(db, owed.org_id, profile)
    login(client, owed.manager)
    text = text_of(client.get(f"/relationships/{owed.rel_id}/agreement/sign"))
    for word in words:
        assert word in text


def test_no_profiles_field_shadows_a_part_of_the_form():
    from webapp.agreement_form import agreement_form

    for name in available_profiles():
        definition = agreement_definition(load_profile(name))
        form_class = agreement_form(definition, amending=True)
        for key in definition.field_keys:
            assert not callable(getattr(form_class, key, None)), (definition.profile, key)
            assert key not in ("frequency_weeks", "variation_reason", "amendment_reason")
