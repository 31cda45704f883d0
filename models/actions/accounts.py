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
from models.actions.errors import ActionError
from models.base import utcnow
from models.db import get_sessionmaker
from models.passwords import hash_password, needs_rehash, verify_password
from models.tables.audit import AuditEntry
from models.tables.org import LoginInvitation, UserAccount
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
    left_on = account.staff.left_on if account.staff is not None else None
    return may_sign_in(
        active=account.active,
        left_on=left_on,
        access_expires_on=account.access_expires_on,
        roles=account.role_names,
        on=on,
    )


def may_sign_in(
    *,
    active: bool,
    left_on: date | None,
    access_expires_on: date | None,
    roles: set[str] | frozenset[str],
    on: date,
) -> bool:
    """The rule of can_sign_in on plain values (the user loader reads them in one query)."""
    if not active:
        return False
    if left_on is not None and left_on <= on:
        return False
    if access_expires_on is None:
        # An auditor's access is always time-limited: no end date, no access.
        return "auditor" not in roles
    return on <= access_expires_on


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


def live_session_conditions(user_id: int, token: str) -> tuple:
    """The conditions on SignInSession of a session still signed in."""
    return (
        SignInSession.user_id == user_id,
        SignInSession.token_hash == _hash(token),
        SignInSession.ended_at.is_(None),
    )


# --- setting a password from an invitation (models/actions/admin_logins.py sends it) ----

# A login nobody has set a password for yet: no password verifies against it.
UNUSABLE_PASSWORD = "!"
# NCSC guidance: length over complexity rules; a passphrase of three words passes.
SHORTEST_PASSWORD = 12


class InvitationError(ActionError):
    """The link is unknown, used or out of date, or the password will not do."""


def invitation_token_hash(token: str) -> str:
    return _hash(token)


def set_password_from_invitation(
    *, token: str, password: str, session_factory: sessionmaker | None = None
) -> int:
    """Set the login's password once with the invitation's one-time token; the
    login's id. The token is spent, and every other unused invitation for that
    login with it, so a forwarded older mail sets nothing."""
    if len(password) < SHORTEST_PASSWORD:
        raise InvitationError(f"The password must be at least {SHORTEST_PASSWORD} characters.")
    now = utcnow()
    with (session_factory or get_sessionmaker())() as session, session.begin():
        invitation = session.scalars(
            select(LoginInvitation)
            .where(LoginInvitation.token_hash == _hash(token or ""))
            .with_for_update()
        ).first()
        if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
            raise InvitationError(
                "This link has been used or is out of date. Ask the workforce team for a new one."
            )
        account = session.get(UserAccount, invitation.user_id)
        account.password_hash = hash_password(password)
        account.failed_logins, account.locked_until = 0, None
        session.execute(
            update(LoginInvitation)
            .where(LoginInvitation.user_id == account.id, LoginInvitation.used_at.is_(None))
            .values(used_at=now)
        )
        session.add(
            AuditEntry(
                actor_user_id=account.id,
                actor=f"staff-{account.staff_id}",
                action="set_password",
                object_type="user_account",
                object_id=str(account.id),
                subject_staff_id=account.staff_id,
                detail="Password set from an invitation",
            )
        )
        return account.id
