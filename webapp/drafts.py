"""Nothing typed into a long form is lost: a draft kept on the server.

A long form (a session record, an agreement, an observation, a review) puts
`{{ draft_field() }}` inside its <form>: a hidden, signed token naming the
login and the form (its endpoint and URL arguments), issued when the page is
drawn and good for DRAFT_TOKEN_HOURS. Then:

- every submit attempt keeps the posted values as that login's draft of that
  form (`keep_typed_values`, before any view and before the CSRF check);
- if the login has ended by the time the form is submitted, the values are
  kept all the same, marked as typed while signed out, and the person is
  sent to sign in and back to the form;
- the view restores the draft when it draws the form again (`restore`), with
  a notification banner saying so, and discards it once the form is
  completed (`discard`);
- with JavaScript, static/js/drafts.mjs posts the form to the draft endpoint
  (webapp/form_drafts/) every twenty seconds while it changes.

Why a token, when the submit arrives without a valid login: nothing else
says whose draft it is, and the token is the proof. It is signed with the
app's secret key, so nobody can make one for another login; it can only be
read from a page drawn for that login (another site cannot read it, as with
a CSRF token); it names one form and expires. A post whose token is missing,
forged, expired or for another form keeps nothing. A draft is only ever read
back for the login it belongs to, and its size is bounded
(models/actions/drafts.py)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, flash, g, jsonify, redirect, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from models.actions.drafts import decoded_fields, discard_draft, keep_draft
from models.tables.draft import FormDraft
from webapp.database import db_session
from webapp.dates import long_datetime
from webapp.fields import unusable_values
from webapp.perform import Outcome, perform

DRAFT_FIELD = "draft_token"
DRAFT_TOKEN_HOURS = 24
AUTOSAVE_ENDPOINT = "form_drafts.save"
# How often the script posts a changed form (the DRAFT_AUTOSAVE_SECONDS setting).
AUTOSAVE_SECONDS = 20
# Never kept: the CSRF token is the session's, the draft token is re-issued.
NOT_KEPT = frozenset({"csrf_token", DRAFT_FIELD})

NOT_KEPT_MESSAGE = (
    "The draft could not be kept: the page was open too long. "
    "Copy what you typed, reload the page and try again."
)
SIGNED_OUT_MESSAGE = (
    "You were signed out, so the form was not sent. What you typed has been kept: "
    "sign in and it will be back on the form."
)


@dataclass(frozen=True)
class Claim:
    """What a valid draft token says: whose draft, of which form."""

    user_id: int
    form_key: str


def init_app(app: Flask) -> None:
    """Registered before the CSRF check, so a form posted after the login
    (and its session cookie) has gone is kept rather than refused."""
    app.before_request(keep_typed_values)
    app.jinja_env.globals["draft_field"] = draft_field


def form_key(endpoint: str | None = None, view_args: dict | None = None) -> str:
    """The form a draft belongs to: its endpoint and URL arguments."""
    endpoint = endpoint or request.endpoint or ""
    args = request.view_args if view_args is None else view_args
    return " ".join([endpoint, *(f"{k}={v}" for k, v in sorted((args or {}).items()))])[:200]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="form-draft")


def draft_token(user_id: int, key: str) -> str:
    return _serializer().dumps({"u": user_id, "f": key})


def read_token(token: str) -> Claim | None:
    """The token's claim if it is this app's, unexpired and well formed."""
    if not token or len(token) > 1000:
        return None
    try:
        data = _serializer().loads(token, max_age=DRAFT_TOKEN_HOURS * 3600)
    except BadSignature:  # also an expired one (SignatureExpired)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if not isinstance(data.get("f"), str):
        return None
    return Claim(user_id=data["u"], form_key=data["f"])


def draft_field() -> Markup:
    """The hidden token (and the autosave status line) for a long form."""
    if not current_user.is_authenticated or current_user.read_only:
        return Markup("")
    token = draft_token(current_user.user_id, form_key())
    every = int(current_app.config.get("DRAFT_AUTOSAVE_SECONDS", AUTOSAVE_SECONDS))
    # Markup.format escapes each value it puts in.
    return Markup(
        '<input type="hidden" name="{}" value="{}" data-draft-url="{}" data-draft-every="{}">'
        '<p class="govuk-body-s oversight-draft-status" data-draft-status aria-live="polite"></p>'
    ).format(DRAFT_FIELD, token, url_for(AUTOSAVE_ENDPOINT), every)


def typed_fields() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.form.items(multi=True) if k not in NOT_KEPT]


def claim_of_request() -> Claim | None:
    """The posted draft token's claim, if it is good for this post: the
    autosave endpoint takes the form from the token, any other post must be
    to the form the token names."""
    claim = read_token(request.form.get(DRAFT_FIELD, ""))
    if claim is None:
        return None
    if request.endpoint != AUTOSAVE_ENDPOINT and claim.form_key != form_key():
        return None
    return claim


def keep_typed_values():
    """Before any view: keep a long form's posted values as a draft. A post
    that arrives signed out is kept for the token's login, and the person is
    sent to sign in and then back to the form."""
    if request.method != "POST" or DRAFT_FIELD not in request.form:
        return None
    if unusable_values(request.form.items(multi=True)):
        return None  # refused with a 400 naming the field (webapp.security)
    claim = claim_of_request()
    if claim is None:
        return None
    if current_user.is_authenticated:
        if request.endpoint != AUTOSAVE_ENDPOINT and _may_keep(claim):
            g.draft_kept = perform(
                keep_draft, user_id=claim.user_id, form_key=claim.form_key, fields=typed_fields()
            )
        return None
    kept = perform(
        keep_draft,
        user_id=claim.user_id,
        form_key=claim.form_key,
        fields=typed_fields(),
        while_signed_out=True,
    )
    if request.endpoint == AUTOSAVE_ENDPOINT:
        return jsonify({"error": "Signed out", "kept": not kept.failed}), 401
    flash(kept.error if kept.failed else SIGNED_OUT_MESSAGE)
    return redirect(url_for("auth.login", next=_form_address()))


def kept_on_submit() -> Outcome | None:
    """How keeping this post's draft went (None: it carried no good token)."""
    return g.get("draft_kept")


