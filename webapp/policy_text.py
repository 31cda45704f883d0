"""Policy text on the pages, always from the signed-in person's own council:
a rule of their organisation's profile (its words and its citation), and
citations written with the document's title (policy/documents.py). Where the
organisation follows another council's document (the demo council follows
Lancashire's), a citation of it says so: "Lancashire County Council:
Supervision Practice Standards, §1.10 (adopted by Demo County Council)"."""

from __future__ import annotations

from flask_login import current_user

from policy import documents
from policy.documents import for_organisation
from policy.profile import Rule

__all__ = ["adopted_policy", "citation", "for_our_organisation", "profile_rule"]


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


def adopted_policy() -> str:
    """The signed-in organisation's policy, by its document's title, saying
    who adopted it when the title names another council (or none): "Lancashire
    County Council: Supervision Practice Standards, adopted by Demo County
    Council". Empty when nobody is signed in."""
    if not current_user.is_authenticated:
        return ""
    title = current_user.council_profile.title
    adopter = _adopter()
    return f"{title}, adopted by {adopter}" if adopter else title


def citation(source: str | None) -> str:
    """A citation as people read it, with the document's title; a citation of
    the organisation's own policy taken from another council's document says
    who adopted it."""
    if not current_user.is_authenticated:
        return documents.citation(source)
    return documents.adopted_citation(
        source,
        organisation_name=current_user.organisation_name,
        title=current_user.council_profile.title,
    )


def _adopter() -> str | None:
    """The organisation's name when its policy's document is another's."""
    return documents.adopter(current_user.organisation_name, current_user.council_profile.title)
