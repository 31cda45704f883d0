"""Amending the agreement in force: a new version, with its reason, that both
sign again; the version in force stays in force until it is countersigned."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import (
    AgreementStatus,
    SupervisionAgreement,
)
from tests.webapp.agreement_steps import (
    amend_data,
    inbox_titles,
    owe_agreements,
    put_in_force,
    sign_as_supervisor,
)
from tests.webapp.conftest import login, text_of
from webapp.agreement_form import AMENDMENT_REASON_MESSAGE


@pytest.fixture
def owed(world, db):
    return owe_agreements(world, db)


@pytest.fixture
def in_force(owed, db):
    return put_in_force(db, owed)


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
    assert client.post(f"{url}/amend", data=amend_data()).status_code == 404


def test_amending_needs_a_reason_and_starts_from_the_version_in_force(client, in_force, db):
    login(client, in_force.manager)
    url = f"/relationships/{in_force.rel_id}/agreement/amend"
    page = client.get(url)
    assert 'value="Room 3, County Hall"' in page.get_data(as_text=True)
    response = client.post(url, data=amend_data(amendment_reason=""))
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
        f"/relationships/{rel_id}/agreement/amend", data=amend_data(venue="Room 9, new office")
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
    assert "Countersign your supervision agreement" in inbox_titles(client)
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
    sign_as_supervisor(db, owed)
    login(client, owed.manager)
    url = f"/relationships/{owed.rel_id}/agreement/amend"
    assert client.get(url).status_code == 302
    response = client.post(url, data=amend_data())
    assert response.status_code == 302
    assert "already signed" in text_of(client.get(response.location))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionAgreement)) == 1


def test_an_earlier_version_of_another_relationships_agreement_is_not_found(client, in_force):
    login(client, in_force.colleague)
    response = client.get(f"/relationships/{in_force.rel_id}/agreement?version=1")
    assert response.status_code == 404
