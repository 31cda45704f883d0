"""Policy text on the pages, always from the signed-in person's own council:
a rule of their organisation's profile (its words and its citation), and
citations written with the document's title (policy/documents.py)."""

from __future__ import annotations

from flask_login import current_user

from policy.documents import citation, for_organisation
from policy.profile import Rule

__all__ = ["citation", "for_our_organisation", "profile_rule"]


def profile_rule(rule_id: str) -> Rule | None:
    """The rule of the signed-in person's council, or None where its policy has
    no such rule (a page then says nothing another council's policy says)."""
    if not current_user.is_authenticated:
        return None
    return current_user.council_profile.rule(rule_id)


def for_our_organisation(text: str | None) -> str:
    """A council form's words naming the signed-in person's organisation."""
    if not current_user.is_authenticated:
        return text or ""
    return for_organisation(text, current_user.organisation_name)
