"""Lancashire's Group Supervision Agreement in the web app: the supervisor
draws it up, the team coordinator and each supervisee sign it from their
inbox, the last signature puts it in force, a new version is signed again by
everyone, and the supervisor can end the group. Only the people named, the
supervisor and those whose scope covers them see it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import (
    AppRole,
    AuditEntry,
    GroupAgreementSignatory,
    GroupAgreementStatus,
    HumanTask,
    Organisation,
    StaffMember,
    StaffRole,
    SupervisionGroup,
)
from models.actions.group_agreements import (
    GroupAgreementDraft,
    issue_group_agreement,
    sign_group_agreement,
)
from models.engine.reconcile import reconcile
from tests.factories import make_staff, make_team, make_user
from tests.webapp.conftest import TODAY, World, login, text_of
from webapp.group_agreements.forms import (
    COORDINATOR_MESSAGE,
    DECLARATION_MESSAGE,
    FREQUENCY_MESSAGE,
    REASON_MESSAGE,
    SUPERVISEES_MESSAGE,
)

NAME = "Assessment Team group supervision"


@dataclass(frozen=True)
class People:
    """The web tests' council plus a team coordinator in Grace's team, and
    another team (Tina supervises Omar) that has nothing to do with the group."""

    world: World
    team_id: int
    coordinator_id: int
    nia_id: int  # another member of Grace's team
    tina_id: int
    omar_id: int


@pytest.fixture
def people(world, db) -> People:
    with db() as session, session.begin():
        org = session.get(Organisation, world.org_id)
        manager = session.get(StaffMember, world.manager_id)
        coordinator = make_staff(
            session,
            org,
            name="Cara Coordinator",
            role=StaffRole.BUSINESS_SUPPORT,
            team=manager.team,
            line_manager=manager,
            job_title="Team Coordinator",
        )
        nia = make_staff(
            session, org, name="Nia Newworker", team=manager.team, line_manager=manager
        )
        other_team = make_team(session, org, name="Children in Care")
        tina = make_staff(
            session, org, name="Tina Teammanager", role=StaffRole.TEAM_MANAGER, team=other_team
        )
        omar = make_staff(session, org, name="Omar Other", team=other_team, line_manager=tina)
        make_user(session, coordinator, AppRole.SUPERVISEE, username="coordinator")
        make_user(session, tina, AppRole.SUPERVISOR, AppRole.LINE_MANAGER, username="tina")
        make_user(session, omar, AppRole.SUPERVISEE, username="omar")
        return People(world, manager.team_id, coordinator.id, nia.id, tina.id, omar.id)


def _form(people: People, **changes) -> dict:
    w = people.world
    data = {
        "name": NAME,
        "team_id": str(people.team_id),
        "venue": "Room 2, County Hall",
        "coordinator_id": str(people.coordinator_id),
        "supervisee_ids": [str(w.worker_id), str(w.colleague_id)],
        "frequency_weeks": "4",
        "length": "90 minutes",
        "preparation": "Each supervisee brings one case, by case ID only.",
        "recording": "The team coordinator records it in the Workbook within a week.",
        "confidentiality": "What is said stays in the group; managers may read the record.",
        "disagreements": "Raised with Grace, then the head of service.",
        "additional_reporting": "",
        "other": "No more than 8 in the group.",
        "declaration": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _issue(db, people: People, **changes):
    """Issue a group's first version straight through the action."""
    w = people.world
    draft = GroupAgreementDraft(
        name=NAME,
        team_id=people.team_id,
        coordinator_id=people.coordinator_id,
        supervisee_ids=[w.worker_id, w.colleague_id],
        venue="Room 2, County Hall",
        frequency_weeks=4,
        content={"length": "90 minutes"},
    )
    return issue_group_agreement(
        organisation_id=w.org_id,
        supervisor_staff_id=w.manager_id,
        draft=draft,
        on=changes.pop("on", TODAY),
        session_factory=db,
        **changes,
    )


def _sign_all(db, people: People, result, on=TODAY):
    for staff_id in (people.coordinator_id, people.world.worker_id, people.world.colleague_id):
        sign_group_agreement(
            agreement_id=result.agreement_id, signer_staff_id=staff_id, on=on, session_factory=db
        )


def _inbox_task(client, title: str) -> int:
    page = client.get("/inbox").get_data(as_text=True)
    match = re.search(rf'href="/tasks/(\d+)">\s*{re.escape(title)}\s*</a>', page)
    assert match, f"{title!r} is not in the inbox"
    return int(match.group(1))


def _signed(db) -> int:
    with db() as session:
        return session.scalar(
            select(func.count())
            .select_from(GroupAgreementSignatory)
            .where(GroupAgreementSignatory.signed_on.isnot(None))
        )


def _as(client, username: str):
    client.post("/logout")
    login(client, username)


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

    issued = client.post("/group-agreements/new", data=_form(people))
    assert issued.status_code == 302
    group_id = int(issued.location.rsplit("/", 1)[-1])
    assert "in the inboxes of the team coordinator and each supervisee" in text_of(
        client.get(issued.location)
    )

    title = f"Sign the group supervision agreement for {NAME}"
    for username in ("coordinator", w.worker, w.colleague):
        _as(client, username)
        task_id = _inbox_task(client, title)
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
    result = _issue(db, people)
    login(client, people.world.worker)
    response = client.post(f"/group-agreements/{result.group_id}/sign", data={})
    assert response.status_code == 200
    assert DECLARATION_MESSAGE in text_of(response)
    assert 'href="#declaration"' in response.get_data(as_text=True)
    assert _signed(db) == 1  # the supervisor's, when issued


