"""Who may sign in as what: the workforce team gives a member of staff a
login and its roles, changes them, or stops it; a head of service does the
same for the people of the areas they head, with the roles of practice only
(supervisee, supervisor, line manager). Nobody types a password for someone
else: a new login gets an invitation, a one-time link that expires, mailed
through the mail outbox (models/tables/mail.py); only its hash is kept, and
the person sets their own password with it (accounts.set_password_from_invitation)."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from models.actions.accounts import UNUSABLE_PASSWORD, invitation_token_hash
from models.actions.admin_action import admin_action
from models.actions.admin_changes import (
    CHANGED,
    NEW,
    Actor,
    Change,
    Changes,
    FieldChange,
    FieldProblem,
)
from models.actions.errors import ActionError, NotPermitted
from models.actions.mail import base_url
from models.base import utcnow
from models.tables.mail import MailMessage
from models.tables.org import AppRole, LoginInvitation, StaffMember, UserAccount, UserRole

INVITATION_DAYS = 7
INVITATION = "invitation"
SET_PASSWORD_PATH = "/admin/set-password/"
_LINK = re.compile(r"\S*" + re.escape(SET_PASSWORD_PATH) + r"\S+")
LINK_REMOVED = (
    "(The link was here. It is taken out of Oversight's copy of this mail once the mail is "
    "sent, so the stored copy cannot set the password.)"
)
# What a head of service may give: the roles of practice in their own areas.
PRACTICE_ROLES = frozenset({AppRole.SUPERVISEE, AppRole.SUPERVISOR, AppRole.LINE_MANAGER})
# An auditor's login needs an end date (webapp/README.md), so it is not given here.
GIVEN_HERE = frozenset(AppRole) - {AppRole.AUDITOR}


@dataclass(frozen=True)
class LoginResult:
    user_id: int
    invited: bool


def _check_roles(actor: Actor, wanted: set[AppRole], held: set[AppRole]) -> None:
    if not wanted <= GIVEN_HERE:
        raise FieldProblem("roles", "An auditor's login is given with its end date, not here.")
    if actor.area_ids is not None and not (wanted | held) <= PRACTICE_ROLES:
        raise NotPermitted(
            "A head of service gives and changes the roles of practice only (supervisee, "
            "supervisor, line manager); ask the workforce team."
        )


def _check_username(session: Session, username: str, account_id: int | None) -> str:
    username = (username or "").strip()
    if not username or len(username) > 120 or " " in username:
        raise FieldProblem("username", "Enter a username without spaces, like their email.")
    taken = session.scalar(
        select(UserAccount.id).where(
            func.lower(UserAccount.username) == username.lower(),
            *([UserAccount.id != account_id] if account_id else []),
        )
    )
    if taken is not None:
        raise FieldProblem("username", f"The username {username} is already used.")
    return username


def _role_change(account: UserAccount, wanted: set[AppRole]) -> FieldChange | None:
    held = {r.role for r in account.roles}
    if held == wanted:
        return None
    account.roles = [r for r in account.roles if r.role in wanted] + [
        UserRole(role=role) for role in sorted(wanted - held)
    ]
    return FieldChange("roles", ", ".join(sorted(held)), ", ".join(sorted(wanted)))


def save_login(
    *,
    actor_user_id: int,
    staff_id: int,
    username: str,
    roles: set[str],
    active: bool,
    on: date,
    session_factory: sessionmaker | None = None,
) -> LoginResult:
    """Give the person a login with these roles (and mail them an invitation),
    or change their login's username, roles and whether it may be used."""
    try:
        wanted = {AppRole(r) for r in roles}
    except ValueError:
        raise FieldProblem("roles", "Select roles from the list.") from None
    if not wanted:
        raise FieldProblem("roles", "Select at least one role.")
    with admin_action(actor_user_id, on, session_factory) as action:
        session, actor, changes = action.session, action.actor, action.changes
        person = action.person_to_change(staff_id)
        account = _login_of(session, person)
        if account is not None and account.id == actor.user_id:
            raise NotPermitted("Ask a colleague to change your own login.")
        _check_roles(actor, wanted, {r.role for r in account.roles} if account else set())
        username = _check_username(session, username, account.id if account else None)
        if account is None:
            if person.left_on is not None and person.left_on <= on:
                raise ActionError(f"{person.name} has left, so cannot be given a login.")
            account = _new_login(session, person, username, wanted, active, changes)
            _invite(session, actor, account, person)
        else:
            _change_login(account, username, wanted, active, person, changes)
        if not changes.items:
            raise ActionError("Nothing was changed.")
        created = bool(changes.count(NEW))
        action.finish("create" if created else "update", "user_account", account.id, person.id)
        return LoginResult(account.id, created)


