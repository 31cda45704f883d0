"""Each escalation says in plain words what is wrong ("Sam Worker's
supervision was due on 16 February 2026 and has not been recorded as held"),
names who owes the overdue work, links to it, and then quotes the policy step
that brought it to the reader: the cause, not the rule, answers "why"."""

from __future__ import annotations

import html
from datetime import date

import pytest

from policy import keys, kinds
from policy.kinds.escalations import OVERDUE_CAUSES, overdue_cause
from tests.factories import make_human_task
from tests.webapp.conftest import TODAY, login, text_of

WAS_DUE = date(2026, 2, 16)
RULE_TEXT = "Where supervision is missed, it is escalated to the supervisor's line manager."


def test_every_kind_that_can_be_escalated_has_its_own_cause():
    escalated = {k.name for k in kinds.KINDS.values() if k.families}
    assert escalated <= set(OVERDUE_CAUSES), escalated - set(OVERDUE_CAUSES)


@pytest.mark.parametrize("kind", sorted(OVERDUE_CAUSES))
def test_each_cause_fills_every_field_and_names_the_owner_and_the_date(kind):
    cause = overdue_cause(kind, owner="Ola Owner", supervisee="Sam Worker",
                          supervisor="Grace Manager", due="16 February 2026",
                          group="Team A", case="C-1234")  # fmt: skip
    assert "{" not in cause and "Ola Owner" in cause and "16 February 2026" in cause
    assert cause[0].isupper()


def test_a_cause_missing_its_names_still_reads_as_a_sentence():
    cause = overdue_cause("supervision", owner="Grace Manager")
    assert cause.startswith("The supervisee's supervision was due on its due date")
    assert "Grace Manager, the supervisor, owes it" in cause


def _escalation(db, world, *, kind, escalated_key, owner_id, subject, relationship=True):
    """The overdue task (held by `owner_id`) and its escalation, in the head's inbox."""
    with db() as session, session.begin():
        make_human_task(session, world.org_id, kind=kind, key=escalated_key,
                        title="The overdue work", assignee=owner_id, due_on=WAS_DUE,
                        relationship=world.rel_id if relationship else None,
                        subject=subject)  # fmt: skip
        return make_human_task(session, world.org_id, kind="escalation",
                               lifecycle=kinds.KINDS[kind].lifecycles[0],
                               key=keys.escalation(escalated_key), title="Overdue work",
                               assignee=world.head_id, due_on=TODAY,
                               relationship=world.rel_id if relationship else None,
                               subject=subject, payload={"escalates": escalated_key},
                               rule_text=RULE_TEXT,
                               source="000_b775b8e7712f1ef5.txt §1.10").id  # fmt: skip


CASES = [
    ("supervision", "session:rel-{rel}:2026-02-16", "manager", "rel-{rel}",
     "Sam Worker's supervision was due on 16 February 2026 and has not been recorded as "
     "held. Grace Manager, the supervisor, owes it.", "/people/{worker}"),
    ("agreement", "agreement:rel-{rel}", "manager", "rel-{rel}",
     "Grace Manager has not drawn up and signed the supervision agreement with Sam Worker, "
     "which was due by 16 February 2026.", "/relationships/{rel}/agreement"),
    ("agreement_countersign", "agreement-countersign:rel-{rel}", "worker", "rel-{rel}",
     "Sam Worker has not countersigned the supervision agreement that Grace Manager signed, "
     "which was due by 16 February 2026.", "/relationships/{rel}/agreement"),
    ("case_supervision", "case:C-1234:2026-02-16", "manager", "C-1234",
     "Case C-1234 was due for case supervision on 16 February 2026 and none has been "
     "recorded. Grace Manager, the supervisor of its allocated worker, owes it.",
     "/cases/C-1234"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "key", "owner", "subject", "cause", "link"), CASES)
def test_the_escalation_page_says_what_is_wrong_who_owes_it_and_links_to_the_work(
    client, world, db, kind, key, owner, subject, cause, link
):
    ids = {"rel": world.rel_id, "worker": world.worker_id}
    owner_id = {"manager": world.manager_id, "worker": world.worker_id}[owner]
    task_id = _escalation(db, world, kind=kind, escalated_key=key.format(**ids),
                          owner_id=owner_id, subject=subject.format(**ids),
                          relationship=kind != "case_supervision")  # fmt: skip
    login(client, world.head)
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 200
    page = html.unescape(text_of(response))
    assert cause in page
    owner_name = {"manager": "Grace Manager", "worker": "Sam Worker"}[owner]
    assert f"Waiting for {owner_name}" in page
    assert f'data-testid="escalation-work" href="{link.format(**ids)}' in response.get_data(
        as_text=True
    )
    # The policy step comes after, as why it reached the head, not as the cause.
    assert page.index(cause) < page.index("Why it has come to you") < page.index(RULE_TEXT)
    assert "Why you have this task" not in page
    assert "Policy: Lancashire County Council: Supervision Practice Standards, §1.10" in page


def test_an_escalation_offered_to_a_role_says_what_is_wrong_before_anyone_claims_it(
    client, world, db
):
    key = f"session:rel-{world.rel_id}:2026-02-16"
    with db() as session, session.begin():
        make_human_task(
            session,
            world.org_id,
            kind="supervision",
            key=key,
            title="Overdue",
            assignee=world.manager_id,
            due_on=WAS_DUE,
            relationship=world.rel_id,
        )
        task_id = make_human_task(session, world.org_id, kind="escalation",
                                  lifecycle="personal_supervision", key=keys.escalation(key),
                                  title="Overdue supervision", due_on=TODAY,
                                  relationship=world.rel_id, payload={"escalates": key},
                                  candidate_role="head_of_service").id  # fmt: skip
    login(client, world.head)
    page = html.unescape(text_of(client.get(f"/tasks/{task_id}")))
    assert "Claim this task" in page
    assert "Sam Worker's supervision was due on 16 February 2026" in page
