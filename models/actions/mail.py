"""What Oversight has emailed, so mail is sent once: one daily digest per
person of their new and due-soon human tasks, and one mail to the assignee of
each escalation.

A mail is composed (a MailMessage row, with the Notification rows that say
which human tasks it told whom about, and why) in one transaction under the
organisation's lock, then sent (models/actions/mail_delivery.py, run by tasks/notifications.py)
and marked sent. A
unique key per mail (one digest per person per day, one mail per escalation)
and per notification (a human task is "new" or "due soon" to a person once)
means composing again composes nothing twice; a mail that could not be sent
keeps its row, its body and its Message-ID and is sent by a later run."""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.db import get_sessionmaker
from models.engine.reconcile import lock_organisation
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.mail import MailMessage, Notification
from models.tables.org import AppRole, ServiceArea, StaffMember, Team, UserAccount, UserRole
from policy import load_profile
from policy.keys import staff_fact_id

DIGEST = "digest"
ESCALATION = "escalation"
NEW = "new"
DUE_SOON = "due_soon"
BASE_URL_ENV = "OVERSIGHT_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@dataclass(frozen=True)
class ComposeResult:
    organisation_id: int
    mails: int
    notifications: int


def base_url() -> str:
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _message_id(mail_domain: str = "oversight.invalid") -> str:
    return f"<{uuid.uuid4().hex}@{mail_domain}>"


