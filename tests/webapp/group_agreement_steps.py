"""What the group supervision agreement's web tests share: the people named
on a group in the web tests' council (Lancashire's policy), the form filled
in, and the steps that issue and sign a group's first version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import (
    AppRole,
    GroupAgreementSignatory,
    Organisation,
    StaffMember,
    StaffRole,
)
from models.actions.group_agreements import (
    GroupAgreementDraft,
    issue_group_agreement,
    sign_group_agreement,
)
from policy import load_profile
from policy.forms.group_agreement import group_agreement
from tests.factories import make_staff, make_team, make_user
from tests.webapp.conftest import TODAY, World, login

# The web tests' council follows Lancashire's policy: its group agreement's words.
LANCASHIRE = group_agreement(load_profile("lancashire"))
COORDINATOR_MESSAGE = LANCASHIRE.parties.coordinator.required_message
DECLARATION_MESSAGE = LANCASHIRE.declaration_message
FREQUENCY_MESSAGE = LANCASHIRE.frequency_message
SUPERVISEES_MESSAGE = LANCASHIRE.supervisees_message

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


def add_group_people(world, db) -> People:
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


def group_form(people: People, **changes) -> dict:
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


def issue_first_version(db, people: People, **changes):
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


def sign_all(db, people: People, result, on=TODAY):
    for staff_id in (people.coordinator_id, people.world.worker_id, people.world.colleague_id):
        sign_group_agreement(
            agreement_id=result.agreement_id, signer_staff_id=staff_id, on=on, session_factory=db
        )


def signed_count(db) -> int:
    with db() as session:
        return session.scalar(
            select(func.count())
            .select_from(GroupAgreementSignatory)
            .where(GroupAgreementSignatory.signed_on.isnot(None))
        )


def sign_in_as(client, username: str):
    client.post("/logout")
    login(client, username)
