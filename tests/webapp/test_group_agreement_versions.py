"""A group's agreement over time: a new version that everyone named signs
again while the one in force stays in force, and the supervisor ending the
group with a reason."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import (
    GroupAgreementStatus,
    HumanTask,
    SupervisionGroup,
)
from tests.webapp.agreement_steps import task_id_titled
from tests.webapp.conftest import TODAY, login, text_of
from tests.webapp.group_agreement_steps import (
    NAME,
    People,
    add_group_people,
    group_form,
    issue_first_version,
    sign_all,
    sign_in_as,
)
from webapp.group_agreements.forms import REASON_MESSAGE


@pytest.fixture
def people(world, db) -> People:
    return add_group_people(world, db)


def test_a_new_version_needs_everyone_to_sign_again_and_version_1_stays_readable(
    client, people, db
):
    w = people.world
    first = issue_first_version(db, people)
    sign_all(db, people, first)
    login(client, w.manager)
    url = f"/group-agreements/{first.group_id}/new-version"
    form = client.get(url).get_data(as_text=True)
    assert f'value="{NAME}"' in form
    assert re.search(rf'value="{w.colleague_id}"\s+checked', form)

    missing = client.post(url, data=group_form(people, based_on="1", frequency_weeks="2"))
    assert REASON_MESSAGE in text_of(missing)
    issued = client.post(
        url,
        data=group_form(
            people,
            based_on="1",
            frequency_weeks="2",
            amendment_reason="Fortnightly while the team takes on new cases",
        ),
    )
    assert issued.status_code == 302
    page = text_of(client.get(issued.location))
    assert "version 2" in page
    assert "Version 1 stays in force until they have" in page
    assert "Every 2 weeks" in page
    assert "Fortnightly while the team takes on new cases" in page
    assert "Waiting for 3 signatures" in page

    # Sent again from the same page: nothing more is issued.
    again = client.post(
        url, data=group_form(people, based_on="1", amendment_reason="Fortnightly (again)")
    )
    assert again.status_code == 302
    with db() as session:
        assert [v.version for v in session.get(SupervisionGroup, first.group_id).versions] == [
            1,
            2,
        ]

    earlier = text_of(client.get(f"/group-agreements/{first.group_id}?version=1"))
    assert "Every 4 weeks" in earlier
    assert "In force" in earlier
    assert client.get(f"/group-agreements/{first.group_id}?version=3").status_code == 404

    sign_in_as(client, w.worker)
    assert client.get(url).status_code == 404
    task_id = task_id_titled(client, f"Sign the group supervision agreement for {NAME}")
    assert client.get(f"/tasks/{task_id}").status_code == 200
    client.post(f"/group-agreements/{first.group_id}/sign", data={"declaration": "y"})
    with db() as session:
        versions = session.get(SupervisionGroup, first.group_id).versions
        assert versions[0].status == GroupAgreementStatus.IN_FORCE
        assert versions[1].signatory(w.worker_id).signed_on == TODAY


def test_the_supervisor_ends_the_group_with_a_reason(client, people, db):
    result = issue_first_version(db, people)
    login(client, people.world.manager)
    url = f"/group-agreements/{result.group_id}/end"
    missing = client.post(url, data={"reason": "  "})
    assert missing.status_code == 200
    assert "Enter why the group has ended" in text_of(missing)
    ended = client.post(url, data={"reason": "The team has merged with another"})
    assert ended.status_code == 302
    page = text_of(client.get(ended.location))
    assert "Nobody is asked to sign or review its agreement any more" in page
    assert "Ended on 2 March 2026" in page
    assert "Issue a new version" not in page
    assert client.get(f"/group-agreements/{result.group_id}/new-version").status_code == 302
    sign_in_as(client, people.world.worker)
    assert "Sign this agreement" not in text_of(client.get(f"/group-agreements/{result.group_id}"))
    with db() as session:
        open_signing = session.scalar(
            select(func.count())
            .select_from(HumanTask)
            .where(HumanTask.kind == "group_agreement_sign", HumanTask.status == "open")
        )
        assert open_signing == 0
