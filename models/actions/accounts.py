"""Signing in and out: check a password, keep the counts that throttle
guessing, and keep each signed-in browser's session on the server.

Every count is changed by one atomic statement before the password is
checked, so attempts made at once are counted as they are made, not lost in
a read-modify-write: the account's `failed_logins` by an UPDATE ...
RETURNING that also refuses a locked account, the address's by the attempt
counter (models/actions/throttle.py). An attempt whose place in the count is
past the limit is refused without checking the password. After `max_failed`
wrong passwords in a row the account is locked for `lockout_minutes`; after
`max_failed_per_address` failures from one address in that window, the
address may not try any account until the window passes. A right password
takes its attempt back.

A signed-in browser holds a random token; only its hash is kept
(`SignInSession`). Signing out ends that row, so a copied session cookie
stops working at once; a login deactivated, expired or of someone who has
left stops working at their next request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import sessionmaker

from models.actions import throttle
from models.base import utcnow
from models.db import get_sessionmaker
from models.passwords import hash_password, needs_rehash, verify_password
from models.tables.audit import AuditEntry
from models.tables.org import UserAccount
from models.tables.sign_in import SignInSession

# Verified against when the username is unknown, so both paths take as long.
_DUMMY_HASH = hash_password("not a real password")


@dataclass(frozen=True)
class SignInLimits:
    max_failed: int  # wrong passwords in a row before the account is locked
    lockout_minutes: int
    max_failed_per_address: int  # failures from one address (any accounts) in that window

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)


def can_sign_in(account: UserAccount, on: date) -> bool:
    """An active login of someone still in post; an auditor's only until its end date."""
    if not account.active:
        return False
    left_on = account.staff.left_on if account.staff is not None else None
    if left_on is not None and left_on <= on:
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
    password, or None. Every attempt is counted against its address first;
    an address already past its limit tries nothing."""
    factory = session_factory or get_sessionmaker()
    address_key = f"address:{address}"
    with factory() as session, session.begin():
        place = throttle.count_failure(session, address_key, limits.window, utcnow())
    if place > limits.max_failed_per_address:
        return None
    account_id = _authenticate(factory, username, password, on, limits)
    with factory() as session, session.begin():
        if account_id is None:
            session.add(_failure_audit(address))
        else:
            throttle.take_back(session, address_key)
    return account_id


def _failure_audit(address: str) -> AuditEntry:
    """One audit entry per failed attempt. The typed username is not stored:
    people sometimes type their password into it."""
    return AuditEntry(
        actor="sign-in page",
        action="sign_in_failed",
        object_type="client_address",
        object_id=address,
        detail="A sign-in attempt failed",
    )


def _authenticate(
    factory: sessionmaker, username: str, password: str, on: date, limits: SignInLimits
) -> int | None:
    """The account's id if the password is right and it may sign in now. The
    attempt takes its place in the account's count before the password is
    checked (one UPDATE, refused while the account is locked)."""
    with factory() as session, session.begin():
        account_id = session.scalar(
            select(UserAccount.id).where(
                func.lower(UserAccount.username) == username.strip().lower()
            )
        )
        place = None
        if account_id is not None:
            now = utcnow()
            place = session.scalar(
                update(UserAccount)
                .where(
                    UserAccount.id == account_id,
                    or_(UserAccount.locked_until.is_(None), UserAccount.locked_until <= now),
                )
                .values(failed_logins=func.coalesce(UserAccount.failed_logins, 0) + 1)
                .returning(UserAccount.failed_logins)
            )
    if account_id is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if place is None or place > limits.max_failed:
        return None  # locked, or locked by the attempts counted before this one
    with factory() as session, session.begin():
        account = session.get(UserAccount, account_id)
        if not verify_password(account.password_hash, password):
            if place >= limits.max_failed:
                account.locked_until = utcnow() + limits.window
                account.failed_logins = 0
            return None
        session.execute(
            update(UserAccount)
            .where(UserAccount.id == account_id)
            .values(failed_logins=0, locked_until=None)
        )
        if needs_rehash(account.password_hash):
            account.password_hash = hash_password(password)
        return account_id if can_sign_in(account, on) else None


# --- a signed-in browser's session, kept on the server -----------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(*, user_id: int, session_factory: sessionmaker | None = None) -> str:
    """A new signed-in session for this login; the token its cookie carries."""
    token = secrets.token_urlsafe(32)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        session.add(SignInSession(user_id=user_id, token_hash=_hash(token)))
    return token


def end_session(*, token: str, session_factory: sessionmaker | None = None) -> None:
    """Signing out: the session's token stops working, wherever it was copied."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        session.execute(
            update(SignInSession)
            .where(SignInSession.token_hash == _hash(token), SignInSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def live_session_query(user_id: int, token: str):
    """A SELECT of the session's id while it is signed in (for the user loader)."""
    return select(SignInSession.id).where(
        SignInSession.user_id == user_id,
        SignInSession.token_hash == _hash(token),
        SignInSession.ended_at.is_(None),
    )
