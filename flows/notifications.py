"""Email about human tasks: a daily digest per person of their new and
due-soon human tasks, and a mail to the assignee of each escalation as soon
as it exists (every few minutes, and on the lifecycle flows' "escalated"
event). What was sent is recorded, so a run sends nothing twice."""

from __future__ import annotations

from datetime import date

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from flows.lifecycle import resolve_scope, row_flow, today_in_london
from flows.table import FlowRow, row
from models.actions.mail import ComposeResult
from models.actions.mail_delivery import SendResult
from models.actions.waiting_work import organisations_with_mail_waiting
from tasks.artifacts import artifact_key
from tasks.notifications import compose_digests, compose_escalations, send_mail

DIGEST = row("digest-daily")
ESCALATION = row("escalation-mail")


def _send_and_report(
    row: FlowRow, organisation_id: int | None, compose, only: list[int] | None = None
) -> list[SendResult]:
    """Compose with `compose(org_id)`, send, and report, for each organisation
    (of those in `only`, when given). An organisation with nothing composed
    and nothing unsent gets no send task and no artifact."""
    _scope, organisations = resolve_scope(organisation_id)
    results = []
    for org_id, org_name in organisations.items():
        if only is not None and org_id not in only:
            continue
        composed: ComposeResult = compose(org_id)
        if not composed.mails and org_id not in organisations_with_mail_waiting(org_id):
            continue  # nothing new and nothing unsent: nothing to send or report
        sent = send_mail(org_id)
        create_markdown_artifact(
            markdown=(
                f"# {row.title}: {org_name}\n\n"
                f"| Composed | Sent | Refused | Unsent |\n| ---: | ---: | ---: | ---: |\n"
                f"| {composed.mails} | {sent.sent} | {sent.failed} | {sent.remaining} |\n"
            ),
            key=artifact_key(row.run_name, org_id, lifecycle=False),
            description=f"{sent.sent} sent, {sent.remaining} unsent",
        )
        results.append(sent)
    return results


@flow(**row_flow(DIGEST))
def send_daily_digests(
    as_of: date | None = None, organisation_id: int | None = None
) -> list[SendResult]:
    as_of = as_of or today_in_london()
    return _send_and_report(DIGEST, organisation_id, lambda org_id: compose_digests(org_id, as_of))


@flow(**row_flow(ESCALATION))
def send_escalation_mail(organisation_id: int | None = None) -> list[SendResult]:
    """Every five minutes: most runs find nothing waiting in one read and end
    with no task runs and no artifacts."""
    waiting = organisations_with_mail_waiting(organisation_id)
    if not waiting:
        return []
    return _send_and_report(ESCALATION, organisation_id, compose_escalations, only=waiting)
