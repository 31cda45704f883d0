"""Signing in: check a password and keep the bookkeeping that throttles
guessing, each step in its own short transaction.

Failed attempts are counted on the account; after `max_failed` in a row the
account is locked for `lockout_minutes`. They are also counted per address
(an audit entry per failure, so every worker process sees them): after
`max_failed_per_address` failures from one address within that window, the
address may not try any account until the window passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from models.base import utcnow
from models.db import get_sessionmaker
from models.passwords import hash_password, needs_rehash, verify_password
from models.tables.audit import AuditEntry
from models.tables.org import UserAccount

# Verified against when the username is unknown, so both paths take as long.
_DUMMY_HASH = hash_password("not a real password")


@dataclass(frozen=True)
class SignInLimits:
    max_failed: int  # wrong passwords in a row before the account is locked
    lockout_minutes: int
    max_failed_per_address: int  # failures from one address (any accounts) in that window


def can_sign_in(account: UserAccount, on: date) -> bool:
    if not account.active:
        return False
    if account.access_expires_on is None:
        # An auditor's access is always time-limited: no end date, no access.
        return "auditor" not in account.role_names
    return on <= account.access_expires_on


def sign_in(
    *,
    username: str,
    password: str,
    address: str,
    on: date,
    limits: SignInLimits,
    session_factory: sessionmaker | None = None,
) -> int | None:
    """The id of the login that may sign in now with this username and
    password, or None. A failure from an address that is not paused is
    counted against it; an address that is paused tries nothing."""
    factory = session_factory or get_sessionmaker()
    if _address_is_paused(factory, address, limits):
        return None
    account_id = _authenticate(factory, username, password, on, limits)
    if account_id is None:
        _record_failure(factory, address)
    return account_id


def _address_is_paused(factory: sessionmaker, address: str, limits: SignInLimits) -> bool:
    since = utcnow() - timedelta(minutes=limits.lockout_minutes)
    with factory() as session:
        failures = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "sign_in_failed",
                AuditEntry.object_type == "client_address",
                AuditEntry.object_id == address,
                AuditEntry.at >= since,
            )
        )
    return failures >= limits.max_failed_per_address


def _record_failure(factory: sessionmaker, address: str) -> None:
    """One audit entry per failed attempt. The typed username is not stored:
    people sometimes type their password into it."""
    with factory() as session, session.begin():
        session.add(
            AuditEntry(
                actor="sign-in page",
                action="sign_in_failed",
                object_type="client_address",
                object_id=address,
                detail="A sign-in attempt failed",
            )
        )


def _authenticate(
    factory: sessionmaker, username: str, password: str, on: date, limits: SignInLimits
) -> int | None:
    """The account's id if the password is right and it may sign in now;
    counts a wrong password against the account (one transaction)."""
    with factory() as session, session.begin():
        account = session.scalars(
            select(UserAccount).where(func.lower(UserAccount.username) == username.strip().lower())
        ).one_or_none()
        if account is None:
            verify_password(_DUMMY_HASH, password)
            return None
        now = utcnow()
        if account.locked_until is not None and account.locked_until > now:
            # Locked: don't check the password (no guessing while locked), don't extend the lock.
            return None
        if not verify_password(account.password_hash, password):
            account.failed_logins = (account.failed_logins or 0) + 1
            if account.failed_logins >= limits.max_failed:
                account.locked_until = now + timedelta(minutes=limits.lockout_minutes)
                account.failed_logins = 0
            return None
        account.failed_logins = 0
        account.locked_until = None
        if needs_rehash(account.password_hash):
            account.password_hash = hash_password(password)
        return account.id if can_sign_in(account, on) else None
