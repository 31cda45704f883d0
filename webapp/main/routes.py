"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from sqlalchemy import text

from webapp.access import logged_in, public, rule
from webapp.database import db_session

bp = Blueprint("main", __name__)


@bp.route("/")
@rule(logged_in)
def home():
    return redirect(url_for("inbox.index"))


@bp.route("/healthz")
@rule(public)
def healthz():
    """For load balancers and `make run`: the app is up and reaches its database."""
    try:
        db_session().execute(text("SELECT 1"))
    except Exception:  # pragma: no cover - depends on the database being down
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok"}
