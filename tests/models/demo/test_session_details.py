"""The demo council (Lancashire profile) shows the facts the documents ask of a
record (models/demo/session_details.py): an agreed action overdue in its
owner's inbox (Lancashire record §1), a session under the 90 minutes read
from §1.7 flagged as short, and every signed record's shared date (§1.8)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import HumanTask, RecordStatus, SessionAction, StaffMember, SupervisionSession
from models.demo import load_demo
from models.engine.reconcile import reconcile
from policy import load_profile
from policy.schedule import is_short_session

TODAY = date(2026, 12, 7)


@pytest.fixture
def demo(db):
    summary = load_demo(today=TODAY, session_factory=db)
    reconcile(organisation_id=summary.organisation_id, lifecycles={"recording"}, as_of=TODAY,
              session_factory=db)  # fmt: skip
    return summary


def test_an_action_grace_adeyemi_agreed_is_a_week_overdue_in_her_inbox(db, demo):
    with db() as session:
        grace = session.scalars(
            select(StaffMember).where(StaffMember.name == "Grace Adeyemi")
        ).one()
        tasks = session.scalars(
            select(HumanTask).where(HumanTask.kind == "session_action", HumanTask.status == "open")
        ).all()
        [overdue] = [t for t in tasks if t.due_on < TODAY]
        assert overdue.assignee_id == grace.id and overdue.due_on == date(2026, 11, 30)
        action = session.scalars(
            select(SessionAction).where(
                SessionAction.owner_id == grace.id, SessionAction.done_on.is_(None)
            )
        ).one()
        assert overdue.key == f"action:act-{action.id}" and action.done_on is None
        # Her supervisee's action, due in ten days, is in their inbox, not overdue.
        [upcoming] = [t for t in tasks if t.due_on >= TODAY]
        assert upcoming.due_on == date(2026, 12, 17) and upcoming.assignee_id != grace.id


def test_one_demo_session_is_shorter_than_the_document_allows(db, demo):
    profile = load_profile("lancashire")
    with db() as session:
        held = session.scalars(
            select(SupervisionSession.duration_minutes).where(
                SupervisionSession.duration_minutes.is_not(None)
            )
        ).all()
    assert [m for m in held if is_short_session(profile, m)] == [60]


def test_every_signed_demo_record_says_when_it_was_shared(db, demo):
    with db() as session:
        unshared = session.scalars(
            select(SupervisionSession.id).where(
                SupervisionSession.record_status == RecordStatus.SIGNED,
                SupervisionSession.shared_on.is_(None),
            )
        ).all()
    assert unshared == []
