"""What the launcher says each demo login shows is what that login's inbox
holds once every lifecycle has run, and every role has a login."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AppRole, HumanTask, UserAccount
from models.demo import LOGINS, load_demo
from models.demo.builder import username
from models.engine.reconcile import reconcile
from policy.engine import LIFECYCLES

# Within the sampling task's lead time, as the head of service's line promises.
TODAY = date(2026, 12, 7)


@pytest.fixture
def demo(db):
    summary = load_demo(today=TODAY, session_factory=db)
    reconcile(
        organisation_id=summary.organisation_id,
        lifecycles=set(LIFECYCLES),
        as_of=TODAY,
        session_factory=db,
    )
    return summary


def _inbox_kinds(db, login: str) -> set[str]:
    with db() as session:
        user = session.scalars(select(UserAccount).where(UserAccount.username == login)).one()
        roles = [r.role for r in user.roles]
        open_ = HumanTask.status.in_(("open", "escalated"))
        mine = select(HumanTask.kind).where(HumanTask.assignee_id == user.staff_id, open_)
        offered = select(HumanTask.kind).where(
            HumanTask.assignee_id.is_(None), HumanTask.candidate_role.in_(roles), open_
        )
        return set(session.scalars(mine)) | set(session.scalars(offered))


def test_the_launcher_lists_every_demo_login_with_what_it_shows(demo):
    assert [u for u, _p, _d in demo.logins] == [username(name) for name, _d, _k in LOGINS]
    assert all(description for _u, _p, description in demo.logins)


@pytest.mark.parametrize("name,shows,kinds", LOGINS, ids=[n for n, _s, _k in LOGINS])
def test_each_logins_inbox_holds_what_the_launcher_says(db, demo, name, shows, kinds):
    held = _inbox_kinds(db, username(name))
    assert kinds <= held, f"{name}: {shows}"
    if not kinds:
        assert held == set()


def test_the_demo_logins_cover_every_role(db, demo):
    with db() as session:
        roles = {
            role
            for user in session.scalars(
                select(UserAccount).where(
                    UserAccount.username.in_([username(n) for n, _s, _k in LOGINS])
                )
            )
            for role in (r.role for r in user.roles)
        }
    assert roles == set(AppRole)


def test_the_auditors_access_ends_in_thirty_days(db, demo):
    with db() as session:
        auditor = session.scalars(
            select(UserAccount).where(UserAccount.username == "ruth.ellison")
        ).one()
        assert auditor.access_expires_on == date(2027, 1, 6)
