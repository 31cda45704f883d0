"""Keeping and discarding what someone typed into a long form (the FormDraft
table): each call one transaction, one statement.

Keeping is an upsert on (login, form), so a form autosaved every twenty
seconds keeps one row, and two tabs saving at once leave the later one. The
size is bounded here, where the row is written, so no caller can store an
unbounded body on the server."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker

from models.actions.errors import ActionError
from models.base import utcnow
from models.db import get_sessionmaker
from models.tables.draft import FormDraft
from models.tables.org import StaffMember, UserAccount

# Larger than any long form's answers (a session record's free text runs to a
# few thousand characters); small enough that nobody can fill the table.
MAX_DRAFT_CHARACTERS = 200_000
MAX_DRAFT_FIELDS = 500
MAX_FORM_KEY = 200
# A draft nobody came back to for this long is deleted by the nightly retention
# run: it holds personal data typed about someone, and was never submitted.
DRAFT_KEPT_DAYS = 30


class DraftTooLarge(ActionError):
    """The posted form is larger than any real answer: it is not kept."""


def keep_draft(
    *,
    user_id: int,
    form_key: str,
    fields: Sequence[tuple[str, str]],
    while_signed_out: bool = False,
    session_factory: sessionmaker | None = None,
) -> datetime:
    """Keep these values as this login's draft of this form (replacing any
    earlier one); when it was kept."""
    encoded = json.dumps([[name, value] for name, value in fields])
    if len(fields) > MAX_DRAFT_FIELDS or len(encoded) > MAX_DRAFT_CHARACTERS:
        raise DraftTooLarge(
            "The form is too long to keep as a draft: "
            f"at most {MAX_DRAFT_CHARACTERS:,} characters can be kept."
        )
    if not form_key or len(form_key) > MAX_FORM_KEY:
        raise ActionError("The form could not be named to keep its draft.")
    now = utcnow()
    factory = session_factory or get_sessionmaker()
    with factory() as session, session.begin():
        if session.get(UserAccount, user_id) is None:
            raise ActionError("The login this form was opened with no longer exists.")
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        values = {"fields": encoded, "saved_at": now, "while_signed_out": while_signed_out}
        session.execute(
            insert(FormDraft)
            .values(user_id=user_id, form_key=form_key, **values)
            .on_conflict_do_update(index_elements=["user_id", "form_key"], set_=values)
        )
    return now


def discard_draft(
    *, user_id: int, form_key: str, session_factory: sessionmaker | None = None
) -> None:
    """The form was completed: its draft is no longer needed."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        session.execute(
            delete(FormDraft).where(FormDraft.user_id == user_id, FormDraft.form_key == form_key)
        )


def discard_stale_drafts(
    organisation_id: int, as_of: date, session_factory: sessionmaker | None = None
) -> int:
    """Delete the organisation's drafts last saved DRAFT_KEPT_DAYS or more
    before `as_of` (one statement); how many were deleted."""
    cutoff = datetime.combine(as_of - timedelta(days=DRAFT_KEPT_DAYS), time.min)
    logins = (
        select(UserAccount.id)
        .join(StaffMember, StaffMember.id == UserAccount.staff_id)
        .where(StaffMember.organisation_id == organisation_id)
    )
    with (session_factory or get_sessionmaker())() as session, session.begin():
        done = session.execute(
            delete(FormDraft).where(FormDraft.saved_at <= cutoff, FormDraft.user_id.in_(logins))
        )
        return done.rowcount or 0


def decoded_fields(draft: FormDraft) -> list[tuple[str, str]]:
    """The [name, value] pairs as they were posted."""
    return [(str(name), str(value)) for name, value in json.loads(draft.fields)]
