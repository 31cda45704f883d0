"""Service areas and teams: the workforce team adds and renames service areas
and names their head of service; the workforce team, and a head of service
within the areas they head, add, rename, move and close teams. A person's
service area is their team's (webapp/scope.py reads a head of service's
reach the same way), so moving a team moves its people, and the people are
reconciled: their tasks' teams follow (models/engine/task_teams.py) and the
head of service who samples their records changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from models.actions.admin_action import AdminAction, admin_action
from models.actions.admin_changes import (
    CHANGED,
    CLOSED,
    NEW_TEAM,
    Actor,
    Change,
    FieldChange,
    FieldProblem,
    set_fields,
)
from models.actions.errors import ActionError, NotPermitted
from models.tables.org import ServiceArea, StaffMember, Team
from policy.keys import staff_fact_id


@dataclass(frozen=True)
class OrgResult:
    object_id: int
    changes: tuple[str, ...]


def _name(text: str, field: str = "name") -> str:
    name = (text or "").strip()
    if not name or len(name) > 200:
        raise FieldProblem(field, "Enter a name of 200 characters or fewer.")
    return name


def _area(session: Session, actor: Actor, area_id: int | None, field: str) -> ServiceArea:
    area = session.get(ServiceArea, area_id) if area_id else None
    if area is None or area.organisation_id != actor.organisation_id:
        raise FieldProblem(field, "Select a service area.")
    if actor.area_ids is not None and area.id not in actor.area_ids:
        raise NotPermitted("You can only change the service areas you head.")
    return area


def _workforce_only(actor: Actor) -> None:
    if actor.area_ids is not None:
        raise NotPermitted("Only the workforce team adds service areas or names their heads.")


def _head(session: Session, actor: Actor, head_id: int | None) -> StaffMember | None:
    head = session.get(StaffMember, head_id) if head_id else None
    if head_id and (head is None or head.organisation_id != actor.organisation_id):
        raise FieldProblem("head", "Select the head of service from this organisation.")
    return head


def _finish(action: AdminAction, verb: str, object_type: str, object_id: int) -> OrgResult:
    """The change's one end; what it changed, for the page to say."""
    action.finish(verb, object_type, object_id, None)
    return OrgResult(object_id, tuple(map(str, action.changes.items)))


def _taken(session: Session, query, name: str, field: str, what: str) -> None:
    if session.scalar(query.where(func.lower(what) == name.lower())) is not None:
        raise FieldProblem(field, f"There is already one called {name}.")


def save_service_area(
    *,
    actor_user_id: int,
    area_id: int | None,
    name: str,
    head_id: int | None,
    on: date,
    session_factory: sessionmaker | None = None,
) -> OrgResult:
    """Add a service area (area_id None) or rename it and name its head."""
    name = _name(name)
    with admin_action(actor_user_id, on, session_factory) as action:
        session, actor, changes = action.session, action.actor, action.changes
        _workforce_only(actor)
        head = _head(session, actor, head_id)
        same = select(ServiceArea.id).where(
            ServiceArea.organisation_id == actor.organisation_id,
            *([ServiceArea.id != area_id] if area_id else []),
        )
        _taken(session, same, name, "name", ServiceArea.name)
        if area_id is None:
            area = ServiceArea(organisation_id=actor.organisation_id, name=name)
            area.head_of_service_id = head.id if head else None
            session.add(area)
            session.flush()
            fields = [FieldChange("name", None, name), FieldChange("head", None, head_id)]
            changes.add(Change(NEW_TEAM, "service_area", name, None, fields, area.id), ())
        else:
            area = _area(session, actor, area_id, "name")
            fields = set_fields(
                area, {"name": name, "head_of_service_id": head.id if head else None}
            )
            if not fields:
                raise ActionError("Nothing was changed.")
            changes.add(Change(CHANGED, "service_area", name, None, fields, area.id), ())
        return _finish(action, "update" if area_id else "create", "service_area", area.id)


