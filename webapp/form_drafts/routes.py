"""Where static/js/drafts.mjs posts a long form every twenty seconds while it
changes. The form's own CSRF token travels with it (the CSRF check applies);
the draft token says whose draft of which form it is, and must be this
login's. Without JavaScript the form keeps its draft on every submit instead
(webapp/drafts.py)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from webapp.access import logged_in, rule
from webapp.drafts import keep_autosaved

bp = Blueprint("form_drafts", __name__)


@bp.route("/drafts", methods=["POST"])
@rule(logged_in)
def save():
    body, status = keep_autosaved()
    return jsonify(body), status
