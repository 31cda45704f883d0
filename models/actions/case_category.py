"""A case's category: what it needs beyond its type, where the council's
document sets its discussion by it (Nottingham 001_223e21d801bb36c8.txt §1.6:
"CIC & CIN cases where there are safeguarding concerns, cases where plans need
to be driven and complex care proceedings" monthly; "CIC cases where the child
is settled in placement and CIN cases where the plan is to step down" at least
bi-monthly). The engine reads it (policy.rules.case_supervision.case_rule_for);
the next case supervision falls due on the cadence it sets."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import sessionmaker

from models import events
from models.actions.cases import CaseResult, checked_case_id, finish_case, locked_org_of, open_case
from models.actions.errors import ActionError, NotPermitted
from models.actions.permissions import may_oversee
from models.db import get_sessionmaker
from models.tables.org import Organisation
from policy import load_profile
from policy import schedule as planning
from policy.facts import CASE_CATEGORIES
from policy.profile import Profile

# In the words of the documents that set them (Nottingham §1.6), for forms and pages.
CATEGORY_LABELS = {
    "safeguarding_concerns": "A child in care or in need where there are safeguarding concerns",
    "plan_to_drive": "A case where plans need to be driven",
    "care_proceedings": "Complex care proceedings",
    "settled_in_placement": "A child in care settled in placement",
    "stepping_down": "A child in need where the plan is to step down the case",
}


def categories_of(profile: Profile) -> tuple[str, ...]:
    """The categories the council's document sets a cadence for, in
    policy.facts.CASE_CATEGORIES' order (none for most councils)."""
    return tuple(c for c in CASE_CATEGORIES if profile.rule(f"case_supervision.category.{c}"))


def category_problem(
    profile: Profile, case_type: str, category: str | None, frequency_weeks: int | None
) -> str | None:
    """Why the case cannot have this category (None: none of them), in the
    document's words, or None if it can: a category the council's policy sets,
    and no recorded frequency longer than the category allows (change the
    frequency first). The page and the cases import both ask here."""
    allowed = categories_of(profile)
    if category is not None and not allowed:
        return f"{category!r} is not a case category your council's policy sets (it sets none)."
    if category is not None and category not in allowed:
        return (
            f"{category!r} is not a case category your council's policy sets; "
            f"choose one of {', '.join(allowed)}."
        )
    if frequency_weeks is not None:
        problem = planning.case_frequency_problem(profile, case_type, frequency_weeks, category)
        if problem:
            return (
                f"This case is recorded to be supervised every {frequency_weeks} weeks. {problem}"
            )
    return None


def set_case_category(
    *,
    case_ref: str,
    category: str | None,
    on: date,
    by_staff_id: int,
    actor_user_id: int | None = None,
    session_factory: sessionmaker | None = None,
) -> CaseResult:
    """Record the case's category (None: none of them). A recorded frequency
    longer than the new category allows is refused with the document's words:
    change the frequency first."""
    ref = checked_case_id(case_ref)
    with (session_factory or get_sessionmaker())() as session, session.begin():
        organisation_id = locked_org_of(session, by_staff_id)
        current = open_case(session, organisation_id, ref)
        if not may_oversee(session, by_staff_id, current.worker_id, on):
            raise NotPermitted("Only the allocated worker's supervisor can set this.")
        profile = load_profile(session.get(Organisation, organisation_id).profile)
        problem = category_problem(
            profile, current.case_type.value, category, current.frequency_weeks
        )
        if problem:
            raise ActionError(problem)
        current.category = category
        return finish_case(
            session,
            current,
            None,
            completed=(),
            staff_id=by_staff_id,
            actor_user_id=actor_user_id,
            event=events.CASE_CATEGORY_RECORDED,
            detail=f"Category of {ref}: {category or 'none'}",
            on=on,
        )
