"""Who sees a group's agreement, and where it shows: only the people named,
the supervisor and those whose scope covers them see it; each view is audited
for everyone named; its tasks and escalations point at the group; only a
supervisor in a council whose policy has group agreements may draw one up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import (
    AuditEntry,
    HumanTask,
    Organisation,
)
from models.actions.group_agreements import GroupAgreementDraft, issue_group_agreement
from models.engine.reconcile import reconcile
from tests.webapp.conftest import TODAY, login, text_of
from tests.webapp.group_agreement_steps import (
    NAME,
    People,
    add_group_people,
    group_form,
    issue_first_version,
    sign_all,
    sign_in_as,
    signed_count,
)


@pytest.fixture
def people(world, db) -> People:
    return add_group_people(world, db)


@pytest.mark.parametrize("username", ["tina", "omar", "colleague", "outsider"])
def test_someone_outside_the_group_and_its_scope_cannot_see_or_sign_it(
    client, people, db, username
):
    w = people.world
    # Chloe works in the same team but is not named on this group.
    draft = GroupAgreementDraft(
        NAME, people.team_id, people.coordinator_id, [w.worker_id, people.nia_id], "", 4, {}
    )
    result = issue_group_agreement(
        organisation_id=w.org_id,
        supervisor_staff_id=w.manager_id,
        draft=draft,
        on=TODAY,
        session_factory=db,
    )
    login(client, username)
    for url in (f"/group-agreements/{result.group_id}", f"/group-agreements/{result.group_id + 1}"):
        assert client.get(url).status_code == 404
    assert client.post(f"/group-agreements/{result.group_id}/sign").status_code == 404
    assert client.get(f"/group-agreements/{result.group_id}/new-version").status_code == 404
    assert client.post(f"/group-agreements/{result.group_id}/end").status_code == 404
    if username != "outsider":  # another council's policy may have no groups at all
        assert NAME not in text_of(client.get("/group-agreements"))
    assert signed_count(db) == 1


def test_the_supervisors_line_manager_may_read_it_but_not_sign_it(client, people, db):
    result = issue_first_version(db, people)
    login(client, people.world.head)
    assert NAME in text_of(client.get("/group-agreements"))
    page = text_of(client.get(f"/group-agreements/{result.group_id}"))
    assert "Cara Coordinator: Not signed yet" in page
    assert "Sign this agreement" not in page
    assert "Issue a new version" not in page
    assert client.post(f"/group-agreements/{result.group_id}/sign").status_code == 404


def test_each_view_is_audited_for_everyone_named_and_they_see_who_opened_it(client, people, db):
    result = issue_first_version(db, people)
    w = people.world
    login(client, w.head)
    client.get(f"/group-agreements/{result.group_id}")
    client.get(f"/group-agreements/{result.group_id}?version=1")
    with db() as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "read")).all()
    named = {w.manager_id, people.coordinator_id, w.worker_id, w.colleague_id}
    assert len(reads) == 2 * len(named)
    assert {e.subject_staff_id for e in reads} == named
    for entry in reads:
        assert entry.object_type == "group_supervision_agreement"
        assert entry.object_id == str(result.agreement_id)
        assert entry.actor == f"staff-{w.head_id}"
    sign_in_as(client, w.worker)
    opened = client.get(f"/people/{w.worker_id}/opened").get_data(as_text=True)
    assert "Group supervision agreement" in opened
    assert "Helen Head" in opened


def test_an_overdue_signature_shows_the_group_on_the_line_managers_escalation(client, people, db):
    result = issue_first_version(db, people)
    reconcile(
        organisation_id=people.world.org_id,
        lifecycles={"agreement"},
        as_of=TODAY + timedelta(weeks=7),
        session_factory=db,
    )
    login(client, people.world.head)
    with db() as session:
        task_id = session.scalar(
            select(HumanTask.id).where(
                HumanTask.kind == "escalation",
                HumanTask.assignee_id == people.world.head_id,
                HumanTask.subject == f"grp-{result.group_id}",
            )
        )
    page = client.get(f"/tasks/{task_id}")
    assert page.status_code == 200
    assert f'href="/group-agreements/{result.group_id}"' in page.get_data(as_text=True)
    assert NAME in text_of(page)
    api = client.get(f"/api/tasks/{task_id}").get_json()
    assert api["kind"] == "escalation"


def test_the_api_and_task_page_point_the_signature_and_the_review_at_the_group(client, people, db):
    result = issue_first_version(db, people)
    sign_all(db, people, result)
    reconcile(
        organisation_id=people.world.org_id,
        lifecycles={"agreement_review"},
        as_of=date(2027, 2, 20),
        session_factory=db,
    )
    login(client, people.world.manager)
    with db() as session:
        review_id = session.scalar(
            select(HumanTask.id).where(HumanTask.kind == "group_agreement_review")
        )
    task = client.get(f"/api/tasks/{review_id}").get_json()
    assert task["label"] == "Annual review of the group supervision agreement"
    assert task["links"]["form"] == f"/group-agreements/{result.group_id}/new-version"
    assert "Give this task to someone else" not in text_of(client.get(f"/tasks/{review_id}"))
    refused = client.post(
        f"/api/tasks/{review_id}/reassign",
        json={"to_staff_id": people.world.head_id, "reason": "Busy"},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert refused.status_code == 409


def test_only_a_supervisor_in_a_council_with_group_agreements_may_draw_one_up(client, people, db):
    login(client, people.world.worker)
    assert "Draw up a group supervision agreement" not in text_of(client.get("/group-agreements"))
    assert client.get("/group-agreements/new").status_code == 404
    assert client.post("/group-agreements/new", data=group_form(people)).status_code == 404
    sign_in_as(client, people.world.manager)
    assert 'href="/group-agreements"' in client.get("/inbox").get_data(as_text=True)
    with db() as session, session.begin():
        session.get(Organisation, people.world.org_id).profile = "bristol"
    assert 'href="/group-agreements"' not in client.get("/inbox").get_data(as_text=True)
    assert client.get("/group-agreements").status_code == 404
    assert client.get("/group-agreements/new").status_code == 404
