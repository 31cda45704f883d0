"""Whether a page may link to another area's page: the link is shown only to
someone that page's own access rule lets in, so a page never offers a link
that answers 404. The rule is found through the URL map by endpoint name
(the `@rule` on the view), so no blueprint imports another's access rules."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user

from webapp.access import rule_for


def may_open(endpoint: str, **args: Any) -> bool:
    """Whether the signed-in person may open (GET) the page at `endpoint` with
    these arguments, by that view's own access rule."""
    view = current_app.view_functions.get(endpoint)
    access_rule = rule_for(view) if view is not None else None
    if access_rule is None or not current_user.is_authenticated:
        return False
    return bool(access_rule.loaded_for(current_user, args))