def _login_of(session: Session, person: StaffMember) -> UserAccount | None:
    return session.scalars(select(UserAccount).where(UserAccount.staff_id == person.id)).first()


def _new_login(session, person, username, wanted, active, changes: Changes) -> UserAccount:
    account = UserAccount(
        staff_id=person.id,
        username=username,
        password_hash=UNUSABLE_PASSWORD,
        active=active,
        roles=[UserRole(role=role) for role in sorted(wanted)],
    )
    session.add(account)
    session.flush()
    fields = [
        FieldChange("username", None, username),
        FieldChange("roles", None, ", ".join(sorted(wanted))),
        FieldChange("active", None, active),
    ]
    changes.add(Change(NEW, "user_account", person.staff_number, person.id, fields, account.id), ())
    return account


def _change_login(account, username, wanted, active, person, changes: Changes) -> None:
    fields = [
        f
        for f in (
            FieldChange("username", account.username, username)
            if account.username != username
            else None,
            _role_change(account, wanted),
            FieldChange("active", account.active, active) if account.active != active else None,
        )
        if f is not None
    ]
    account.username, account.active = username, active
    if fields:
        changes.add(
            Change(CHANGED, "user_account", person.staff_number, person.id, fields, account.id), ()
        )


def send_invitation(
    *, actor_user_id: int, staff_id: int, on: date, session_factory: sessionmaker | None = None
) -> int:
    """A new invitation for the person's login (the older ones stop working); its id."""
    with admin_action(actor_user_id, on, session_factory) as action:
        person = action.person_to_change(staff_id)
        account = _login_of(action.session, person)
        if account is None:
            raise ActionError(f"{person.name} has no login yet: give them one first.")
        _check_roles(action.actor, set(), {r.role for r in account.roles})
        invitation = _invite(action.session, action.actor, account, person)
        action.finish(
            "invite",
            "user_account",
            account.id,
            person.id,
            detail="Invitation sent to set a password",
        )
        return invitation.id


def _invite(session: Session, actor: Actor, account: UserAccount, person) -> LoginInvitation:
    """The invitation (its token's hash) and its mail, in the caller's transaction."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(
        update(LoginInvitation)
        .where(LoginInvitation.user_id == account.id, LoginInvitation.used_at.is_(None))
        .values(used_at=now)
    )
    invitation = LoginInvitation(
        user_id=account.id,
        token_hash=invitation_token_hash(token),
        expires_at=now + timedelta(days=INVITATION_DAYS),
        invited_by_user_id=actor.user_id,
    )
    session.add(invitation)
    session.flush()
    session.add(
        MailMessage(
            organisation_id=person.organisation_id,
            recipient_id=person.id,
            to_address=person.email,
            kind=INVITATION,
            dedupe_key=f"{INVITATION}:{invitation.id}",
            subject="Set your password for Oversight",
            body=(
                f"Dear {person.name},\n\nYou have a login for Oversight, the supervision "
                f"service. Your username is {account.username}.\n\nSet your password here "
                f"within {INVITATION_DAYS} days (the link works once):\n\n"
                f"{base_url()}{SET_PASSWORD_PATH}{token}\n\nIf you did not expect this, tell "
                "your workforce team.\n"
            ),
            message_id=f"<{uuid.uuid4().hex}@oversight.invalid>",
        )
    )
    return invitation


def without_invitation_link(body: str) -> str:
    """The invitation mail as kept once it is sent: the one-time link, which
    sets the password of whoever holds it, replaced by a note."""
    return _LINK.sub(LINK_REMOVED, body)
