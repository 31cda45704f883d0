"""Composed mail is written a chunk of recipients at a time: every mail with
the notifications of the tasks it told about, under its own id; a mail whose
key is taken is not written again, and the rest are."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import MailMessage, Notification
from models.actions import mail_writes
from models.actions.mail_writes import MailDraft, write_mail
from tests.factories import make_human_task, make_organisation, make_staff


def _world(db, people: int) -> tuple[int, list[tuple[int, int]]]:
    """An organisation; each person with one open task of their own."""
    with db() as session, session.begin():
        org = make_organisation(session)
        pairs = []
        for _ in range(people):
            person = make_staff(session, org)
            task = make_human_task(session, org, assignee=person, due_on=date(2026, 12, 7))
            pairs.append((person.id, task.id))
        return org.id, pairs


def _draft(org_id: int, person_id: int, task_id: int) -> MailDraft:
    columns = {
        "organisation_id": org_id,
        "recipient_id": person_id,
        "to_address": f"p{person_id}@example.test",
        "kind": "digest",
        "dedupe_key": f"digest:staff-{person_id}:2026-12-07",
        "subject": "Your supervision tasks",
        "body": f"task {task_id}",
        "message_id": f"<{person_id}@oversight.invalid>",
    }
    return MailDraft(columns, [(task_id, "new"), (task_id, "due_soon")])


def _written(db) -> list[tuple[int, str, int, str]]:
    with db() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(
                    MailMessage.recipient_id,
                    MailMessage.body,
                    Notification.human_task_id,
                    Notification.reason,
                )
                .join(Notification, Notification.mail_id == MailMessage.id)
                .where(Notification.recipient_id == MailMessage.recipient_id)
                .order_by(MailMessage.recipient_id, Notification.reason)
            )
        ]


def test_more_mail_than_a_chunk_is_all_written_each_with_its_own_notifications(db, monkeypatch):
    monkeypatch.setattr(mail_writes, "CHUNK", 2)
    org_id, pairs = _world(db, 5)
    with db() as session, session.begin():
        counts = write_mail(session, (_draft(org_id, p, t) for p, t in pairs))
    assert counts == (5, 10)
    assert _written(db) == [
        row
        for p, t in pairs
        for row in ((p, f"task {t}", t, "due_soon"), (p, f"task {t}", t, "new"))
    ]


def test_a_mail_whose_key_is_taken_is_not_written_again_and_the_others_are(db, monkeypatch):
    monkeypatch.setattr(mail_writes, "CHUNK", 2)
    org_id, pairs = _world(db, 3)
    with db() as session, session.begin():
        write_mail(session, [_draft(org_id, *pairs[1])])
    with db() as session, session.begin():
        drafts = [_draft(org_id, *pair) for pair in pairs]
        drafts[1].columns["message_id"] = "<another@oversight.invalid>"
        counts = write_mail(session, drafts)
        again = write_mail(session, [_draft(org_id, *pair) for pair in pairs])
    assert counts == (2, 4) and again == (0, 0)
    assert len(_written(db)) == 6
