"""Sign in and sign out.

Failed attempts are counted on the account; after MAX_FAILED_LOGINS in a row
the account is locked for LOCKOUT_MINUTES. They are also counted per address
(an audit entry per failure, so every worker process sees them): after
MAX_FAILED_LOGINS_PER_IP failures from one address within LOCKOUT_MINUTES,
that address may not try any account until the window passes. Every failure
shows the same message, so the page does not reveal whether a username exists
or is locked."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from models import AuditEntry, UserAccount
from models.base import utcnow
from models.passwords import hash_password, needs_rehash, verify_password
from webapp.access import public, rule, signed_in_session
from webapp.auth.forms import LoginForm
from webapp.database import db_session
from webapp.dates import today
from webapp.security import is_safe_next
from webapp.users import app_user_for, can_sign_in

bp = Blueprint("auth", __name__, template_folder="templates")

SIGN_IN_ERROR = (
    "Enter a correct username and password. "
    "After {attempts} wrong attempts, signing in is paused for {minutes} minutes."
)

# Verified against when the username is unknown, so both paths take as long.
_DUMMY_HASH = hash_password("not a real password")


@bp.route("/login", methods=["GET", "POST"])
@rule(public)
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_next_url(form.next.data))
    error = None
    if form.validate_on_submit():
        address = _client_address()
        account = None
        if not _address_is_paused(address):
            account = _authenticate(form.username.data, form.password.data)
            if account is None:
                _record_failure(address)
        if account is not None:
            user = app_user_for(account)
            session.clear()  # a fresh session on sign-in (no fixation)
            login_user(user)
            return redirect(_next_url(form.next.data))
        error = SIGN_IN_ERROR.format(
            attempts=current_app.config["MAX_FAILED_LOGINS"],
            minutes=current_app.config["LOCKOUT_MINUTES"],
        )
        form.password.data = ""
    return render_template("auth/login.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
@rule(signed_in_session)
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login", signed_out=1))


def _client_address() -> str:
    """The client's address as the server saw it (behind a proxy, configure
    Werkzeug's ProxyFix so this is the real client)."""
    return (request.remote_addr or "unknown")[:60]


def _address_is_paused(address: str) -> bool:
    since = utcnow() - timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
    db = db_session()
    failures = db.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.action == "sign_in_failed",
            AuditEntry.object_type == "client_address",
            AuditEntry.object_id == address,
            AuditEntry.at >= since,
        )
    )
    db.rollback()
    return failures >= current_app.config["MAX_FAILED_LOGINS_PER_IP"]


def _record_failure(address: str) -> None:
    """One audit entry per failed attempt. The typed username is not stored:
    people sometimes type their password into it."""
    db = db_session()
    db.add(
        AuditEntry(
            actor="sign-in page",
            action="sign_in_failed",
            object_type="client_address",
            object_id=address,
            detail="A sign-in attempt failed",
        )
    )
    db.commit()


def _next_url(target: str | None) -> str:
    return target if is_safe_next(target) else url_for("inbox.index")


def _authenticate(username: str, password: str) -> UserAccount | None:
    """The account if the password is right and it may sign in now; records
    the attempt either way (one transaction)."""
    db = db_session()
    account = db.scalars(
        select(UserAccount).where(func.lower(UserAccount.username) == username.strip().lower())
    ).one_or_none()
    if account is None:
        verify_password(_DUMMY_HASH, password)
        db.rollback()
        return None

    now = utcnow()
    if account.locked_until is not None and account.locked_until > now:
        # Locked: don't check the password (no guessing while locked), don't extend the lock.
        db.rollback()
        return None

    if not verify_password(account.password_hash, password):
        account.failed_logins = (account.failed_logins or 0) + 1
        if account.failed_logins >= current_app.config["MAX_FAILED_LOGINS"]:
            account.locked_until = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
            account.failed_logins = 0
        db.commit()
        return None

    account.failed_logins = 0
    account.locked_until = None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    allowed = can_sign_in(account, today())
    db.commit()
    return account if allowed else None
