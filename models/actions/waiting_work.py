"""Whether the frequent service flows have anything to do, each one read, so
a flow that runs every minute or every five (the outbox drainer, the
escalation mail) leaves no task runs and no artifacts when nothing waits, and
the lifecycle runs are not buried under empty ones in the Prefect UI.

The checks are generous: when in doubt they say there is work, and the flow
then does what it always did (it sends nothing twice)."""

from __future__ import annotations

from sqlalchemy import exists, func, or_, select, union
from sqlalchemy.orm import sessionmaker

from models.actions.mail import ESCALATION
from models.db import get_sessionmaker
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.mail import MailMessage, Notification
from models.tables.outbox import OutboxEvent


def outbox_waiting(session_factory: sessionmaker | None = None) -> int:
    """How many outbox rows wait to be delivered to Prefect."""
    with (session_factory or get_sessionmaker())() as session:
        return session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.delivered_at.is_(None))
        )


def organisations_with_mail_waiting(
    organisation_id: int | None = None, session_factory: sessionmaker | None = None
) -> list[int]:
    """The organisations (of all, or the one asked for) with unsent mail (of
    any kind), or with an open escalation its holder has not been mailed
    about (one offered to a group: nobody has been mailed about it yet)."""
    told = exists().where(
        Notification.human_task_id == HumanTask.id,
        Notification.reason == ESCALATION,
        or_(HumanTask.assignee_id.is_(None), Notification.recipient_id == HumanTask.assignee_id),
    )
    untold = select(HumanTask.organisation_id).where(
        HumanTask.kind == ESCALATION, HumanTask.status.in_(OPEN_STATUSES), ~told
    )
    unsent = select(MailMessage.organisation_id).where(MailMessage.sent_at.is_(None))
    if organisation_id is not None:
        untold = untold.where(HumanTask.organisation_id == organisation_id)
        unsent = unsent.where(MailMessage.organisation_id == organisation_id)
    with (session_factory or get_sessionmaker())() as session:
        return sorted(set(session.scalars(union(untold, unsent))))
