"""Sign-in throttling holds under attempts made at once: each count is one
atomic statement in the database, so sixty wrong passwords in parallel lock
the account after the limit and check no more passwords than it allows; the
address's count is shared the same way; and the counter starts a new window
once the old one has passed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import AppRole, AttemptCounter, UserAccount
from models.actions import accounts, throttle
from models.actions.accounts import SignInLimits, sign_in
from models.base import utcnow
from tests.factories.people import PASSWORD, make_organisation, make_staff, make_user

TODAY = date(2026, 3, 2)
PARALLEL = 60


@pytest.fixture
def production_password_cost(monkeypatch):
    """Argon2 at production's cost (the suite hashes at the lowest, tests/conftest.py),
    so the checks take as long as they would live and the attempts overlap as widely."""
    from models import passwords
    from tests.conftest import PRODUCTION_HASHER

    monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", PRODUCTION_HASHER.hash("not a real password"))


@pytest.fixture
def account(db):
    with db() as session, session.begin():
        org = make_organisation(session)
        return make_user(session, make_staff(session, org), AppRole.SUPERVISOR).username


@pytest.fixture
def password_checks(monkeypatch):
    """How many real password checks were made (Argon2's verify, counted)."""
    calls = []
    real = accounts.verify_password

    def counted(hashed: str, password: str) -> bool:
        calls.append(password)
        return real(hashed, password)

    monkeypatch.setattr(accounts, "verify_password", counted)
    return calls


def _attempt(db, username, password, address, limits):
    return sign_in(
        username=username,
        password=password,
        address=address,
        on=TODAY,
        limits=limits,
        session_factory=db,
    )


def test_sixty_wrong_passwords_at_once_lock_the_account_after_five_checks(
    db, production_password_cost, account, password_checks, postgres_only
):
    limits = SignInLimits(max_failed=5, lockout_minutes=15, max_failed_per_address=1000)
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(
            pool.map(
                lambda i: _attempt(db, account, f"wrong {i}", f"198.51.100.{i}", limits),
                range(PARALLEL),
            )
        )
    assert results == [None] * PARALLEL
    assert len(password_checks) <= limits.max_failed
    with db() as session:
        row = session.scalars(select(UserAccount).where(UserAccount.username == account)).one()
        assert row.locked_until is not None and row.locked_until > utcnow()
    # Locked: even the right password is refused, without checking it.
    before = len(password_checks)
    assert _attempt(db, account, PASSWORD, "203.0.113.1", limits) is None
    assert len(password_checks) == before


def test_sixty_attempts_at_once_from_one_address_check_no_more_than_its_limit(
    db, production_password_cost, account, password_checks, postgres_only
):
    limits = SignInLimits(max_failed=1000, lockout_minutes=15, max_failed_per_address=10)
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(
            pool.map(
                lambda i: _attempt(db, f"nobody{i}", "wrong", "192.0.2.9", limits),
                range(PARALLEL),
            )
        )
    assert len(password_checks) <= limits.max_failed_per_address
    with db() as session:
        assert throttle.failures(session, "address:192.0.2.9", limits.window, utcnow()) == (
            PARALLEL
        )
    # The address is paused for every account, a right password included.
    assert _attempt(db, account, PASSWORD, "192.0.2.9", limits) is None
    assert _attempt(db, account, PASSWORD, "192.0.2.10", limits) is not None


def test_a_right_password_takes_its_attempt_back_and_resets_the_account(db, account):
    limits = SignInLimits(max_failed=5, lockout_minutes=15, max_failed_per_address=3)
    for _ in range(2):
        assert _attempt(db, account, "wrong", "192.0.2.1", limits) is None
    for _ in range(3):
        assert _attempt(db, account, PASSWORD, "192.0.2.1", limits) is not None
    with db() as session:
        row = session.scalars(select(UserAccount).where(UserAccount.username == account)).one()
        assert row.failed_logins == 0
        assert throttle.failures(session, "address:192.0.2.1", limits.window, utcnow()) == 2


def test_a_count_starts_again_once_its_window_has_passed(db):
    window = timedelta(minutes=15)
    with db() as session, session.begin():
        assert [throttle.count_failure(session, "k", window, utcnow()) for _ in range(3)] == [
            1,
            2,
            3,
        ]
        session.get(AttemptCounter, "k").window_started = utcnow() - timedelta(minutes=16)
        assert throttle.failures(session, "k", window, utcnow()) == 0
        assert throttle.count_failure(session, "k", window, utcnow()) == 1