def _members(session: Session, team_id: int, on: date) -> list[int]:
    return list(
        session.scalars(
            select(StaffMember.id).where(
                StaffMember.team_id == team_id,
                or_(StaffMember.left_on.is_(None), StaffMember.left_on > on),
            )
        )
    )


def save_team(
    *,
    actor_user_id: int,
    team_id: int | None,
    name: str,
    area_id: int | None,
    on: date,
    session_factory: sessionmaker | None = None,
) -> OrgResult:
    """Add a team to a service area (team_id None), or rename it or move it to
    another area (a head of service: between areas they head)."""
    name = _name(name)
    with admin_action(actor_user_id, on, session_factory) as action:
        session, actor, changes = action.session, action.actor, action.changes
        area = _area(session, actor, area_id, "area")
        if area.closed_on is not None:
            raise FieldProblem("area", f"{area.name} is closed; select an open service area.")
        same = select(Team.id).where(
            Team.service_area_id == area.id, *([Team.id != team_id] if team_id else [])
        )
        _taken(session, same, name, "name", Team.name)
        if team_id is None:
            team = Team(service_area_id=area.id, name=name)
            session.add(team)
            session.flush()
            fields = [FieldChange("name", None, name), FieldChange("service_area", None, area.name)]
            changes.add(Change(NEW_TEAM, "team", name, None, fields, team.id), ())
        else:
            team = _team(session, actor, team_id)
            fields = set_fields(team, {"name": name, "service_area_id": area.id})
            if not fields:
                raise ActionError("Nothing was changed.")
            changes.add(Change(CHANGED, "team", name, None, fields, team.id), ())
            # Its people's service area may have changed with it.
            changes.subjects.update(staff_fact_id(m) for m in _members(session, team.id, on))
        return _finish(action, "update" if team_id else "create", "team", team.id)


def _team(session: Session, actor: Actor, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise ActionError("There is no such team.")
    _area(session, actor, team.service_area_id, "area")
    if team.closed_on is not None:
        raise ActionError(f"{team.name} is closed.")
    return team


def close_team(
    *,
    actor_user_id: int,
    team_id: int,
    closed_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> OrgResult:
    """Close a team nobody is in any more (move its people first)."""
    with admin_action(actor_user_id, on, session_factory) as action:
        team = _team(action.session, action.actor, team_id)
        still = _members(action.session, team.id, closed_on)
        if still:
            raise FieldProblem(
                "closed_on",
                f"{len(still)} people are still in {team.name} on that day: "
                "move them to another team first.",
            )
        fields = set_fields(team, {"closed_on": closed_on})
        action.changes.add(Change(CLOSED, "team", team.name, None, fields, team.id), ())
        return _finish(action, "close", "team", team.id)


def close_service_area(
    *,
    actor_user_id: int,
    area_id: int,
    closed_on: date,
    on: date,
    session_factory: sessionmaker | None = None,
) -> OrgResult:
    """Close a service area once none of its teams is open (close or move them
    first); its history, and its head's past samples, are kept."""
    with admin_action(actor_user_id, on, session_factory) as action:
        session, actor = action.session, action.actor
        _workforce_only(actor)
        area = _area(session, actor, area_id, "closed_on")
        if area.closed_on is not None:
            raise ActionError(f"{area.name} is already closed.")
        still_open = list(
            session.scalars(
                select(Team.name)
                .where(
                    Team.service_area_id == area.id,
                    or_(Team.closed_on.is_(None), Team.closed_on > closed_on),
                )
                .order_by(Team.name)
            )
        )
        if still_open:
            raise FieldProblem(
                "closed_on",
                f"{area.name} still has open teams on that day ({', '.join(still_open[:5])}"
                f"{', ...' if len(still_open) > 5 else ''}): close or move them first.",
            )
        fields = set_fields(area, {"closed_on": closed_on})
        action.changes.add(Change(CLOSED, "service_area", area.name, None, fields, area.id), ())
        return _finish(action, "close", "service_area", area.id)
