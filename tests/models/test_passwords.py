"""Passwords are hashed with Argon2id at RFC 9106's cost in production (the
suite hashes at the lowest cost Argon2 allows, tests/conftest.py), and a hash
made at a lower cost is made again at production's cost when its owner signs in."""

from __future__ import annotations

from datetime import date

from argon2 import Type
from sqlalchemy import select

from models import AppRole, UserAccount, passwords
from models.actions.accounts import SignInLimits, sign_in
from tests.conftest import PRODUCTION_HASHER
from tests.factories.people import PASSWORD, make_organisation, make_staff, make_user

LIMITS = SignInLimits(max_failed=5, lockout_minutes=15, max_failed_per_address=50)


def test_production_hashes_with_argon2id_at_rfc_9106s_cost():
    # RFC 9106's second recommended option: 64 MiB, three passes, four lanes.
    assert PRODUCTION_HASHER.type is Type.ID
    assert PRODUCTION_HASHER.memory_cost == 64 * 1024
    assert (PRODUCTION_HASHER.time_cost, PRODUCTION_HASHER.parallelism) == (3, 4)
    hashed = PRODUCTION_HASHER.hash("correct horse battery")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PRODUCTION_HASHER.verify(hashed, "correct horse battery")


def test_a_cheaper_hash_is_made_again_at_production_cost_when_its_owner_signs_in(db, monkeypatch):
    with db() as session, session.begin():
        org = make_organisation(session)
        user = make_user(session, make_staff(session, org), AppRole.SUPERVISOR)
        username, cheap = user.username, user.password_hash
    assert PRODUCTION_HASHER.check_needs_rehash(cheap)

    monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)
    signed_in = sign_in(
        username=username,
        password=PASSWORD,
        address="192.0.2.1",
        on=date(2026, 3, 2),
        limits=LIMITS,
        session_factory=db,
    )

    assert signed_in is not None
    with db() as session:
        stored = session.scalars(
            select(UserAccount.password_hash).where(UserAccount.id == signed_in)
        ).one()
    assert stored != cheap and stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, PASSWORD)
