"""Sign in and sign out.

Wrong passwords lock the account for a while, and many failures from one
address pause that address (models.actions.accounts keeps the count; the
limits are the app's MAX_FAILED_LOGINS, LOCKOUT_MINUTES and
MAX_FAILED_LOGINS_PER_IP settings). Every failure shows the same message, so
the page does not reveal whether a username exists or is locked."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from models import UserAccount
from models.actions.accounts import SignInLimits, end_session, sign_in, start_session
from webapp.access import public, rule, signed_in_session
from webapp.auth.forms import LoginForm
from webapp.database import db_session
from webapp.dates import today
from webapp.perform import perform
from webapp.security import is_safe_next
from webapp.users import SIGN_IN_SESSION_KEY, app_user_for

bp = Blueprint("auth", __name__, template_folder="templates")

SIGN_IN_ERROR = (
    "Enter a correct username and password. "
    "After {attempts} wrong attempts, signing in is paused for {minutes} minutes."
)


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
        account = _sign_in(form.username.data, form.password.data)
        if account is not None:
            user = app_user_for(account)
            token = perform(start_session, user_id=user.user_id).result
            session.clear()  # a fresh session on sign-in (no fixation)
            session[SIGN_IN_SESSION_KEY] = token
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
    """Ends the session on the server too, so a copy of its cookie stops working."""
    token = session.get(SIGN_IN_SESSION_KEY)
    if token:
        perform(end_session, token=str(token))
    logout_user()
    session.clear()
    return redirect(url_for("auth.login", signed_out=1))


def _sign_in(username: str, password: str) -> UserAccount | None:
    """The account, if these may sign in now (the attempt is counted either way)."""
    config = current_app.config
    account_id = perform(
        sign_in,
        username=username,
        password=password,
        address=_client_address(),
        on=today(),
        limits=SignInLimits(
            max_failed=config["MAX_FAILED_LOGINS"],
            lockout_minutes=config["LOCKOUT_MINUTES"],
            max_failed_per_address=config["MAX_FAILED_LOGINS_PER_IP"],
        ),
    ).result
    return None if account_id is None else db_session().get(UserAccount, account_id)


def _client_address() -> str:
    """The client's address as the server saw it (behind a proxy, configure
    Werkzeug's ProxyFix so this is the real client)."""
    return (request.remote_addr or "unknown")[:60]


def _next_url(target: str | None) -> str:
    return target if is_safe_next(target) else url_for("inbox.index")
