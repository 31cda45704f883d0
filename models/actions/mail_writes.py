"""Composed mail written for many recipients at once: which of the drafts'
unique keys are taken already is read in one statement, the mails are
inserted in one statement and the notifications saying which human tasks
each told its recipient about, and why, in another, two hundred mails at a
time. A digest day of a
council (1,245 mails telling of 49,307 tasks) was a query, a flush and a
thousand single-row inserts per person. The caller holds the organisation's
lock, so no other composer takes a key between the read and the insert."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models.engine.among import among
from models.tables.mail import MailMessage, Notification

CHUNK = 200  # mails composed and written at once


@dataclass(frozen=True)
class MailDraft:
    """A mail to compose: its MailMessage columns (dedupe_key among them), and
    the (human task id, reason) pairs it tells its recipient about."""

    columns: dict
    told: Sequence[tuple[int, str]] = field(default_factory=tuple)


def write_mail(session: Session, drafts: Iterable[MailDraft]) -> tuple[int, int]:
    """Insert the drafts whose key no mail has yet, with their notifications,
    a chunk of drafts at a time (the drafts may be a generator: the bodies
    and notification rows held at once are a chunk's); (mails, notifications)
    written."""
    mails = notes = 0
    drafts = iter(drafts)
    while chunk := list(islice(drafts, CHUNK)):
        written = _write_chunk(session, chunk)
        mails, notes = mails + written[0], notes + written[1]
    return mails, notes


def _write_chunk(session: Session, drafts: list[MailDraft]) -> tuple[int, int]:
    taken = _taken_keys(session, [d.columns["dedupe_key"] for d in drafts])
    drafts = [d for d in drafts if d.columns["dedupe_key"] not in taken]
    if not drafts:
        return 0, 0
    ids = session.scalars(
        insert(MailMessage).returning(MailMessage.id, sort_by_parameter_order=True),
        [d.columns for d in drafts],
    ).all()
    notes = [
        {
            "mail_id": mail_id,
            "human_task_id": task_id,
            "recipient_id": d.columns["recipient_id"],
            "reason": reason,
        }
        for mail_id, d in zip(ids, drafts, strict=True)
        for task_id, reason in d.told
    ]
    if notes:
        session.execute(insert(Notification), notes)
    return len(drafts), len(notes)


def _taken_keys(session: Session, keys: list[str]) -> set[str]:
    return set(
        session.scalars(select(MailMessage.dedupe_key).where(among(MailMessage.dedupe_key, keys)))
    )
