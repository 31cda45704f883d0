"""Variations: the frequency agreed against the council's cadence for the
person (policy.variation). More frequent needs its reason recorded; less
frequent is refused unless the document allows it, naming its rule."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import (
    SupervisionAgreement,
)
from models.actions.agreements import sign_agreement_as_supervisor
from models.actions.errors import ActionError
from tests.webapp.agreement_steps import (
    ANSWERS,
    WOKINGHAM_ANSWERS,
    owe_agreements,
    use_profile,
)
from tests.webapp.conftest import TODAY, login, text_of
from webapp.agreement_form import VARIATION_REASON_MESSAGE


@pytest.fixture
def owed(world, db):
    return owe_agreements(world, db)


def test_wokingham_refuses_a_less_frequent_supervision_and_says_which_standard(client, owed, db):
    use_profile(db, owed.org_id, "wokingham")
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
