"""Nothing typed into a long form is lost: a form sent after the login ended
is kept for that login (and only on the strength of the form's signed draft
token), the person signs in and lands back on the form with what they typed
and a banner saying so; a failed submit and the autosave keep a draft too;
completing the form discards it; nobody else can write or read it. The
agreement form has "Save as a draft"."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from models import FormDraft, SignInSession, SupervisionAgreement
from models.base import utcnow
from tests.factories.people import PASSWORD
from tests.webapp.agreement_steps import ANSWERS, owe_agreements
from tests.webapp.conftest import build_app, csrf_token_from, login, text_of
from tests.webapp.test_reviews import ANSWERS as REVIEW_ANSWERS
from tests.webapp.test_reviews import reviewing  # noqa: F401 (a fixture)
from webapp.drafts import draft_token

TYPED = "Room 12, typed just before the login ended"


@pytest.fixture
def owed(world, db):
    return owe_agreements(world, db)


def _form_url(world) -> str:
    return f"/relationships/{world.rel_id}/agreement/sign"


def _draft_token(html: str) -> str:
    match = re.search(r'name="draft_token" value="([^"]+)"', html)
    assert match, "no draft token on the form"
    return match.group(1)


def _end_every_sign_in_session(db) -> None:
    """The login ends on the server (as signing out elsewhere, or an expiry, does)."""
    with db() as session, session.begin():
        session.execute(update(SignInSession).values(ended_at=utcnow()))


def _drafts(db) -> list[FormDraft]:
    with db() as session:
        return list(session.scalars(select(FormDraft).order_by(FormDraft.id)))


def _agreements(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(SupervisionAgreement))


def test_an_agreement_sent_after_the_login_ended_is_kept_and_back_after_signing_in(
    client, owed, db
):
    world = owed
    login(client, world.manager)
    token = _draft_token(client.get(_form_url(world)).get_data(as_text=True))
    _end_every_sign_in_session(db)

    sent = client.post(_form_url(world), data={**ANSWERS, "venue": TYPED, "draft_token": token})

    assert sent.status_code == 302
    assert sent.location == f"/login?next=/relationships/{world.rel_id}/agreement/sign"
    assert "What you typed has been kept" in text_of(client.get(sent.location))
    [draft] = _drafts(db)
    assert draft.while_signed_out
    assert _agreements(db) == 0  # nothing was signed while signed out
    back = login(client, world.manager, next=_form_url(world))
    assert back.location == _form_url(world)
    page = client.get(back.location)
    assert TYPED in page.get_data(as_text=True)
    assert "You were signed out before this form was sent" in text_of(page)


def test_a_form_sent_with_no_session_cookie_at_all_is_kept_despite_the_csrf_check(owed, db):
    """The session cookie (and the CSRF token it holds) has gone: the draft
    token alone says whose the values are."""
    world = owed
    app = build_app(db, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"username": world.manager, "password": PASSWORD, "csrf_token": csrf_token_from(page)},
    )
    form = client.get(_form_url(world)).get_data(as_text=True)
    token = _draft_token(form)
    fresh = app.test_client()  # a browser that lost its cookie

    sent = fresh.post(_form_url(world), data={**ANSWERS, "venue": TYPED, "draft_token": token})

    assert sent.status_code == 302 and sent.location.startswith("/login?next=")
    assert [d.while_signed_out for d in _drafts(db)] == [True]


@pytest.mark.parametrize("forgery", ["another key", "another form", "garbled"])
def test_a_form_sent_signed_out_without_a_good_token_keeps_nothing(client, owed, db, forgery):
    world = owed
    login(client, world.manager)
    token = _draft_token(client.get(_form_url(world)).get_data(as_text=True))
    if forgery == "another key":
        other = build_app(db, SECRET_KEY="someone else's key")
        with other.test_request_context():
            token = draft_token(1, f"agreements.sign relationship_id={world.rel_id}")
    elif forgery == "garbled":
        token = token[:-3] + "xyz"
    # A good token for the sign form does not reach the amend form's draft.
    url = f"/relationships/{world.rel_id}/agreement/amend" if forgery == "another form" else None
    _end_every_sign_in_session(db)

    sent = client.post(url or _form_url(world), data={**ANSWERS, "draft_token": token})

    assert sent.location.startswith("/login")  # sent to sign in, as before
    assert _drafts(db) == []


def test_a_failed_submit_keeps_a_draft_and_completing_the_form_discards_it(client, owed, db):
    world = owed
    login(client, world.manager)
    token = _draft_token(client.get(_form_url(world)).get_data(as_text=True))
    without_declaration = {k: v for k, v in ANSWERS.items() if k != "declaration"}

    refused = client.post(_form_url(world), data={**without_declaration, "draft_token": token})
    assert refused.status_code == 200
    [draft] = _drafts(db)
    assert not draft.while_signed_out and ANSWERS["venue"] in draft.fields

    done = client.post(_form_url(world), data={**ANSWERS, "draft_token": token})
    assert done.location == "/inbox"
    assert _drafts(db) == []


def test_save_as_a_draft_keeps_the_agreement_for_the_supervisor_alone(client, owed, db):
    world = owed
    login(client, world.manager)
    token = _draft_token(client.get(_form_url(world)).get_data(as_text=True))
    half_done = {"frequency_weeks": "4", "venue": TYPED, "save": "Save as a draft"}

    saved = client.post(_form_url(world), data={**half_done, "draft_token": token})

    assert saved.location == "/inbox"
    assert "You saved the agreement with Sam Worker as a draft" in text_of(client.get("/inbox"))
    assert _agreements(db) == 0  # the supervisee sees nothing until it is signed
    again = client.get(_form_url(world))
    assert TYPED in again.get_data(as_text=True)
    assert "What you typed on this form is back" in text_of(again)


def test_autosave_keeps_the_draft_for_the_signed_in_login_only(client, owed, db):
    world = owed
    login(client, world.manager)
    token = _draft_token(client.get(_form_url(world)).get_data(as_text=True))

    saved = client.post("/drafts", data={"venue": TYPED, "draft_token": token})
    assert saved.status_code == 200 and saved.get_json()["saved"].startswith("Draft saved")
    assert [d.user_id for d in _drafts(db)] != []

    client.post("/logout")
    login(client, world.worker)  # someone else, with the manager's token
    refused = client.post("/drafts", data={"venue": "overwritten", "draft_token": token})
    assert refused.status_code == 400
    [draft] = _drafts(db)
    assert "overwritten" not in draft.fields and TYPED in draft.fields


def test_autosave_after_the_login_ended_keeps_the_draft_and_says_so(client, owed, db):
    world = owed
    login(client, world.manager)
    token = _draft_token(client.get(_form_url(world)).get_data(as_text=True))
    _end_every_sign_in_session(db)

    answer = client.post("/drafts", data={"venue": TYPED, "draft_token": token})

    assert answer.status_code == 401 and answer.get_json()["kept"] is True
    assert [d.while_signed_out for d in _drafts(db)] == [True]


def test_a_draft_larger_than_any_real_answer_is_not_kept(client, owed, db):
    world = owed
    login(client, world.manager)
    token = _draft_token(client.get(_form_url(world)).get_data(as_text=True))

    answer = client.post("/drafts", data={"venue": "x" * 250_000, "draft_token": token})

    assert answer.status_code == 413
    assert "too long to keep" in answer.get_json()["error"]
    assert _drafts(db) == []


def test_the_session_record_typed_while_signed_out_is_back_after_signing_in(client, world, db):
    url = f"/relationships/{world.rel_id}/sessions/new"
    login(client, world.manager)
    token = _draft_token(client.get(url).get_data(as_text=True))
    _end_every_sign_in_session(db)

    sent = client.post(
        url,
        data={
            "held_on": ["23", "2", "2026"],
            "s_personal": TYPED,
            "sign": "Sign and share the record",
            "draft_token": token,
        },
    )

    assert sent.location == f"/login?next={url}"
    login(client, world.manager)
    page = client.get(url).get_data(as_text=True)
    assert TYPED in page
    assert 'value="23"' in page  # the date's boxes too


def test_the_review_questionnaire_typed_while_signed_out_is_back_and_goes_once_sent(
    client, db, request
):
    """The supervisee's annual review: kept while signed out, restored after
    signing in, and its draft gone once the questionnaire is signed."""
    world = request.getfixturevalue("reviewing")  # tests/webapp/test_reviews.py's
    url = f"/relationships/{world.rel_id}/review-questionnaire"
    login(client, world.worker)
    token = _draft_token(client.get(url).get_data(as_text=True))
    _end_every_sign_in_session(db)
    typed = {**REVIEW_ANSWERS, "improve_1": TYPED, "draft_token": token}

    assert client.post(url, data=typed).location == f"/login?next={url}"
    login(client, world.worker)
    page = client.get(url).get_data(as_text=True)
    assert TYPED in page

    sent = client.post(url, data={**typed, "draft_token": _draft_token(page)})
    assert sent.location.startswith("/review-questionnaires/")
    assert _drafts(db) == []
