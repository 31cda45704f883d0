"""Calendars (issue 5): a private feed of a person's planned sessions at a
revocable token URL, the page to create, copy and revoke it, and one planned
session as an invitation.

Only the token's SHA-256 hash is stored (models.CalendarToken); the link is
shown once, when it is made. A wrong or revoked token answers 404, the hashes
are compared in constant time, and one address trying many wrong tokens is
slowed down with 429s."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from sqlalchemy import or_, select
from wtforms import SubmitField

from models import (
    AuditEntry,
    CalendarToken,
    Organisation,
    SessionStatus,
    SupervisionRelationship,
    SupervisionSession,
    UserAccount,
)
from models.base import utcnow
from webapp.access import calendar_token, logged_in, rule, session_party
from webapp.calendar import ics
from webapp.database import db_session, end_read, session_factory
from webapp.dates import today
from webapp.extensions import login_manager
from webapp.sessions import queries as session_queries
from webapp.users import can_sign_in

bp = Blueprint("calendar", __name__, template_folder="templates")

ICS_TYPE = "text/calendar; charset=utf-8"
# Wrong tokens allowed from one address per window before it gets 429s.
MAX_BAD_TOKENS = 20
BAD_TOKEN_WINDOW_SECONDS = 600
_EXTENSION = "oversight.calendar_bad_tokens"


class CreateForm(FlaskForm):
    submit = SubmitField("Create a calendar link", widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    submit = SubmitField("Stop the link working", widget=GovSubmitInput())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _live_token(user_id: int) -> CalendarToken | None:
    return (
        db_session()
        .scalars(
            select(CalendarToken)
            .where(CalendarToken.user_id == user_id, CalendarToken.revoked_at.is_(None))
            .order_by(CalendarToken.created_at.desc())
            .limit(1)
        )
        .one_or_none()
    )


@bp.route("/calendar")
@rule(logged_in)
def settings():
    return _settings_page(new_link=None)


def _settings_page(new_link: str | None):
    return render_template(
        "calendar/settings.html",
        token=_live_token(current_user.user_id),
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
    token = secrets.token_urlsafe(32)
    end_read()
    with session_factory().begin() as session:
        for old in session.scalars(
            select(CalendarToken).where(
                CalendarToken.user_id == current_user.user_id, CalendarToken.revoked_at.is_(None)
            )
        ):
            old.revoked_at = utcnow()
        session.add(CalendarToken(user_id=current_user.user_id, token_hash=hash_token(token)))
        session.add(_audit("create", "Created a calendar feed link"))
    link = url_for("calendar.feed", token=token, _external=True)
    return _settings_page(new_link=link)


@bp.route("/calendar/token/revoke", methods=["POST"])
@rule(logged_in)
def revoke_token():
    form = RevokeForm()
    if form.validate_on_submit():
        end_read()
        with session_factory().begin() as session:
            for old in session.scalars(
                select(CalendarToken).where(
                    CalendarToken.user_id == current_user.user_id,
                    CalendarToken.revoked_at.is_(None),
                )
            ):
                old.revoked_at = utcnow()
            session.add(_audit("revoke", "Revoked the calendar feed link"))
        flash("Your calendar link no longer works. Create a new one to subscribe again.", "success")
    return redirect(url_for("calendar.settings"))


def _audit(action: str, detail: str) -> AuditEntry:
    return AuditEntry(
        actor_user_id=current_user.user_id,
        actor=f"staff-{current_user.staff_id}",
        action=action,
        object_type="calendar_token",
        object_id=str(current_user.user_id),
        subject_staff_id=current_user.staff_id,
        detail=detail,
    )


@bp.route("/calendar/feed.ics")
@rule(calendar_token)
def feed():
    """The private feed. Without a token it is the calendar page (sign in first)."""
    token = request.args.get("token", "")
    if not token:
        if current_user.is_authenticated:
            return redirect(url_for("calendar.settings"))
        return login_manager.unauthorized()
    if _too_many_bad_tokens():
        abort(429)
    account = _account_for(token)
    if account is None:
        _note_bad_token()
        abort(404)
    staff_id = account.staff_id
    rows = (
        db_session()
        .scalars(
            select(SupervisionSession)
            .join(
                SupervisionRelationship,
                SupervisionRelationship.id == SupervisionSession.relationship_id,
            )
            .where(
                SupervisionSession.status == SessionStatus.PLANNED,
                SupervisionSession.planned_on.is_not(None),
                or_(
                    SupervisionRelationship.supervisor_id == staff_id,
                    SupervisionRelationship.supervisee_id == staff_id,
                ),
            )
            .order_by(SupervisionSession.planned_on, SupervisionSession.id)
        )
        .all()
    )
    org = db_session().get(Organisation, account.staff.organisation_id)
    body = ics.feed(rows, org.slug)
    return Response(body, mimetype="text/calendar", headers={"Content-Type": ICS_TYPE})


def _account_for(token: str) -> UserAccount | None:
    digest = hash_token(token)
    row = (
        db_session()
        .scalars(select(CalendarToken).where(CalendarToken.token_hash == digest).limit(1))
        .one_or_none()
    )
    # The lookup is by hash (an attacker cannot steer it); compare in constant time too.
    if row is None or not hmac.compare_digest(row.token_hash, digest) or row.revoked_at:
        return None
    account = db_session().get(UserAccount, row.user_id)
    if account is None or not can_sign_in(account, today()):
        return None
    return account


def _bad_tokens() -> dict[str, deque]:
    return current_app.extensions.setdefault(_EXTENSION, defaultdict(deque))


def _too_many_bad_tokens() -> bool:
    attempts = _bad_tokens()[request.remote_addr or "unknown"]
    cutoff = time.monotonic() - BAD_TOKEN_WINDOW_SECONDS
    while attempts and attempts[0] < cutoff:
        attempts.popleft()
    return len(attempts) >= MAX_BAD_TOKENS


def _note_bad_token() -> None:
    _bad_tokens()[request.remote_addr or "unknown"].append(time.monotonic())


@bp.route("/sessions/<int:session_id>/invitation.ics")
@rule(session_party)
def invitation(session_id: int):
    row = session_queries.session_as_party(current_user, session_id)
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
