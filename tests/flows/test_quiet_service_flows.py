"""The frequent service flows do not bury the lifecycle runs in the Prefect
UI: with nothing waiting, the outbox drainer and the escalation mail end
after one read, with no task runs and no artifacts; with work waiting they
do it. Their deployments carry "service" and "frequent" tags, the lifecycle
deployments "lifecycle", so a saved filter shows one without the other."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from deployments.serve import DEPLOYMENTS, OUTBOX_DRAINER, build_deployments
from flows import notifications, outbox
from models import HumanTask, MailMessage, OutboxEvent
from models.actions.mail import compose_escalation_mail
from models.actions.waiting_work import organisations_with_mail_waiting, outbox_waiting
from models.engine.outbox import DrainResult
from models.engine.reconcile import reconcile
from tests.flows.test_notifications import LATE
from tests.worlds import START
from tests.worlds import new_starter as _new_starter


class Calls:
    """Stands in for the flows' Prefect tasks, counting what they were asked."""

    def __init__(self, result=None):
        self.calls: list[tuple] = []
        self.result = result

    def __call__(self, *args):
        self.calls.append(args)
        return self.result


@pytest.fixture
def escalated(db):
    """An overdue agreement escalated to the head of service, not yet mailed."""
    org_id, *_ = _new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=LATE, session_factory=db)
    return org_id


def test_the_drainer_with_nothing_waiting_runs_no_task(db, monkeypatch):
    deliver = Calls(DrainResult(delivered=1, failed=0, remaining=0))
    monkeypatch.setattr(outbox, "deliver_outbox_events", deliver)

    assert outbox.drain_outbox_flow.fn() == DrainResult(delivered=0, failed=0, remaining=0)
    assert deliver.calls == []

    with db() as session, session.begin():
        session.add(OutboxEvent(event="oversight.agreement.in-force", resource_id="x.1"))
    assert outbox_waiting() == 1
    assert outbox.drain_outbox_flow.fn().delivered == 1
    assert len(deliver.calls) == 1


def test_escalation_mail_waits_while_an_escalation_is_untold_or_mail_unsent(escalated, db):
    org_id = escalated
    assert organisations_with_mail_waiting() == [org_id]
    compose_escalation_mail(org_id, session_factory=db)
    assert organisations_with_mail_waiting(org_id) == [org_id]  # composed, not sent yet
    with db() as session, session.begin():
        session.execute(update(MailMessage).values(sent_at=MailMessage.created_at))
    assert organisations_with_mail_waiting() == []  # told, and sent
    # The escalation changes hands: its new holder has not been told.
    with db() as session, session.begin():
        escalation = session.query(HumanTask).filter(HumanTask.kind == "escalation").first()
        other = (
            session.query(HumanTask.assignee_id)
            .filter(
                HumanTask.assignee_id != escalation.assignee_id, HumanTask.assignee_id.is_not(None)
            )
            .first()
        )
        escalation.assignee_id = other[0]
    assert organisations_with_mail_waiting() == [org_id]


def test_the_escalation_mail_with_nothing_waiting_runs_no_task_and_no_artifact(db, monkeypatch):
    _new_starter(db)  # an organisation with nothing escalated
    compose, send = Calls(), Calls()
    monkeypatch.setattr(notifications, "compose_escalations", compose)
    monkeypatch.setattr(notifications, "send_mail", send)
    monkeypatch.setattr(notifications, "resolve_scope", Calls())

    assert notifications.send_escalation_mail.fn() == []
    assert compose.calls == send.calls == []


def test_lifecycle_runs_and_service_runs_carry_tags_to_filter_them_apart():
    built = {d.name: set(d.tags) for d in build_deployments()}
    for d in DEPLOYMENTS:
        if d.lifecycles:
            assert {"oversight", "lifecycle", *d.lifecycles} <= built[d.name], d.name
    assert {"service", "frequent"} <= built[OUTBOX_DRAINER.name]
    assert {"service", "frequent"} <= built["escalation-mail"]
    assert {"lifecycle"} <= built["every-lifecycle-weekly"]
    assert "lifecycle" not in built["escalation-mail"]


def test_the_escalation_mail_with_an_untold_escalation_composes_sends_and_reports(
    escalated, monkeypatch
):
    from models.actions.mail import ComposeResult
    from models.actions.mail_delivery import SendResult

    org_id = escalated
    compose = Calls(ComposeResult(org_id, 1, 1))
    send = Calls(SendResult(sent=1, failed=0, remaining=0))
    artifacts = []
    monkeypatch.setattr(notifications, "compose_escalations", compose)
    monkeypatch.setattr(notifications, "send_mail", send)
    monkeypatch.setattr(notifications, "resolve_scope", lambda _org: (None, {org_id: "Testshire"}))
    monkeypatch.setattr(
        notifications, "create_markdown_artifact", lambda **kw: artifacts.append(kw["key"])
    )

    assert len(notifications.send_escalation_mail.fn()) == 1
    assert compose.calls == send.calls == [(org_id,)]
    assert artifacts == [f"escalation-mail-org-{org_id}"]
