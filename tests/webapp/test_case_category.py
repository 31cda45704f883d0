"""A case's category, where the council's document sets discussion by it
(Nottingham §1.6): the worker's supervisor records it on the case page, the
next case supervision falls due on its cadence, a frequency the new category
does not allow is refused, and a council whose document has no categories is
not offered the form."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import CaseAllocation, Organisation
from models.actions.case_category import set_case_category
from models.actions.errors import ActionError
from tests.webapp.conftest import login, text_of

ALLOCATE = {
    "case_ref": "LCS-204511",
    "case_type": "child_in_care",
    "allocated_on": ["16", "2", "2026"],
}


def _nottingham(db, world):
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).profile = "nottingham"


def _allocate(client, world, **changes):
    login(client, world.manager)
    response = client.post("/cases/allocate", data={**ALLOCATE, "worker": str(world.worker_id)})
    assert response.status_code == 302, text_of(response)[:1000]


def test_a_settled_child_in_care_is_next_discussed_two_months_from_allocation(client, world, db):
    """Allocated 16 February: monthly, due 16 March; settled in placement, 16 April."""
    _nottingham(db, world)
    _allocate(client, world)
    page = text_of(client.get("/cases/LCS-204511"))
    assert "What the case needs Not recorded" in page and "16 March 2026" in page
    form = text_of(client.get("/cases/LCS-204511/category"))
    assert "A child in care settled in placement" in form
    done = client.post("/cases/LCS-204511/category", data={"category": "settled_in_placement"})
    assert done.location == "/cases/LCS-204511"
    page = text_of(client.get("/cases/LCS-204511"))
    assert "What the case needs A child in care settled in placement" in page
    assert "16 April 2026" in page
    with db() as session:
        assert session.scalars(select(CaseAllocation.category)).one() == "settled_in_placement"


def test_no_choice_and_an_unknown_choice_are_refused_on_the_form(client, world, db):
    _nottingham(db, world)
    _allocate(client, world)
    empty = client.post("/cases/LCS-204511/category", data={})
    assert "Select what this case needs, or none of these" in text_of(empty)
    unknown = client.post("/cases/LCS-204511/category", data={"category": "settled"})
    assert unknown.status_code == 200 and "Not a valid choice" in text_of(unknown)


def test_a_frequency_longer_than_the_new_category_allows_is_refused(client, world, db):
    _nottingham(db, world)
    _allocate(client, world)
    client.post("/cases/LCS-204511/category", data={"category": "settled_in_placement"})
    client.post("/cases/LCS-204511/frequency", data={"weeks": "8", "reason": "Settled"})
    refused = client.post("/cases/LCS-204511/category", data={"category": "safeguarding_concerns"})
    assert "recorded to be supervised every 8 weeks" in text_of(refused)
    with db() as session:
        assert session.scalars(select(CaseAllocation.category)).one() == "settled_in_placement"


def test_a_council_whose_document_sets_no_categories_is_not_offered_them(client, world, db):
    _allocate(client, world)  # Lancashire
    assert "What the case needs" not in text_of(client.get("/cases/LCS-204511"))
    response = client.get("/cases/LCS-204511/category")
    assert response.location == "/cases/LCS-204511"
    with pytest.raises(ActionError, match="not a case category your council"):
        set_case_category(
            case_ref="LCS-204511",
            category="settled_in_placement",
            on=date(2026, 3, 2),
            by_staff_id=world.manager_id,
            session_factory=db,
        )
