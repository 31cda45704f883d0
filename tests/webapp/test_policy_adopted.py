"""A council that follows another council's document says so wherever it
shows the policy: its citations read "Lancashire County Council: Supervision
Practice Standards, §1.4 (adopted by Testshire County Council)" and every
page's footer names the policy it follows; a council citing its own document
adds nothing."""

from __future__ import annotations

from models import Organisation
from tests.webapp.conftest import TODAY, login, make_task, text_of

TITLE = "Lancashire County Council: Supervision Practice Standards"


def _task_page(client, world, db) -> str:
    task_id = make_task(db, organisation_id=world.org_id, assignee_id=world.manager_id,
                        due_on=TODAY, relationship_id=world.rel_id)  # fmt: skip
    login(client, world.manager)
    return text_of(client.get(f"/tasks/{task_id}"))


def test_a_council_on_another_councils_document_cites_it_as_adopted(client, world, db):
    page = _task_page(client, world, db)
    assert f"Policy: {TITLE}, §1.4 (adopted by Testshire County Council)" in page
    assert f"Supervision policy: {TITLE}, adopted by Testshire County Council." in page


def test_the_council_whose_document_it_is_cites_it_plainly(client, world, db):
    with db() as session, session.begin():
        session.get(Organisation, world.org_id).name = "Lancashire County Council"
    page = _task_page(client, world, db)
    assert f"Policy: {TITLE}, §1.4" in page and "adopted by" not in page
    assert f"Supervision policy: {TITLE}." in page


def test_the_signed_out_footer_names_no_policy(client):
    page = text_of(client.get("/login"))
    assert "Supervision policy" not in page
