"""The reads of the actions pages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import aliased

from models import SessionAction, SessionStatus, StaffMember, SupervisionRelationship
from models import SupervisionSession as HeldSession
from webapp.database import db_session
from webapp.users import AppUser


def actions_of(staff_id: int, today: date) -> list[dict]:
    """The person's actions from their held sessions: open ones first (the
    overdue first of all), then the done, newest first; the database says
    which are overdue."""
    owner = aliased(StaffMember)
    overdue = case(
        (SessionAction.done_on.is_(None) & (SessionAction.due_on < today), True), else_=False
    )
    rows = db_session().execute(
        select(SessionAction, HeldSession.held_on, owner.name, overdue.label("overdue"))
        .join(HeldSession, HeldSession.id == SessionAction.session_id)
        .join(SupervisionRelationship, SupervisionRelationship.id == HeldSession.relationship_id)
        .outerjoin(owner, owner.id == SessionAction.owner_id)
        .where(
            SupervisionRelationship.supervisee_id == staff_id,
            HeldSession.status == SessionStatus.HELD,
        )
        .order_by(
            SessionAction.done_on.is_not(None),
            overdue.desc(),
            SessionAction.due_on,
            HeldSession.held_on.desc(),
            SessionAction.id,
        )
    )
    return [
        {"action": a, "agreed_on": held_on, "owner": name, "overdue": bool(late)}
        for a, held_on, name, late in rows
    ]


def action_i_own(user: AppUser, action_id: int) -> SessionAction | None:
    """The action, if the signed-in person owns it (in their organisation)."""
    action = db_session().get(SessionAction, action_id)
    if action is None or user.staff_id is None or action.owner_id != user.staff_id:
        return None
    return action