def compose_daily_digests(
    organisation_id: int, as_of: date, session_factory: sessionmaker | None = None
) -> ComposeResult:
    """One digest per person for as_of: their open human tasks they have not
    been told about (new) and those now due within the profile's due-soon
    days they have not been reminded of (due soon). Escalations go in mail of
    their own. Nothing for a person already sent a digest that day."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        org = lock_organisation(session, organisation_id)
        soon = as_of + timedelta(days=load_profile(org.profile).due_soon_days)
        tasks = session.scalars(
            select(HumanTask)
            .where(
                HumanTask.organisation_id == organisation_id,
                HumanTask.status.in_(OPEN_STATUSES),
                HumanTask.assignee_id.is_not(None),
                HumanTask.kind != ESCALATION,
            )
            .order_by(HumanTask.due_on, HumanTask.key)
        ).all()
        told = _told(session, [t.id for t in tasks])
        owed: dict[int, list[tuple[HumanTask, list[str]]]] = defaultdict(list)
        for t in tasks:
            reasons = [NEW] if (t.id, t.assignee_id, NEW) not in told else []
            if t.due_on <= soon and (t.id, t.assignee_id, DUE_SOON) not in told:
                reasons.append(DUE_SOON)
            if reasons:
                owed[t.assignee_id].append((t, reasons))
        people = _people(session, owed)
        mails = notes = 0
        for person_id, items in sorted(owed.items()):
            person = people.get(person_id)
            key = f"{DIGEST}:{staff_fact_id(person_id)}:{as_of.isoformat()}"
            if person is None or not person.email or _exists(session, key):
                continue
            mail = MailMessage(
                organisation_id=organisation_id,
                recipient_id=person_id,
                to_address=person.email,
                kind=DIGEST,
                dedupe_key=key,
                subject=f"Your supervision tasks for {long_date(as_of)}",
                body=_digest_body(person, items, as_of),
                message_id=_message_id(),
            )
            session.add(mail)
            session.flush()
            for t, reasons in items:
                for reason in reasons:
                    session.add(
                        Notification(
                            mail_id=mail.id,
                            human_task_id=t.id,
                            recipient_id=person_id,
                            reason=reason,
                        )
                    )
                    notes += 1
            mails += 1
        return ComposeResult(organisation_id, mails, notes)


def compose_escalation_mail(
    organisation_id: int, session_factory: sessionmaker | None = None
) -> ComposeResult:
    """A mail to whoever holds each open escalation and has not been told about
    it: its assignee, or, for one offered to a group, everyone it is offered to."""
    with (session_factory or get_sessionmaker())() as session, session.begin():
        lock_organisation(session, organisation_id)
        escalations = session.scalars(
            select(HumanTask)
            .where(
                HumanTask.organisation_id == organisation_id,
                HumanTask.status.in_(OPEN_STATUSES),
                HumanTask.kind == ESCALATION,
            )
            .order_by(HumanTask.due_on, HumanTask.key)
        ).all()
        told = _told(session, [t.id for t in escalations])
        recipients = _escalation_recipients(session, organisation_id, escalations)
        pending = [
            (t, rid)
            for t in escalations
            for rid in recipients[t.id]
            if (t.id, rid, ESCALATION) not in told
        ]
        people = _people(session, {rid for _t, rid in pending})
        escalated_keys = [t.payload.get("escalates") for t, _rid in pending if t.payload]
        originals = {
            t.key: t
            for t in session.scalars(
                select(HumanTask).where(HumanTask.key.in_([k for k in escalated_keys if k]))
            )
        }
        mails = 0
        for t, recipient_id in pending:
            person = people.get(recipient_id)
            key = f"{ESCALATION}:{t.key}:{staff_fact_id(recipient_id)}"
            if person is None or not person.email or _exists(session, key):
                continue
            original = originals.get((t.payload or {}).get("escalates"))
            mail = MailMessage(
                organisation_id=organisation_id,
                recipient_id=person.id,
                to_address=person.email,
                kind=ESCALATION,
                dedupe_key=key,
                subject=f"Escalated to you: {original.title if original else t.title}"[:300],
                body=_escalation_body(person, t, original),
                message_id=_message_id(),
            )
            session.add(mail)
            session.flush()
            session.add(
                Notification(
                    mail_id=mail.id, human_task_id=t.id, recipient_id=person.id, reason=ESCALATION
                )
            )
            mails += 1
        return ComposeResult(organisation_id, mails, mails)


def _escalation_recipients(
    session: Session, organisation_id: int, escalations: list[HumanTask]
) -> dict[int, list[int]]:
    """Task id -> staff ids to tell. A group escalation goes to the head of the
    subject's service area when it is offered to heads of service, otherwise to
    every active login in the organisation holding the role it is offered to."""
    by_role: dict[str, list[int]] = defaultdict(list)
    for staff_id, role in session.execute(
        select(UserAccount.staff_id, UserRole.role)
        .join(UserRole, UserRole.user_id == UserAccount.id)
        .join(StaffMember, StaffMember.id == UserAccount.staff_id)
        .where(
            StaffMember.organisation_id == organisation_id,
            UserAccount.active.is_(True),
            StaffMember.left_on.is_(None),
        )
        .order_by(UserAccount.staff_id)
    ):
        by_role[role.value].append(staff_id)
    heads = dict(
        session.execute(
            select(StaffMember.id, ServiceArea.head_of_service_id)
            .join(Team, Team.id == StaffMember.team_id)
            .join(ServiceArea, ServiceArea.id == Team.service_area_id)
            .where(StaffMember.organisation_id == organisation_id)
        ).all()
    )
    out: dict[int, list[int]] = {}
    for t in escalations:
        if t.assignee_id is not None:
            out[t.id] = [t.assignee_id]
        elif t.candidate_role is None:
            out[t.id] = []
        elif t.candidate_role == AppRole.HEAD_OF_SERVICE and heads.get(t.subject_staff_id):
            out[t.id] = [heads[t.subject_staff_id]]
        else:
            out[t.id] = by_role.get(t.candidate_role.value, [])
    return out


def _told(session: Session, task_ids: list[int]) -> set[tuple[int, int, str]]:
    if not task_ids:
        return set()
    return {
        (task_id, recipient_id, reason)
        for task_id, recipient_id, reason in session.execute(
            select(
                Notification.human_task_id, Notification.recipient_id, Notification.reason
            ).where(Notification.human_task_id.in_(task_ids))
        )
    }


def _people(session: Session, ids) -> dict[int, StaffMember]:
    ids = sorted(ids)
    if not ids:
        return {}
    return {s.id: s for s in session.scalars(select(StaffMember).where(StaffMember.id.in_(ids)))}


def _exists(session: Session, dedupe_key: str) -> bool:
    return (
        session.scalar(select(MailMessage.id).where(MailMessage.dedupe_key == dedupe_key))
        is not None
    )


def _line(t: HumanTask) -> str:
    return f"- {t.title}: due {long_date(t.due_on)}"


def _digest_body(person: StaffMember, items, as_of: date) -> str:
    new = [t for t, reasons in items if NEW in reasons]
    soon = [t for t, reasons in items if NEW not in reasons and DUE_SOON in reasons]
    lines = [
        f"Dear {person.name},",
        "",
        f"Your supervision tasks in Oversight on {long_date(as_of)}.",
    ]
    if new:
        lines += ["", "New in your inbox:", *[_line(t) for t in new]]
    if soon:
        lines += ["", "Due soon:", *[_line(t) for t in soon]]
    lines += ["", f"Open your inbox: {base_url()}/", "", "Oversight"]
    return "\n".join(lines) + "\n"


def _escalation_body(person: StaffMember, t: HumanTask, original: HumanTask | None) -> str:
    lines = [f"Dear {person.name},", ""]
    if original is not None:
        lines += [
            "This is overdue and has been escalated to you:",
            _line(original),
            "",
        ]
    lines += [
        "Your task:",
        _line(t),
    ]
    if t.rule_text:
        lines += ["", f"Why: {t.rule_text} ({t.source})"]
    lines += ["", f"Open your inbox: {base_url()}/", "", "Oversight"]
    return "\n".join(lines) + "\n"
