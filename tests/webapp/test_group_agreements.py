"""Lancashire's Group Supervision Agreement in the web app: the supervisor
draws it up, the team coordinator and each supervisee sign it from their
inbox, and the last signature puts it in force. A form with mistakes, or sent
twice, is answered plainly and issues or signs once."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from models import (
    GroupAgreementStatus,
    SupervisionGroup,
)
from tests.webapp.agreement_steps import task_id_titled
from tests.webapp.conftest import TODAY, login, text_of
from tests.webapp.group_agreement_steps import (
    COORDINATOR_MESSAGE,
    DECLARATION_MESSAGE,
    FREQUENCY_MESSAGE,
    NAME,
    SUPERVISEES_MESSAGE,
    People,
    add_group_people,
    group_form,
    issue_first_version,
    sign_in_as,
    signed_count,
)


@pytest.fixture
def people(world, db) -> People:
    return add_group_people(world, db)


def test_the_supervisor_draws_it_up_and_each_named_party_signs_it_from_their_inbox(
    client, people, db
):
    w = people.world
    login(client, w.manager)
    listing = client.get("/group-agreements")
    assert "Draw up a group supervision agreement" in text_of(listing)
    form = client.get("/group-agreements/new")
    assert form.status_code == 200
    for words in (
        "Set out the frequency in weeks for supervision",
        "Set out expected length of each supervision session",
        "Specific arrangements for group supervision, boundaries / limits to this supervision",
        "Before signing this agreement the supervisor/manager, team coordinator and "
        "supervisees must have discussed the key functions and principles of supervision",
        "We have discussed the key functions and principles of supervision",
    ):
        assert words in text_of(form)

    issued = client.post("/group-agreements/new", data=group_form(people))
    assert issued.status_code == 302
    group_id = int(issued.location.rsplit("/", 1)[-1])
    assert "in the inboxes of the team coordinator and each supervisee" in text_of(
        client.get(issued.location)
    )

    title = f"Sign the group supervision agreement for {NAME}"
    for username in ("coordinator", w.worker, w.colleague):
        sign_in_as(client, username)
        task_id = task_id_titled(client, title)
        task_page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
        assert f'href="/group-agreements/{group_id}"' in task_page
        assert "Read and sign the group agreement" in task_page
        assert "Give this task to someone else" not in task_page  # only they can sign
        view = client.get(f"/group-agreements/{group_id}")
        assert "Sign this agreement" in text_of(view)
        signed = client.post(f"/group-agreements/{group_id}/sign", data={"declaration": "y"})
        assert signed.status_code == 302
        page = text_of(client.get(signed.location))
        assert title not in text_of(client.get("/inbox"))

    # The last signature puts it in force.
    assert "Everyone named has now signed, so it is in force" in page
    assert f"In force until its review on {TODAY.day} March 2027" in page
    assert "Sign this agreement" not in page
    with db() as session:
        group = session.get(SupervisionGroup, group_id)
        assert group.versions[0].status == GroupAgreementStatus.IN_FORCE
        assert group.versions[0].content["other"] == "No more than 8 in the group."
        assert "additional_reporting" not in group.versions[0].content


def test_signing_needs_the_declaration(client, people, db):
    result = issue_first_version(db, people)
    login(client, people.world.worker)
    response = client.post(f"/group-agreements/{result.group_id}/sign", data={})
    assert response.status_code == 200
    assert DECLARATION_MESSAGE in text_of(response)
    assert 'href="#declaration"' in response.get_data(as_text=True)
    assert signed_count(db) == 1  # the supervisor's, when issued


def test_a_form_with_mistakes_keeps_what_was_typed_and_says_what_to_fix(client, people, db):
    w = people.world
    login(client, w.manager)
    data = group_form(
        people,
        frequency_weeks="every month",
        supervisee_ids=[str(w.worker_id)],
        coordinator_id="",
        declaration=None,
        preparation="",
    )
    response = client.post("/group-agreements/new", data=data)
    assert response.status_code == 200
    text, page = text_of(response), response.get_data(as_text=True)
    assert text.startswith("Error:") or "There is a problem" in text
    for message in (FREQUENCY_MESSAGE, SUPERVISEES_MESSAGE, COORDINATOR_MESSAGE):
        assert message in text
    assert "Enter how the supervisor and supervisees will prepare for group supervision" in text
    assert 'href="#supervisee_ids"' in page
    assert 'value="every month"' in page
    assert f'value="{NAME}"' in page
    assert html.escape(data["recording"]) in page
    assert re.search(rf'value="{w.worker_id}"\s+checked', page)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionGroup)) == 0


def test_the_team_coordinator_cannot_also_be_a_supervisee(client, people, db):
    w = people.world
    login(client, w.manager)
    data = group_form(
        people, supervisee_ids=[str(w.worker_id), str(w.colleague_id), str(people.coordinator_id)]
    )
    response = client.post("/group-agreements/new", data=data)
    assert "Cara Coordinator is the team coordinator: untick them as a supervisee" in text_of(
        response
    )


def test_a_refusal_from_the_action_is_shown_on_the_form_the_same_way(client, people, db):
    issue_first_version(db, people)
    login(client, people.world.manager)
    data = group_form(people, supervisee_ids=[str(people.world.worker_id), str(people.nia_id)])
    response = client.post("/group-agreements/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"You already have a group called {NAME}" in text_of(response)
    assert 'href="#name"' in page
    assert html.escape(data["preparation"]) in page
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionGroup)) == 1


def test_sending_the_form_twice_issues_one_group(client, people, db):
    login(client, people.world.manager)
    first = client.post("/group-agreements/new", data=group_form(people))
    second = client.post("/group-agreements/new", data=group_form(people))
    assert second.status_code == 302
    assert second.location == first.location
    assert "it has been issued once" in text_of(client.get(second.location))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionGroup)) == 1


def test_a_double_submission_signs_once(client, people, db):
    result = issue_first_version(db, people)
    login(client, people.world.worker)
    url = f"/group-agreements/{result.group_id}/sign"
    first = client.post(url, data={"declaration": "y"})
    second = client.post(url, data={"declaration": "y"})
    assert first.status_code == second.status_code == 302
    assert "it has been signed once" in text_of(client.get(second.location))
    assert signed_count(db) == 2