def test_a_form_with_mistakes_keeps_what_was_typed_and_says_what_to_fix(client, people, db):
    w = people.world
    login(client, w.manager)
    data = _form(
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
    data = _form(
        people, supervisee_ids=[str(w.worker_id), str(w.colleague_id), str(people.coordinator_id)]
    )
    response = client.post("/group-agreements/new", data=data)
    assert "Cara Coordinator is the team coordinator: untick them as a supervisee" in text_of(
        response
    )


def test_a_refusal_from_the_action_is_shown_on_the_form_the_same_way(client, people, db):
    _issue(db, people)
    login(client, people.world.manager)
    data = _form(people, supervisee_ids=[str(people.world.worker_id), str(people.nia_id)])
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
    first = client.post("/group-agreements/new", data=_form(people))
    second = client.post("/group-agreements/new", data=_form(people))
    assert second.status_code == 302
    assert second.location == first.location
    assert "it has been issued once" in text_of(client.get(second.location))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionGroup)) == 1


def test_a_double_submission_signs_once(client, people, db):
    result = _issue(db, people)
    login(client, people.world.worker)
    url = f"/group-agreements/{result.group_id}/sign"
    first = client.post(url, data={"declaration": "y"})
    second = client.post(url, data={"declaration": "y"})
    assert first.status_code == second.status_code == 302
    assert "it has been signed once" in text_of(client.get(second.location))
    assert _signed(db) == 2


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
    assert _signed(db) == 1


def test_the_supervisors_line_manager_may_read_it_but_not_sign_it(client, people, db):
    result = _issue(db, people)
    login(client, people.world.head)
    assert NAME in text_of(client.get("/group-agreements"))
    page = text_of(client.get(f"/group-agreements/{result.group_id}"))
    assert "Cara Coordinator: Not signed yet" in page
    assert "Sign this agreement" not in page
    assert "Issue a new version" not in page
    assert client.post(f"/group-agreements/{result.group_id}/sign").status_code == 404


def test_a_new_version_needs_everyone_to_sign_again_and_version_1_stays_readable(
    client, people, db
):
    w = people.world
    first = _issue(db, people)
    _sign_all(db, people, first)
    login(client, w.manager)
    url = f"/group-agreements/{first.group_id}/new-version"
    form = client.get(url).get_data(as_text=True)
    assert f'value="{NAME}"' in form
    assert re.search(rf'value="{w.colleague_id}"\s+checked', form)

    missing = client.post(url, data=_form(people, based_on="1", frequency_weeks="2"))
    assert REASON_MESSAGE in text_of(missing)
    issued = client.post(
        url,
        data=_form(
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
        url, data=_form(people, based_on="1", amendment_reason="Fortnightly (again)")
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

    _as(client, w.worker)
    assert client.get(url).status_code == 404
    task_id = _inbox_task(client, f"Sign the group supervision agreement for {NAME}")
    assert client.get(f"/tasks/{task_id}").status_code == 200
    client.post(f"/group-agreements/{first.group_id}/sign", data={"declaration": "y"})
    with db() as session:
        versions = session.get(SupervisionGroup, first.group_id).versions
        assert versions[0].status == GroupAgreementStatus.IN_FORCE
        assert versions[1].signatory(w.worker_id).signed_on == TODAY


def test_the_supervisor_ends_the_group_with_a_reason(client, people, db):
    result = _issue(db, people)
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
    _as(client, people.world.worker)
    assert "Sign this agreement" not in text_of(client.get(f"/group-agreements/{result.group_id}"))
    with db() as session:
        open_signing = session.scalar(
            select(func.count())
            .select_from(HumanTask)
            .where(HumanTask.kind == "group_agreement_sign", HumanTask.status == "open")
        )
        assert open_signing == 0


def test_each_view_is_audited_for_everyone_named_and_they_see_who_opened_it(client, people, db):
    result = _issue(db, people)
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
    _as(client, w.worker)
    opened = client.get(f"/people/{w.worker_id}/opened").get_data(as_text=True)
    assert "Group supervision agreement" in opened
    assert "Helen Head" in opened


def test_an_overdue_signature_shows_the_group_on_the_line_managers_escalation(client, people, db):
    result = _issue(db, people)
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
    result = _issue(db, people)
    _sign_all(db, people, result)
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
    assert client.post("/group-agreements/new", data=_form(people)).status_code == 404
    _as(client, people.world.manager)
    assert 'href="/group-agreements"' in client.get("/inbox").get_data(as_text=True)
    with db() as session, session.begin():
        session.get(Organisation, people.world.org_id).profile = "bristol"
    assert 'href="/group-agreements"' not in client.get("/inbox").get_data(as_text=True)
    assert client.get("/group-agreements").status_code == 404
    assert client.get("/group-agreements/new").status_code == 404
