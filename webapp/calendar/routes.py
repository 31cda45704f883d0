"""Calendars: a private feed of a person's planned sessions at a
revocable token URL, the page to create, copy and revoke it, and one planned
session as an invitation.

Only the token's SHA-256 hash is stored (models.actions.calendar makes and
revokes tokens); the link is shown once, when it is made. A wrong or revoked
token answers 404, the hashes are compared in constant time, and many wrong
tokens with one prefix, or from one address, are slowed down with 429s
(counted in the database; a right token is always served)."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from models import Organisation, SessionStatus
from models.actions.calendar import create_token as create_feed_token
from models.actions.calendar import revoke_tokens
from models.actions.throttle import note_failure
from webapp.access import logged_in, rule, session_party
from webapp.calendar import ics, queries
from webapp.calendar.access import calendar_token
from webapp.calendar.forms import CreateForm, RevokeForm
from webapp.database import db_session
from webapp.extensions import login_manager
from webapp.perform import perform

bp = Blueprint("calendar", __name__, template_folder="templates")

ICS_TYPE = "text/calendar; charset=utf-8"
# Wrong tokens allowed per token prefix, and per address, in a window before 429s.
MAX_BAD_TOKENS = 20
BAD_TOKEN_WINDOW_SECONDS = 600
TOKEN_PREFIX = 4


@bp.route("/calendar")
@rule(logged_in)
def settings():
    return _settings_page(new_link=None)


def _settings_page(new_link: str | None):
    return render_template(
        "calendar/settings.html",
        token=queries.live_token(current_user.user_id),
        new_link=new_link,
        create_form=CreateForm(),
        revoke_form=RevokeForm(),
    )


@bp.route("/calendar/token", methods=["POST"])
@rule(logged_in)
def create_token():
    """Make a new link (any earlier one stops working) and show it once."""
    form = CreateForm()
    if not form.validate_on_submit():
        return redirect(url_for("calendar.settings"))
    made = perform(create_feed_token, user_id=current_user.user_id, staff_id=current_user.staff_id)
    link = url_for("calendar.feed", token=made.result, _external=True)
    return _settings_page(new_link=link)


@bp.route("/calendar/token/revoke", methods=["POST"])
@rule(logged_in)
def revoke_token():
    form = RevokeForm()
    if form.validate_on_submit():
        perform(revoke_tokens, user_id=current_user.user_id, staff_id=current_user.staff_id)
        flash("Your calendar link no longer works. Create a new one to subscribe again.", "success")
    return redirect(url_for("calendar.settings"))


@bp.route("/calendar/feed.ics")
@rule(calendar_token)
def feed():
    """The private feed. Without a token it is the calendar page (sign in first)."""
    token = request.args.get("token", "")
    if not token:
        if current_user.is_authenticated:
            return redirect(url_for("calendar.settings"))
        return login_manager.unauthorized()
    account = queries.account_for(token)
    if account is None:
        abort(429 if _too_many_wrong_tokens(token) else 404)
    rows = queries.planned_sessions(account.staff_id)
    org = db_session().get(Organisation, account.staff.organisation_id)
    body = ics.feed(rows, org.slug)
    return Response(body, mimetype="text/calendar", headers={"Content-Type": ICS_TYPE})


def _too_many_wrong_tokens(token: str) -> bool:
    """Count a wrong token against its prefix and the address it came from, in
    the database (every worker process shares the count). Only wrong tokens
    are counted and a right one is served before any count is read, so one
    address guessing never blocks anyone's valid feed."""
    keys = [f"feed-prefix:{token[:TOKEN_PREFIX]}", f"feed-address:{request.remote_addr}"]
    count = perform(
        note_failure, keys=keys, window=timedelta(seconds=BAD_TOKEN_WINDOW_SECONDS)
    ).result
    return count is None or count > MAX_BAD_TOKENS


@bp.route("/sessions/<int:session_id>/invitation.ics")
@rule(session_party)
def invitation(session_id: int):
    row = session_party.loaded()
    if row.status != SessionStatus.PLANNED or row.planned_on is None:
        abort(404)
    org = db_session().get(Organisation, current_user.organisation_id)
    body = ics.invitation(row, org.slug)
    filename = f"supervision-{row.planned_on.isoformat()}.ics"
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Type": "text/calendar; charset=utf-8; method=REQUEST",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
