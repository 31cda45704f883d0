"""The signed-in person, as plain values read once per request.

Flask-Login keeps the UserAccount id in the session; each request reloads the
account so a deactivated or expired login stops working at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_login import UserMixin
from sqlalchemy import select

from models import Organisation, StaffMember, UserAccount
from models.actions.accounts import can_sign_in
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


@login_manager.user_loader
def load_user(user_id: str) -> AppUser | None:
    if not user_id.isdigit():
        return None
    account = (
        db_session()
        .scalars(select(UserAccount).join(StaffMember).where(UserAccount.id == int(user_id)))
        .one_or_none()
    )
    if account is None or not can_sign_in(account, today()):
        return None
    return app_user_for(account)
