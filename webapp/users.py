"""The signed-in person, as plain values read once per request.

Flask-Login keeps the UserAccount id in the session, beside the token of the
signed-in session kept on the server; each request checks that session is
still live and reloads the account, so signing out, a deactivated or expired
login, or someone leaving stops it working at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import session
from flask_login import UserMixin
from sqlalchemy import select

from models import Organisation, StaffMember, UserAccount
from models.actions.accounts import can_sign_in, live_session_query
from webapp.database import db_session
from webapp.dates import today
from webapp.extensions import login_manager


@dataclass(frozen=True)
class AppUser(UserMixin):
    user_id: int
    username: str
    staff_id: int
    name: str
    organisation_id: int
    organisation_name: str
    roles: frozenset[str]
    # An auditor's access ends after this day (None: no end date).
    access_expires_on: date | None = None

    def get_id(self) -> str:
        return str(self.user_id)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def read_only(self) -> bool:
        """An auditor's login reads and never changes anything."""
        return "auditor" in self.roles

    @property
    def audit_name(self) -> str:
        """How audit entries name this person."""
        return f"{self.name} ({self.username})"[:120]


def app_user_for(account: UserAccount) -> AppUser:
    staff = account.staff
    org = db_session().get(Organisation, staff.organisation_id)
    return AppUser(
        user_id=account.id,
        username=account.username,
        staff_id=staff.id,
        name=staff.name,
        organisation_id=staff.organisation_id,
        organisation_name=org.name if org else "Oversight",
        roles=frozenset(account.role_names),
        access_expires_on=account.access_expires_on,
    )


# Where the browser's session keeps its signed-in token (models.actions.accounts).
SIGN_IN_SESSION_KEY = "sign_in"


@login_manager.user_loader
def load_user(user_id: str) -> AppUser | None:
    """The signed-in person, while their session is live on the server (not
    signed out: a copied cookie stops working) and they may still sign in."""
    token = session.get(SIGN_IN_SESSION_KEY)
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 10) or not token:
        return None
    db = db_session()
    if db.scalar(live_session_query(int(user_id), str(token))) is None:
        return None
    account = db.scalars(
        select(UserAccount).join(StaffMember).where(UserAccount.id == int(user_id))
    ).one_or_none()
    if account is None or not can_sign_in(account, today()):
        return None
    return app_user_for(account)
