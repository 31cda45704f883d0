"""Who sees whom (webapp.scope), on the access matrix's council: the
supervisor's, line manager's and head of service's scopes, cover, and an
auditor's time-limited access."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import CoverArrangement, UserAccount
from tests.webapp.access_matrix_council import build_council
from tests.webapp.conftest import TODAY, login
from tests.webapp.test_access_matrix import ORGANISATION_WIDE, TASK_KINDS


@pytest.fixture
def council(db):
    return build_council(db, task_kinds={"agreement", *TASK_KINDS.values()})


def _is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response.location.startswith("/login")


def test_the_matrix_world_puts_each_role_where_the_scope_says(app, council):
    """The matrix is only as good as its world: check who sees whom."""
    from webapp import scope
    from webapp.users import app_user_for

    expected = {
        "supervisee": {council.will},
        "supervisor": {council.mia, council.will},
        "line_manager": {council.lee, council.mia, council.will},
        "head_of_service": {
            council.ids["staff:head_of_service"],
            council.lee,
            council.mia,
            council.will,
        },
    }
    with app.test_request_context():
        from webapp.database import db_session

        for role, ids in expected.items():
            user = app_user_for(db_session().get(UserAccount, _user_id(council, role)))
            assert set(db_session().scalars(scope.visible_staff_ids(user))) == ids, role
        for role in ORGANISATION_WIDE:
            user = app_user_for(db_session().get(UserAccount, _user_id(council, role)))
            seen = set(db_session().scalars(scope.visible_staff_ids(user)))
            assert council.wren in seen and council.wes not in seen, role


def _user_id(council, role) -> int:

    from webapp.database import db_session

    return db_session().scalar(
        select(UserAccount.id).where(UserAccount.username == council.usernames[role])
    )


def test_an_auditor_whose_access_has_expired_sees_nothing(app, council, db):

    with db() as session, session.begin():
        account = session.scalars(select(UserAccount).where(UserAccount.username == "aud")).one()
        account.access_expires_on = TODAY - timedelta(days=1)
    client = app.test_client()
    login(client, "aud")
    response = client.get(f"/people/{council.will}")
    assert _is_sign_in_redirect(response)


def test_an_auditor_without_an_end_date_cannot_sign_in(app, council, db):

    with db() as session, session.begin():
        account = session.scalars(select(UserAccount).where(UserAccount.username == "aud")).one()
        account.access_expires_on = None
    client = app.test_client()
    login(client, "aud")
    assert _is_sign_in_redirect(client.get("/inbox"))


def test_while_covering_a_supervisor_sees_the_absent_supervisors_supervisees(app, council, db):

    client = app.test_client()
    login(client, "mo")
    assert client.get(f"/people/{council.will}").status_code == 404
    with db() as session, session.begin():
        session.add(
            CoverArrangement(
                absent_supervisor_id=council.mia,
                cover_supervisor_id=_staff_id(session, "mo"),
                starts_on=TODAY - timedelta(days=1),
                ends_on=TODAY + timedelta(days=10),
            )
        )
    assert client.get(f"/people/{council.will}").status_code == 200
    assert client.get(f"/relationships/{council.rel_w}/agreement").status_code == 200


def _staff_id(session, username) -> int:

    return session.scalar(select(UserAccount.staff_id).where(UserAccount.username == username))


def test_guessing_ids_reveals_nothing_the_not_found_page_is_the_same(app, council):
    client = app.test_client()
    login(client, "will")
    seen = client.get(f"/people/{council.wren}")
    missing = client.get("/people/987654")
    huge = client.get("/people/99999999999999999999")
    assert seen.status_code == missing.status_code == huge.status_code == 404

    def page(response) -> str:
        # The sign-out form's CSRF token carries a timestamp: ignore it, not the page.
        text = re.sub(r'name="csrf_token" value="[^"]*"', "csrf", response.get_data(as_text=True))
        return re.sub(r"\s+", " ", text)

    assert page(seen) == page(missing)
