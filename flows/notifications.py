"""Email about human tasks: a daily digest per person of their new and
due-soon human tasks, and a mail to the assignee of each escalation as soon
as it exists (every few minutes, and on the lifecycle flows' "escalated"
event). What was sent is recorded, so a run sends nothing twice."""

from __future__ import annotations

from datetime import date

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from flows.lifecycle import flow_run_namer, resolve_scope, today_in_london
from tasks.artifacts import artifact_key
from tasks.notifications import SendResult, compose_digests, compose_escalations, send_mail


def _report(kind: str, org_id: int, org_name: str, composed: int, sent: SendResult) -> None:
    create_markdown_artifact(
        markdown=(
            f"# {kind}: {org_name}\n\n"
            f"| Composed | Sent | Refused | Unsent |\n| ---: | ---: | ---: | ---: |\n"
            f"| {composed} | {sent.sent} | {sent.failed} | {sent.remaining} |\n"
        ),
        key=artifact_key(kind, org_id),
        description=f"{sent.sent} sent, {sent.remaining} unsent",
    )


@flow(
    name="Email everyone a daily digest of their new and due-soon tasks",
    flow_run_name=flow_run_namer("digest"),
    log_prints=True,
)
def send_daily_digests(
    as_of: date | None = None, organisation_id: int | None = None
) -> list[SendResult]:
    as_of = as_of or today_in_london()
    _scope, organisations = resolve_scope(organisation_id)
    results = []
    for org_id, org_name in organisations.items():
        composed = compose_digests(org_id, as_of)
        sent = send_mail(org_id)
        _report("Daily digests", org_id, org_name, composed.mails, sent)
        results.append(sent)
    return results


@flow(
    name="Email each escalation to the person it is escalated to",
    flow_run_name=flow_run_namer("escalation-mail"),
    log_prints=True,
)
def send_escalation_mail(organisation_id: int | None = None) -> list[SendResult]:
    _scope, organisations = resolve_scope(organisation_id)
    results = []
    for org_id, org_name in organisations.items():
        composed = compose_escalations(org_id)
        sent = send_mail(org_id)
        _report("Escalation mail", org_id, org_name, composed.mails, sent)
        results.append(sent)
    return results
