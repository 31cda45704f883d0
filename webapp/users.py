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
from sqlalchemy import String, cast, exists, func, select

from models import Organisation, ServiceArea, StaffMember, UserAccount, UserRole
from models.actions.accounts import live_session_conditions, may_sign_in
from models.tables.sign_in import SignInSession
from policy.profile import Profile, load_profile
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
    # The organisation's policy profile (policy/profiles/<name>), for its wording.
    profile: str = ""
    staff_role: str = ""  # their post (StaffRole's value)
    team_id: int | None = None
    heads_area: bool = False  # they are the head of a service area

    def get_id(self) -> str:
        return str(self.user_id)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def read_only(self) -> bool:
        """An auditor's login reads and never changes anything."""
        return "auditor" in self.roles

    @property
    def council_profile(self) -> Profile:
        """The organisation's policy profile: its rules and its wording."""
        return load_profile(self.profile)

    @property
    def audit_name(self) -> str:
        """How audit entries name this person."""
        return f"{self.name} ({self.username})"[:120]


def app_user_for(account: UserAccount) -> AppUser:
    """The person behind a login, as the pages see them (after signing in)."""
    row = db_session().execute(_user_query().where(UserAccount.id == account.id)).one()
    return _app_user(row)


# Where the browser's session keeps its signed-in token (models.actions.accounts).
SIGN_IN_SESSION_KEY = "sign_in"


@login_manager.user_loader
def load_user(user_id: str) -> AppUser | None:
    """The signed-in person, while their session is live on the server (not
    signed out: a copied cookie stops working) and they may still sign in.
    One query on every request: the session, the login, the person, their
    organisation, their roles and whether they head a service area."""
    token = session.get(SIGN_IN_SESSION_KEY)
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 10) or not token:
        return None
    query = (
        _user_query()
        .join(SignInSession, SignInSession.user_id == UserAccount.id)
        .where(*live_session_conditions(int(user_id), str(token)))
    )
    row = db_session().execute(query).one_or_none()
    if row is None:
        return None
    user = _app_user(row)
    if not may_sign_in(
        active=row.active,
        left_on=row.left_on,
        access_expires_on=user.access_expires_on,
        roles=user.roles,
        on=today(),
    ):
        return None
    return user


def _user_query():
    roles = (
        select(func.aggregate_strings(cast(UserRole.role, String), ","))
        .where(UserRole.user_id == UserAccount.id)
        .scalar_subquery()
    )
    heads_area = exists().where(ServiceArea.head_of_service_id == StaffMember.id)
    return (
        select(
            UserAccount.id.label("user_id"),
            UserAccount.username,
            UserAccount.active,
            UserAccount.access_expires_on,
            StaffMember.id.label("staff_id"),
            StaffMember.name,
            StaffMember.organisation_id,
            StaffMember.left_on,
            StaffMember.role.label("staff_role"),
            StaffMember.team_id,
            Organisation.name.label("organisation_name"),
            Organisation.profile,
            roles.label("roles"),
            heads_area.label("heads_area"),
        )
        .select_from(UserAccount)
        .join(StaffMember, StaffMember.id == UserAccount.staff_id)
        .join(Organisation, Organisation.id == StaffMember.organisation_id)
    )


def _app_user(row) -> AppUser:
    return AppUser(
        user_id=row.user_id,
        username=row.username,
        staff_id=row.staff_id,
        name=row.name,
        organisation_id=row.organisation_id,
        organisation_name=row.organisation_name,
        roles=frozenset(row.roles.split(",")) if row.roles else frozenset(),
        access_expires_on=row.access_expires_on,
        profile=row.profile,
        staff_role=str(row.staff_role),
        team_id=row.team_id,
        heads_area=bool(row.heads_area),
    )
