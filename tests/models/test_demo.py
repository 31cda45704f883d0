"""The demo organisation: deterministic, idempotent, and a live inbox at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models import HumanTask, StaffMember, UserAccount
from models.demo import load_demo
from models.reconcile import reconcile

TODAY = date(2026, 11, 23)


def _inbox(db, username):
    with db() as session:
        user = session.scalars(select(UserAccount).where(UserAccount.username == username)).one()
        return sorted(
            t.title
            for t in session.scalars(
                select(HumanTask).where(
                    HumanTask.assignee_id == user.staff_id,
                    HumanTask.status.in_(("open", "escalated")),
                )
            )
        )


def test_loading_the_demo_twice_creates_it_once(db):
    first = load_demo(today=TODAY, session_factory=db)
    second = load_demo(today=TODAY, session_factory=db)
    assert first.created and not second.created
    assert first.organisation_id == second.organisation_id
    with db() as session:
        assert 35 <= session.scalar(select(func.count(StaffMember.id))) <= 45


def test_the_demo_gives_each_highlighted_login_a_live_inbox(db):
    summary = load_demo(today=TODAY, session_factory=db)
    reconcile(
        organisation_id=summary.organisation_id,
        lifecycles={"agreement"},
        as_of=TODAY,
        session_factory=db,
    )
    assert _inbox(db, "grace.adeyemi") == [
        "Draft and sign the supervision agreement with Sam Okafor"
    ]
    assert _inbox(db, "chloe.ward") == ["Countersign your supervision agreement"]
    assert "Draft and sign the supervision agreement with Jordan Ellis" in _inbox(db, "tom.hughes")
    assert _inbox(db, "priya.shah") == [
        "Overdue supervision agreement: Tom Hughes and Jordan Ellis"
    ]
