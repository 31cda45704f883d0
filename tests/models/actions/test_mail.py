"""Composing mail about human tasks: one digest per person per day of what is
new or due soon grouped by due date, escalations to one person in one mail,
and nothing twice."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import HumanTask, MailMessage, Notification, StaffMember
from models.actions import mail as mail_actions
from models.actions.mail import compose_daily_digests, compose_escalation_mail
from models.engine.reconcile import reconcile
from policy.engine import LIFECYCLES
from tests.worlds import START
from tests.worlds import new_starter as _new_starter

DUE = date(2026, 2, 16)  # Lancashire: the agreement within 6 weeks of 5 January


def mails(db) -> list[MailMessage]:
    with db() as session:
        return list(session.scalars(select(MailMessage).order_by(MailMessage.id)))


def reasons(db) -> list[tuple[str, str]]:
    with db() as session:
        return sorted(
            session.execute(
                select(HumanTask.kind, Notification.reason).join(
                    HumanTask, HumanTask.id == Notification.human_task_id
                )
            ).all()
        )


def test_a_new_human_task_is_in_its_assignees_digest_with_its_due_date(db):
    org_id, _rel_id, manager_id, _, _ = _new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)

    result = compose_daily_digests(org_id, START, session_factory=db)

    assert (result.mails, result.notifications) == (1, 1)
    [mail] = mails(db)
    with db() as session:
        manager = session.get(StaffMember, manager_id)
    assert (mail.recipient_id, mail.to_address, mail.kind) == (manager_id, manager.email, "digest")
    assert mail.subject == "Your supervision tasks for Monday 5 January 2026"
    assert "Due Monday 16 February 2026:\n- Draft and sign the supervision agreement with " \
        "Sam Okafor (new)\n  http://127.0.0.1:5000/tasks/" in mail.body  # fmt: skip
    assert mail.sent_at is None
    assert reasons(db) == [("agreement", "new")]


def test_composing_again_the_same_day_or_the_next_adds_nothing_until_it_is_due_soon(db):
    org_id, *_ = _new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    compose_daily_digests(org_id, START, session_factory=db)

    same_day = compose_daily_digests(org_id, START, session_factory=db)
    next_day = compose_daily_digests(org_id, date(2026, 1, 6), session_factory=db)
    due_soon = compose_daily_digests(org_id, date(2026, 2, 9), session_factory=db)
    after = compose_daily_digests(org_id, date(2026, 2, 10), session_factory=db)

    assert [r.mails for r in (same_day, next_day, due_soon, after)] == [0, 0, 1, 0]
    reminder = mails(db)[-1]
    assert "Due Monday 16 February 2026:\n- Draft and sign the supervision agreement with Sam " \
        "Okafor\n" in reminder.body  # fmt: skip
    assert "(new)" not in reminder.body
    assert reasons(db) == [("agreement", "due_soon"), ("agreement", "new")]


def test_a_task_new_and_due_soon_at_once_is_listed_once_and_not_reminded_again(db):
    org_id, *_ = _new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=DUE, session_factory=db)

    compose_daily_digests(org_id, DUE, session_factory=db)
    later = compose_daily_digests(org_id, date(2026, 2, 17), session_factory=db)

    [mail] = mails(db)
    assert mail.body.count("Draft and sign the supervision agreement") == 1
    assert later.mails == 0


def test_an_escalation_is_mailed_once_to_the_person_it_is_escalated_to(db):
    org_id, _rel_id, _, _, head_id = _new_starter(db)
    late = date(2026, 3, 2)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=late, session_factory=db)

    first = compose_escalation_mail(org_id, session_factory=db)
    again = compose_escalation_mail(org_id, session_factory=db)
    digests = compose_daily_digests(org_id, late, session_factory=db)

    assert (first.mails, again.mails) == (1, 0)
    escalation = next(m for m in mails(db) if m.kind == "escalation")
    assert escalation.recipient_id == head_id
    assert escalation.subject == (
        "Escalated to you: Draft and sign the supervision agreement with Sam Okafor"
    )
    assert "This is overdue and has been escalated to you:" in escalation.body
    assert "due Monday 16 February 2026" in escalation.body
    # The escalation is not repeated in the head of service's digest.
    assert all(m.recipient_id != head_id for m in mails(db) if m.kind == "digest")
    assert digests.mails == 1


def test_an_escalation_offered_to_heads_of_service_is_mailed_to_the_head_of_that_area(db):
    from models import AppRole, ServiceArea, StaffRole
    from tests.factories import (
        make_organisation,
        make_relationship,
        make_staff,
        make_team,
        make_user,
    )

    with db() as session, session.begin():
        org = make_organisation(session)
        team = make_team(session, org)
        head = make_staff(session, org, name="Priya Shah", role=StaffRole.SENIOR_MANAGER)
        other_head = make_staff(session, org, name="Omar Hale", role=StaffRole.SENIOR_MANAGER)
        for person in (head, other_head):
            make_user(session, person, AppRole.HEAD_OF_SERVICE)
        session.get(ServiceArea, team.service_area_id).head_of_service_id = head.id
        # The supervisor has no line manager: the escalation goes to a role, not a person.
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
        worker = make_staff(session, org, name="Sam Okafor", team=team, started_on=START)
        make_relationship(session, manager, worker, started_on=START)
        org_id, head_id = org.id, head.id
    reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=date(2026, 3, 2), session_factory=db
    )
    with db() as session:
        escalation = session.scalars(select(HumanTask).where(HumanTask.kind == "escalation")).one()
        assert escalation.assignee_id is None and escalation.candidate_role == "head_of_service"

    first = compose_escalation_mail(org_id, session_factory=db)
    again = compose_escalation_mail(org_id, session_factory=db)
    assert (first.mails, again.mails) == (1, 0)
    assert [m.recipient_id for m in mails(db) if m.kind == "escalation"] == [head_id]


def test_what_was_told_is_found_across_chunks_of_open_tasks(db, monkeypatch):
    monkeypatch.setattr(mail_actions, "MOST_VALUES", 1)  # a chunk a task
    org_id, *_ = _new_starter(db)
    reconcile(organisation_id=org_id, lifecycles=LIFECYCLES, as_of=START, session_factory=db)
    first = compose_daily_digests(org_id, START, session_factory=db)
    again = compose_daily_digests(org_id, date(2026, 1, 6), session_factory=db)
    assert first.notifications >= 2 and (again.mails, again.notifications) == (0, 0)