def _may_keep(claim: Claim) -> bool:
    return claim.user_id == current_user.user_id and not current_user.read_only


def _form_address() -> str:
    """Where the form is drawn again: the address it was posted to."""
    return request.full_path.rstrip("?")


def keep_autosaved() -> tuple[dict, int]:
    """The autosave endpoint's work: (JSON body, status)."""
    claim = read_token(request.form.get(DRAFT_FIELD, ""))
    if claim is None or not _may_keep(claim):
        return {"error": "This form's draft token is missing, expired or not yours."}, 400
    kept = perform(
        keep_draft, user_id=claim.user_id, form_key=claim.form_key, fields=typed_fields()
    )
    if kept.failed:
        return {"error": kept.error}, 413
    return {"saved": f"Draft saved {long_datetime(kept.result)}"}, 200


def restore(form) -> FormDraft | None:
    """Fill `form` with this login's draft of the form on this page, if there
    is one, and say so in a notification banner."""
    if not current_user.is_authenticated:
        return None
    draft = db_session().scalar(
        select(FormDraft).where(
            FormDraft.user_id == current_user.user_id, FormDraft.form_key == form_key()
        )
    )
    if draft is None:
        return None
    form.process(formdata=MultiDict(decoded_fields(draft)))
    when = long_datetime(draft.saved_at)
    if draft.while_signed_out:
        flash(
            "You were signed out before this form was sent. What you typed is back below, "
            f"as you left it ({when}): check it and send it again."
        )
    else:
        flash(f"What you typed on this form is back below, as you left it ({when}).")
    return draft


def discard() -> None:
    """The form on this page was completed: its draft goes."""
    if current_user.is_authenticated:
        perform(discard_draft, user_id=current_user.user_id, form_key=form_key())
