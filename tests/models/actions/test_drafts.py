"""Keeping a form's draft: one row per login and form however often it is
kept, bounded in size, refused for a login that does not exist, and gone
once discarded; another login's draft of the same form is its own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import FormDraft, UserAccount
from models.actions.drafts import (
    MAX_DRAFT_CHARACTERS,
    DraftTooLarge,
    decoded_fields,
    discard_draft,
    keep_draft,
)
from models.actions.errors import ActionError
from tests.worlds.small_council import build_world

KEY = "agreements.sign relationship_id=1"


@pytest.fixture
def logins(db) -> tuple[int, int]:
    build_world(db)
    with db() as session:
        first, second = session.scalars(select(UserAccount.id).order_by(UserAccount.id)).all()[:2]
    return first, second


def _drafts(db) -> list[FormDraft]:
    with db() as session:
        return list(session.scalars(select(FormDraft).order_by(FormDraft.user_id)))


def test_keeping_again_replaces_the_draft_and_each_login_keeps_its_own(db, logins):
    mine, theirs = logins
    keep_draft(user_id=mine, form_key=KEY, fields=[("venue", "Room 1")], session_factory=db)
    keep_draft(
        user_id=mine,
        form_key=KEY,
        fields=[("venue", "Room 2"), ("held_on", "2"), ("held_on", "3")],
        while_signed_out=True,
        session_factory=db,
    )
    keep_draft(user_id=theirs, form_key=KEY, fields=[("venue", "Theirs")], session_factory=db)

    first, second = _drafts(db)
    assert decoded_fields(first) == [("venue", "Room 2"), ("held_on", "2"), ("held_on", "3")]
    assert first.while_signed_out and not second.while_signed_out
    assert decoded_fields(second) == [("venue", "Theirs")]

    discard_draft(user_id=mine, form_key=KEY, session_factory=db)
    assert [d.user_id for d in _drafts(db)] == [theirs]


def test_a_draft_larger_than_any_answer_or_for_no_login_is_refused(db, logins):
    mine, _ = logins
    with pytest.raises(DraftTooLarge):
        keep_draft(
            user_id=mine,
            form_key=KEY,
            fields=[("venue", "x" * MAX_DRAFT_CHARACTERS)],
            session_factory=db,
        )
    with db() as session:
        missing = session.scalar(select(func.max(UserAccount.id))) + 1
    with pytest.raises(ActionError, match="no longer exists"):
        keep_draft(user_id=missing, form_key=KEY, fields=[("venue", "x")], session_factory=db)
    assert _drafts(db) == []


def test_the_nightly_retention_run_deletes_drafts_nobody_came_back_to_for_thirty_days(db, logins):
    from datetime import date, datetime, timedelta

    from sqlalchemy import update

    from models.actions.drafts import DRAFT_KEPT_DAYS
    from models.actions.retention_runs import delete_organisation_records

    mine, theirs = logins
    on = date(2026, 12, 7)
    keep_draft(user_id=mine, form_key=KEY, fields=[("venue", "Room 1")], session_factory=db)
    keep_draft(user_id=theirs, form_key=KEY, fields=[("venue", "Room 2")], session_factory=db)
    last_kept = datetime(2026, 12, 7) - timedelta(days=DRAFT_KEPT_DAYS)
    with db() as session, session.begin():
        session.execute(
            update(FormDraft).where(FormDraft.user_id == mine).values(saved_at=last_kept)
        )
        session.execute(
            update(FormDraft)
            .where(FormDraft.user_id == theirs)
            .values(saved_at=last_kept + timedelta(seconds=1))
        )
        organisation_id = session.get(UserAccount, mine).staff.organisation_id

    counts = delete_organisation_records(organisation_id, on, session_factory=db)

    assert counts.deleted == {"form_draft": 1}
    assert [d.user_id for d in _drafts(db)] == [theirs]
