"""Escalation mail people act on: several escalations to one person arrive as
one message; each says what is overdue, who owes it (the responsible
supervisor) and links to the escalation task itself; never to whoever owes it."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from models import AppRole, HumanTask, MailMessage, StaffRole
from models.actions.mail import compose_escalation_mail
from models.engine.reconcile import reconcile
from tests.factories.people import (
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)
from tests.factories.supervision import make_agreement, make_relationship
from tests.worlds.new_starters import new_relationships

LATE = date(2026, 12, 20)  # both agreements were due on 14 December


def _escalation_mails(db) -> list[MailMessage]:
    with db() as session:
        return list(
            session.scalars(
                select(MailMessage).where(MailMessage.kind == "escalation").order_by(MailMessage.id)
            )
        )


def test_two_escalations_to_one_person_arrive_as_one_message_linking_each_task(db):
    world = new_relationships(db)
    org_id = world["organisation_id"]
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=LATE, session_factory=db)

    first = compose_escalation_mail(org_id, session_factory=db)
    again = compose_escalation_mail(org_id, session_factory=db)

    assert (first.mails, first.notifications, again.mails) == (1, 2, 0)
    [mail] = _escalation_mails(db)
    assert mail.subject == "2 overdue pieces of work escalated to you"
    assert "These 2 are overdue and have been escalated to you:" in mail.body
    with db() as session:
        escalation_ids = session.scalars(
            select(HumanTask.id).where(HumanTask.kind == "escalation").order_by(HumanTask.id)
        ).all()
    links = re.findall(r"http://127\.0\.0\.1:5000/tasks/(\d+)", mail.body)
    assert sorted(int(i) for i in links) == list(escalation_ids)
    for name in world["supervisee_names"]:
        assert f"Draft and sign the supervision agreement with {name}" in mail.body
    assert mail.body.count("Owed by Grace Adeyemi, the supervisor.") == 2
    assert "Was due Monday 14 December 2026." in mail.body
    assert "Grace Adeyemi has not drawn up and signed the supervision agreement" in mail.body
    for name in world["supervisee_names"]:
        assert f"signed the supervision agreement with {name}, which was due" in mail.body
    assert "agreement with the supervisee" not in mail.body
    # The demo-style council follows Lancashire's document, and the mail says so.
    assert "§1.1; §2.1 (adopted by Testshire County Council))" in mail.body
    assert "2026-12-14" not in mail.body


def test_a_head_of_services_own_overdue_work_is_mailed_to_the_principal_social_worker(db):
    started = date(2026, 1, 5)
    with db() as session, session.begin():
        org = make_organisation(session)
        head = make_staff(session, org, name="Priya Shah", role=StaffRole.SENIOR_MANAGER)
        make_user(session, head, AppRole.HEAD_OF_SERVICE, AppRole.SUPERVISOR)
        psw = make_staff(session, org, name="Helen Brooks", role=StaffRole.MANAGER)
        make_user(session, psw, AppRole.PRINCIPAL_SOCIAL_WORKER)
        team = make_team(session, org, area=make_service_area(session, org, head=head))
        manager = make_staff(
            session, org, role=StaffRole.TEAM_MANAGER, team=team, line_manager=head
        )
        make_agreement(
            session,
            make_relationship(session, head, manager, started_on=started),
            signed_on=started,
        )
        org_id, head_id, psw_id = org.id, head.id, psw.id
    reconcile(
        organisation_id=org_id,
        lifecycles={"personal_supervision"},
        as_of=date(2026, 6, 1),
        session_factory=db,
    )

    result = compose_escalation_mail(org_id, session_factory=db)

    recipients = {m.recipient_id for m in _escalation_mails(db)}
    assert result.mails == 1 and recipients == {psw_id}
    assert head_id not in recipients
    [mail] = _escalation_mails(db)
    assert "Owed by Priya Shah, the supervisor." in mail.body
