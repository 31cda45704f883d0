"""Mail as Prefect tasks: compose each person's digest and each new
escalation's mail (models/actions/mail.py), then send what is unsent
(models/actions/mail_delivery.py), retried within seconds when the SMTP
server was away. Unsent mail waits in the table for the next run (escalation
mail runs every 5 minutes), so a run never sleeps for minutes holding one of
the runner's few slots (OVERSIGHT_RUNNER_LIMIT) while lifecycle runs queue."""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.logging import get_run_logger

from models.actions.mail import ComposeResult, compose_daily_digests, compose_escalation_mail
from models.actions.mail_delivery import MailUnavailable, SendResult, send_pending_mail

SEND_RETRIES = 2
SEND_RETRY_DELAYS = [5, 20]


def _mail_failure_is_transient(task, task_run, state) -> bool:
    try:
        error = state.result(raise_on_failure=False)
    except Exception as unreadable:
        error = unreadable
    return isinstance(error, MailUnavailable)


@task(name="Compose each person's daily digest of new and due-soon tasks")
def compose_digests(organisation_id: int, as_of: date) -> ComposeResult:
    return compose_daily_digests(organisation_id, as_of)


@task(name="Compose a mail for each new escalation")
def compose_escalations(organisation_id: int) -> ComposeResult:
    return compose_escalation_mail(organisation_id)


@task(
    name="Send the organisation's unsent mail",
    retries=SEND_RETRIES,
    retry_delay_seconds=SEND_RETRY_DELAYS,
    retry_condition_fn=_mail_failure_is_transient,
)
def send_mail(organisation_id: int) -> SendResult:
    result = send_pending_mail(organisation_id)
    get_run_logger().info(
        "Organisation %d: sent %d mail(s), %d refused, %d unsent",
        organisation_id,
        result.sent,
        result.failed,
        result.remaining,
    )
    return result
