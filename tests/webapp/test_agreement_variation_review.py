"""Wokingham standard 19: "Any variation from the recommended frequency ...
clearly recorded (with reasoning) as an amendment to the Supervision
Agreement this should include details of review arrangements." Under the
Wokingham profile a variation needs its review arrangements as well as its
reason, wherever the agreement is signed (a first agreement, an amendment,
the annual review); they are kept in the agreement's content and shown next
to the reason. Other profiles ask only for the reason."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from models import SupervisionAgreement
from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor
from tests.webapp.agreement_steps import (
    ANSWERS,
    BRISTOL_ANSWERS,
    WOKINGHAM_ANSWERS,
    owe_agreements,
    use_profile,
)
from tests.webapp.conftest import TODAY, login, text_of
from webapp.agreement_form import VARIATION_REASON_MESSAGE

REVIEW_MESSAGE = "Enter the review arrangements for the different frequency"
LABEL = "Review arrangements for this variation"
REASON = "Stress after a complex court case: fortnightly for three months."
REVIEW = "We look at the frequency again at the session on 1 June; Helen Head is told the outcome."


@pytest.fixture
def wokingham(world, db):
    """A Wokingham council with the agreement tasks in the inboxes."""
    use_profile(db, world.org_id, "wokingham")
    return owe_agreements(world, db)


def _varied(**changes) -> dict:
    """Wokingham's answers with a fortnightly frequency: a social worker's is monthly."""
    return {
        **WOKINGHAM_ANSWERS,
        "frequency_weeks": "2",
        "variation_reason": REASON,
        "variation_review": REVIEW,
        **changes,
    }


def _sign(client, world, data):
    login(client, world.manager)
    return client.post(f"/relationships/{world.rel_id}/agreement/sign", data=data)


def _agreements(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(SupervisionAgreement))


def test_the_wokingham_form_asks_for_review_arrangements_straight_after_the_reason(
    client, wokingham
):
    login(client, wokingham.manager)
    page = client.get(f"/relationships/{wokingham.rel_id}/agreement/sign").get_data(as_text=True)
    assert LABEL in page
    assert "Standard 19: a variation should include details of review arrangements" in page
    reason = page.index('name="variation_reason"')
    review = page.index('name="variation_review"')
    first_of_appendix_b = page.index('name="duration"')
    assert reason < review < first_of_appendix_b


def test_a_wokingham_variation_without_review_arrangements_is_refused_with_a_plain_message(
    client, wokingham, db
):
    response = _sign(client, wokingham, _varied(variation_review=""))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert REVIEW_MESSAGE in text_of(response)
    assert page.count("govuk-error-message") == 1
    assert 'value="2"' in page  # what was typed is kept
    assert html.escape(REASON, quote=False) in page
    assert _agreements(db) == 0


def test_review_arrangements_typed_are_kept_when_the_reason_is_missing(client, wokingham, db):
    response = _sign(client, wokingham, _varied(variation_reason="  "))
    assert response.status_code == 200
    text = text_of(response)
    assert VARIATION_REASON_MESSAGE in text
    assert REVIEW_MESSAGE not in text
    assert html.escape(REVIEW, quote=False) in response.get_data(as_text=True)
    assert _agreements(db) == 0


def test_when_both_are_missing_both_are_named_reason_first(client, wokingham, db):
    response = _sign(client, wokingham, _varied(variation_reason="", variation_review=""))
    page = response.get_data(as_text=True)
    assert page.count("govuk-error-message") == 2
    # The error summary lists them in the page's order.
    summary = re.search(r"govuk-error-summary__list.*?</ul>", page, flags=re.S).group(0)
    assert summary.index(VARIATION_REASON_MESSAGE) < summary.index(REVIEW_MESSAGE)
    assert _agreements(db) == 0


def test_a_wokingham_variation_keeps_its_review_arrangements_and_shows_them_next_to_its_reason(
    client, wokingham, db
):
    assert _sign(client, wokingham, _varied()).status_code == 302
    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.frequency_weeks == 2
        assert agreement.variation_reason == REASON
        assert agreement.content["variation_review"] == REVIEW
        assert agreement.content["named_manager"] == "Helen Head"
    text = html.unescape(text_of(client.get(f"/relationships/{wokingham.rel_id}/agreement")))
    assert f"Reason for the different frequency {REASON} {LABEL} {REVIEW}" in text
    client.post("/logout")
    login(client, wokingham.worker)
    countersign = text_of(client.get(f"/relationships/{wokingham.rel_id}/agreement/countersign"))
    assert f"{LABEL} {REVIEW}" in html.unescape(countersign)


def test_review_arrangements_typed_for_the_policys_own_frequency_are_not_stored_or_shown(
    client, wokingham, db
):
    data = {**WOKINGHAM_ANSWERS, "variation_review": "Nothing to review."}
    assert _sign(client, wokingham, data).status_code == 302
    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.variation_reason is None
        assert "variation_review" not in agreement.content
    assert LABEL not in text_of(client.get(f"/relationships/{wokingham.rel_id}/agreement"))


def test_an_earlier_variation_without_review_arrangements_says_they_were_not_given(
    client, wokingham, db
):
    """A variation signed before the form asked for them (or through the action
    directly) shows that the arrangements are missing rather than hiding it."""
    sign_agreement_as_supervisor(
        relationship_id=wokingham.rel_id,
        signer_staff_id=wokingham.manager_id,
        content={"named_manager": "Helen Head"},
        frequency_weeks=2,
        variation_reason=REASON,
        on=TODAY,
        session_factory=db,
    )
    login(client, wokingham.manager)
    text = html.unescape(text_of(client.get(f"/relationships/{wokingham.rel_id}/agreement")))
    assert f"Reason for the different frequency {REASON} {LABEL} Not given" in text


@pytest.fixture
def varied_in_force(client, wokingham, db):
    """A fortnightly Wokingham agreement, signed through the form and countersigned."""
    assert _sign(client, wokingham, _varied()).status_code == 302
    client.post("/logout")
    countersign_agreement(
        relationship_id=wokingham.rel_id,
        signer_staff_id=wokingham.worker_id,
        on=TODAY,
        session_factory=db,
    )
    return wokingham


def test_amending_a_variation_starts_from_its_review_arrangements_and_still_needs_them(
    client, varied_in_force, db
):
    login(client, varied_in_force.manager)
    url = f"/relationships/{varied_in_force.rel_id}/agreement/amend"
    page = client.get(url).get_data(as_text=True)
    assert html.escape(REVIEW, quote=False) in page
    data = _varied(amendment_reason="The review date has moved.", variation_review="")
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert REVIEW_MESSAGE in text_of(response)
    assert _agreements(db) == 1
    moved = "We look at it again on 15 June."
    data = _varied(amendment_reason="The review date has moved.", variation_review=moved)
    assert client.post(url, data=data).status_code == 302
    with db() as session:
        latest = session.scalars(
            select(SupervisionAgreement).order_by(SupervisionAgreement.version.desc())
        ).first()
        assert latest.version == 2
        assert latest.content["variation_review"] == moved


def test_the_annual_review_asks_for_the_review_arrangements_of_a_variation_too(
    client, varied_in_force, db
):
    login(client, varied_in_force.manager)
    url = f"/relationships/{varied_in_force.rel_id}/agreement/review"
    page = client.get(url).get_data(as_text=True)
    assert LABEL in page
    assert html.escape(REVIEW, quote=False) in page
    response = client.post(url, data=_varied(variation_review=""))
    assert response.status_code == 200
    assert REVIEW_MESSAGE in text_of(response)
    assert _agreements(db) == 1
    assert client.post(url, data=_varied()).status_code == 302
    assert _agreements(db) == 2


@pytest.mark.parametrize(
    ("profile", "answers"),
    [("lancashire", ANSWERS), ("bristol", BRISTOL_ANSWERS)],
)
def test_other_profiles_ask_only_for_the_variations_reason(client, world, db, profile, answers):
    use_profile(db, world.org_id, profile)
    login(client, world.manager)
    url = f"/relationships/{world.rel_id}/agreement/sign"
    assert LABEL not in client.get(url).get_data(as_text=True)
    data = {**answers, "frequency_weeks": "2", "variation_reason": REASON}
    assert client.post(url, data=data).status_code == 302
    with db() as session:
        agreement = session.scalars(select(SupervisionAgreement)).one()
        assert agreement.variation_reason == REASON
        assert "variation_review" not in agreement.content
    assert LABEL not in text_of(client.get(f"/relationships/{world.rel_id}/agreement"))


@pytest.mark.parametrize("profile", ["nottingham", "north_west"])
def test_nottingham_and_the_north_west_do_not_ask_for_review_arrangements(
    client, world, db, profile
):
    use_profile(db, world.org_id, profile)
    login(client, world.manager)
    page = client.get(f"/relationships/{world.rel_id}/agreement/sign").get_data(as_text=True)
    assert LABEL not in page
    assert not re.search(r'name="variation_review"', page)
