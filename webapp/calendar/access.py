"""Who may read a calendar feed: whoever holds a live token (the feed's
URL is the secret). The view checks the token; without one it asks for a
sign-in. A planned session's invitation is webapp.access.session_party."""

from __future__ import annotations

from webapp.access import Rule

calendar_token = Rule(
    "calendar_token",
    "Anyone holding a live calendar token (the feed's URL is the secret); without a token, "
    "sign in.",
    needs_login=False,
)
