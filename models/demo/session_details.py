"""What the demo's supervision records say beyond being held and signed, so the
facts the documents ask for show (the demo council is on the Lancashire
profile, so only what Lancashire owes is added):

- actions agreed in supervision, with owner and date (Lancashire record §1
  "check actions have been completed"): one of Grace Adeyemi's is a week
  overdue in her inbox, one of her supervisee's is still to come;
- a session shorter than the document allows (Lancashire §1.7 "around 2
  hours", read as no less than 90 minutes): flagged on its record.

Every signed record already carries the day it was shared with the
supervisee, apart from the day it was written (Builder.sessions; §1.8).
Lancashire sets no audit of supervision records, no recorded missed-session
chain and no alternate-month management oversight, so the demo holds none."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models.demo.builder import Builder
from models.tables.supervision import SessionAction, SupervisionSession

# Practitioners by their place in their team (models/demo/staff.py): the last
# (a family support worker, seen 21 days ago) and the sixth (seen 13 days ago).
ACTIONS_FOR, SHORT_FOR = 9, 5
SHORT_MINUTES = 60


def session_details(b: Builder, team_manager) -> None:
    """On `team_manager`'s team: agreed actions on one practitioner's latest
    record, and another's latest session short."""
    latest = _latest_sessions(b, team_manager)
    with_actions, supervisee = latest[ACTIONS_FOR]
    b.session.add_all(
        [
            SessionAction(
                session_id=with_actions.id,
                description="Ask the family support service for a parenting course place",
                owner_id=team_manager.id,
                due_on=with_actions.held_on + timedelta(days=14),
            ),
            SessionAction(
                session_id=with_actions.id,
                description="Write up the home visit observations for the case file",
                owner_id=supervisee.id,
                due_on=b.ago(-10),
            ),
        ]
    )
    short, _person = latest[SHORT_FOR]
    short.duration_minutes = SHORT_MINUTES


def _latest_sessions(b: Builder, team_manager) -> dict[int, tuple[SupervisionSession, object]]:
    """Each settled practitioner's latest held session in the manager's team, by
    their place in the team (one query for the team)."""
    ours = {rel.id: (person, index) for person, rel, manager, index in b.practitioners
            if manager.id == team_manager.id}  # fmt: skip
    rows = b.session.scalars(
        select(SupervisionSession)
        .where(SupervisionSession.relationship_id.in_(ours))
        .order_by(SupervisionSession.held_on)
    )
    latest = {}
    for row in rows:  # ordered by day, so the last one kept is the latest
        person, index = ours[row.relationship_id]
        latest[index] = (row, person)
    return latest
