"""Reads for the group supervision agreement pages: the council's group
agreement (its wording, policy/forms/group_agreement.py), the groups a person
may see (webapp.scope.visible_groups: its supervisor, anyone named on any
version, anyone whose scope covers the supervisor or a named member, anyone
given a human task about it), the group as its supervisor or as a party who
signs it, and the people and teams a supervisor may name. Everything returns
None for a group the person may not use, so the rules (access.py) answer 404
whether it is missing or someone else's."""

from __future__ import annotations

from flask import g
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from models import (
    OPEN_STATUSES,
    AppRole,
    GroupParty,
    HumanTask,
    ServiceArea,
    StaffMember,
    SupervisionGroup,
    Team,
)
from policy.forms.group_agreement import GroupAgreementDocument, group_agreement
from webapp import scope
from webapp.database import db_session
from webapp.dates import today
from webapp.users import AppUser


def council_group_agreement(user: AppUser) -> GroupAgreementDocument | None:
    """The person's council's group supervision agreement, or None where its
    policy has none (once per request: the navigation asks too)."""
    if "council_group_agreement" not in g:
        g.council_group_agreement = group_agreement(user.council_profile)
    return g.council_group_agreement


def council_has_group_agreements(user: AppUser) -> bool:
    return council_group_agreement(user) is not None


def may_draw_up(user: AppUser) -> bool:
    return (
        user.has_role(AppRole.SUPERVISOR.value)
        and not user.read_only
        and council_has_group_agreements(user)
    )


def groups_for(user: AppUser) -> list[SupervisionGroup]:
    """The list page: groups still meeting first, then by name."""
    return list(
        db_session().scalars(
            scope.visible_groups(user)
            .options(
                selectinload(SupervisionGroup.versions),
                selectinload(SupervisionGroup.supervisor),
                selectinload(SupervisionGroup.team),
            )
            .order_by(SupervisionGroup.ended_on.is_not(None), SupervisionGroup.name)
        )
    )


def group_as_supervisor(user: AppUser, group_id: int) -> SupervisionGroup | None:
    """The group, if this person is its supervisor / team manager."""
    group = db_session().get(SupervisionGroup, group_id)
    if group is None or group.organisation_id != user.organisation_id:
        return None
    return group if group.supervisor_id == user.staff_id else None


def group_for_signer(user: AppUser, group_id: int) -> SupervisionGroup | None:
    """The group, if this person is named on its latest version as the team
    coordinator or a supervisee (the supervisor signs when they issue it)."""
    group = db_session().get(SupervisionGroup, group_id)
    if group is None or group.organisation_id != user.organisation_id or not group.versions:
        return None
    signatory = group.versions[-1].signatory(user.staff_id)
    if signatory is None or signatory.party == GroupParty.SUPERVISOR:
        return None
    return group


def teams_of_council(user: AppUser) -> list[Team]:
    return list(
        db_session().scalars(
            select(Team)
            .join(ServiceArea, ServiceArea.id == Team.service_area_id)
            .where(ServiceArea.organisation_id == user.organisation_id)
            .order_by(Team.name, Team.id)
        )
    )


def people_to_name(user: AppUser, also_ids=()) -> list[StaffMember]:
    """Who the supervisor may name as team coordinator or supervisee: people
    still in post whom they may see, or in their own team, and anyone already
    named on the version being replaced; never themselves."""
    on = today()
    me = db_session().get(StaffMember, user.staff_id)
    conditions = [StaffMember.id.in_(scope.visible_staff_ids(user))]
    if me is not None and me.team_id is not None:
        conditions.append(StaffMember.team_id == me.team_id)
    if also_ids:
        conditions.append(StaffMember.id.in_(list(also_ids)))
    return list(
        db_session().scalars(
            select(StaffMember)
            .where(
                StaffMember.organisation_id == user.organisation_id,
                StaffMember.id != user.staff_id,
                or_(StaffMember.left_on.is_(None), StaffMember.left_on > on),
                or_(*conditions),
            )
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


def open_task_about(user: AppUser, group: SupervisionGroup, kind: str) -> HumanTask | None:
    """My open human task of this kind about this group (for the back link)."""
    return db_session().scalar(
        select(HumanTask)
        .where(
            HumanTask.subject == group.fact_id,
            HumanTask.assignee_id == user.staff_id,
            HumanTask.kind == kind,
            HumanTask.status.in_(OPEN_STATUSES),
        )
        .order_by(HumanTask.due_on)
        .limit(1)
    )
