"""The reads of the actions pages."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_login import current_user
from sqlalchemy import case, select
from sqlalchemy.orm import aliased

from models import HumanTask, SessionAction, SessionStatus, StaffMember, SupervisionRelationship
from models import SupervisionSession as HeldSession
from policy import keys
from policy.dates import long_date
from policy.keys import parse_fact_id, staff_fact_id
from webapp.audit import record_read
from webapp.database import db_session
from webapp.users import AppUser

# The kind of human task that owes an action (policy/kinds/supervision.py).
ACTION_KIND = "session_action"


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


def action_of_task(task: HumanTask) -> dict | None:
    """The action an action task (key `action:act-N`) is about, with the
    session that agreed it and the people, for the task page: what was agreed,
    by whom, when, and by when. The reader may already open the task
    (webapp.inbox's rule); reading the action is audited like any record read.
    None for another kind of task or an action no longer held."""
    if task.kind != ACTION_KIND:
        return None
    try:
        action_id = parse_fact_id(keys.parse(task.key).parts.get("action"), "act")
    except keys.KeyFormatError:
        return None
    owner, supervisor, supervisee = (aliased(StaffMember) for _ in range(3))
    row = (
        db_session()
        .execute(
            select(SessionAction, HeldSession.held_on, owner, supervisor, supervisee)
            .join(HeldSession, HeldSession.id == SessionAction.session_id)
            .join(
                SupervisionRelationship, SupervisionRelationship.id == HeldSession.relationship_id
            )
            .join(supervisor, supervisor.id == SupervisionRelationship.supervisor_id)
            .join(supervisee, supervisee.id == SupervisionRelationship.supervisee_id)
            .outerjoin(owner, owner.id == SessionAction.owner_id)
            .where(
                SessionAction.id == action_id,
                supervisee.organisation_id == current_user.organisation_id,
            )
        )
        .first()
    )
    if row is None:
        return None
    action, agreed_on, owner_row, supervisor_row, supervisee_row = row
    record_read(
        "session_action",
        staff_fact_id(supervisee_row.id),
        subject_staff_id=supervisee_row.id,
        detail=f"Viewed the action agreed in supervision on {long_date(agreed_on)} "
        f"from its task ({request.path})",
    )
    return {
        "action": action,
        "agreed_on": agreed_on,
        "owner": owner_row,
        "supervisor": supervisor_row,
        "supervisee": supervisee_row,
    }
