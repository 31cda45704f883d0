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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.actions.mail_writes import MailDraft, write_mail
from models.db import get_sessionmaker
from models.engine.among import MOST_VALUES, among
from models.engine.reconcile import lock_organisation
from models.tables.human_task import OPEN_STATUSES, HumanTask
from models.tables.mail import Notification
from models.tables.org import (
    AppRole,
    Organisation,
    ServiceArea,
    StaffMember,
    Team,
    UserAccount,
    UserRole,
)
from policy import load_profile
from policy.documents import adopted_citation
from policy.keys import staff_fact_id
from policy.kinds import overdue_cause

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
        # The columns a digest shows, not whole tasks: an organisation's open
        # tasks are tens of thousands of rows.
        tasks = session.execute(
            select(HumanTask.id, HumanTask.assignee_id, HumanTask.due_on, HumanTask.title)
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
        drafts = (
            MailDraft(
                _columns(
                    organisation_id,
                    people[person_id],
                    kind=DIGEST,
                    dedupe_key=f"{DIGEST}:{staff_fact_id(person_id)}:{as_of.isoformat()}",
                    subject=f"Your supervision tasks for {long_date(as_of)}",
                    body=_digest_body(people[person_id], items, as_of),
                ),
                [(t.id, reason) for t, reasons in items for reason in reasons],
            )
            for person_id, items in sorted(owed.items())
            if person_id in people and people[person_id].email
        )
        return ComposeResult(organisation_id, *write_mail(session, drafts))


def compose_escalation_mail(
    organisation_id: int, session_factory: sessionmaker | None = None
) -> ComposeResult:
    """One mail to each person holding open escalations they have not been
    told about (the assignee, or, for one offered to a group, everyone it is
    offered to, never whoever owes the overdue work): several escalations at
    once arrive as one message, each with what is wrong, who owes it and a
    link to the task itself."""
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
        originals = _originals(session, organisation_id, escalations)
        pending = _untold_escalations(session, organisation_id, escalations, originals)
        people = _people(session, set(pending) | _owner_ids(originals.values()))
        cite = _citer(session.get(Organisation, organisation_id))
        drafts = []
        for recipient_id, tasks in sorted(pending.items()):
            person = people.get(recipient_id)
            if person is None or not person.email:
                continue
            items = [(t, originals.get(t.id)) for t in tasks]
            # The first task's key names the mail: it is new to this person, so
            # no earlier mail to them can have used it.
            key = f"{ESCALATION}:{tasks[0].key}:{staff_fact_id(recipient_id)}"
            columns = _columns(
                organisation_id,
                person,
                kind=ESCALATION,
                dedupe_key=key[:200],
                subject=_escalation_subject(items)[:300],
                body=_escalation_body(person, items, people, cite),
            )
            drafts.append(MailDraft(columns, [(t.id, ESCALATION) for t in tasks]))
        return ComposeResult(organisation_id, *write_mail(session, drafts))


def _columns(organisation_id: int, person: StaffMember, **columns) -> dict:
    """A mail's columns, to the person's address, with a Message-ID of its own."""
    return {
        "organisation_id": organisation_id,
        "recipient_id": person.id,
        "to_address": person.email,
        "message_id": _message_id(),
        **columns,
    }


def _untold_escalations(
    session: Session, organisation_id: int, escalations: list[HumanTask], originals
) -> dict[int, list[HumanTask]]:
    """Recipient -> the escalations they have not been told about, never
    whoever owes the overdue work."""
    told = _told(session, [t.id for t in escalations])
    recipients = _escalation_recipients(session, organisation_id, escalations)
    pending: dict[int, list[HumanTask]] = defaultdict(list)
    for t in escalations:
        owner = _owner(originals.get(t.id))
        for rid in recipients[t.id]:
            if rid != owner and (t.id, rid, ESCALATION) not in told:
                pending[rid].append(t)
    return pending


def _originals(
    session: Session, organisation_id: int, escalations: list[HumanTask]
) -> dict[int, HumanTask]:
    """Escalation id -> the overdue task it escalates, in the same organisation."""
    by_key = {(t.payload or {}).get("escalates"): t.id for t in escalations}
    by_key.pop(None, None)
    if not by_key:
        return {}
    in_org = HumanTask.organisation_id == organisation_id
    found = session.scalars(select(HumanTask).where(in_org, HumanTask.key.in_(list(by_key))))
    return {by_key[o.key]: o for o in found}


def _owner(original: HumanTask | None) -> int | None:
    """Who owes the overdue work: the named person, even while a colleague covers."""
    if original is None:
        return None
    return original.original_assignee_id or original.assignee_id


def _owner_ids(originals) -> set[int]:
    """Who owes the overdue work, and whom it is about (named in its cause)."""
    owners = {_owner(t) for t in originals}
    subjects = {t.subject_staff_id for t in originals if t is not None}
    return {o for o in owners | subjects if o is not None}


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
    """(task, recipient, reason) already told, for an organisation's open tasks:
    a thousand ids a statement (SQLite takes a bounded number of parameters)."""
    return {
        (task_id, recipient_id, reason)
        for start in range(0, len(task_ids), MOST_VALUES)
        for task_id, recipient_id, reason in session.execute(
            select(
                Notification.human_task_id, Notification.recipient_id, Notification.reason
            ).where(among(Notification.human_task_id, task_ids[start : start + MOST_VALUES]))
        )
    }


def _people(session: Session, ids) -> dict[int, StaffMember]:
    ids = sorted(ids)
    if not ids:
        return {}
    return {s.id: s for s in session.scalars(select(StaffMember).where(StaffMember.id.in_(ids)))}


def _line(t: HumanTask) -> str:
    return f"- {t.title}: due {long_date(t.due_on)}"


def _task_link(t: HumanTask) -> str:
    return f"{base_url()}/tasks/{t.id}"


def _digest_body(person: StaffMember, items, as_of: date) -> str:
    """The person's tasks grouped by when they are due, overdue first; each
    marked new if this is the first they hear of it, with its link."""
    lines = [
        f"Dear {person.name},",
        "",
        f"Your supervision tasks in Oversight on {long_date(as_of)}.",
    ]
    by_day: dict[date, list] = defaultdict(list)
    for t, reasons in items:
        by_day[t.due_on].append((t, reasons))
    overdue = [item for day in sorted(by_day) if day < as_of for item in by_day[day]]
    if overdue:
        lines += ["", "Overdue:"]
        lines += [_digest_line(t, reasons, was_due=True) for t, reasons in overdue]
    for day in sorted(d for d in by_day if d >= as_of):
        heading = "Due today" if day == as_of else f"Due {long_date(day)}"
        lines += ["", f"{heading}:"]
        lines += [_digest_line(t, reasons) for t, reasons in by_day[day]]
    lines += ["", f"Open your inbox: {base_url()}/inbox", "", "Oversight"]
    return "\n".join(lines) + "\n"


def _digest_line(t: HumanTask, reasons, *, was_due: bool = False) -> str:
    new = " (new)" if NEW in reasons else ""
    due = f" (was due {long_date(t.due_on)})" if was_due else ""
    return f"- {t.title}{new}{due}\n  {_task_link(t)}"


def _escalation_subject(items) -> str:
    if len(items) == 1:
        t, original = items[0]
        return f"Escalated to you: {original.title if original else t.title}"
    return f"{len(items)} overdue pieces of work escalated to you"


def _citer(org: Organisation) -> Callable[[str | None], str]:
    """Citations as the organisation's pages word them (who adopted the policy)."""
    title = load_profile(org.profile).title
    return lambda source: adopted_citation(source, organisation_name=org.name, title=title)


def _name(person: StaffMember | None) -> str | None:
    return person.name if person is not None else None


def _escalation_body(
    person: StaffMember, items, people: dict[int, StaffMember], cite: Callable[[str | None], str]
) -> str:
    lines = [f"Dear {person.name},", ""]
    lines.append(
        "This is overdue and has been escalated to you:"
        if len(items) == 1
        else f"These {len(items)} are overdue and have been escalated to you:"
    )
    for n, (t, original) in enumerate(items, start=1):
        lines += ["", f"{n}. {original.title if original else t.title}"]
        if original is not None:
            owner = people.get(_owner(original))
            lines.append(f"   Was due {long_date(original.due_on)}.")
            if owner is not None:
                lines.append(f"   Owed by {owner.name}{_owner_role(original, owner)}.")
                lines.append(
                    "   "
                    + overdue_cause(
                        original.kind,
                        owner=owner.name,
                        supervisee=_name(people.get(original.subject_staff_id)),
                        due=long_date(original.due_on),
                        case=original.subject if original.kind == "case_supervision" else None,
                    )
                )
        lines.append(f"   Respond by {long_date(t.due_on)}: {_task_link(t)}")
    rule_texts = {(t.rule_text, t.source) for t, _o in items if t.rule_text}
    for rule_text, source in sorted(rule_texts):
        lines += ["", f"Why: {rule_text} ({cite(source)})"]
    lines += ["", "Oversight"]
    return "\n".join(lines) + "\n"


def _owner_role(original: HumanTask, owner: StaffMember) -> str:
    """Which party owes it: the supervisee countersigns; a group's member signs
    for themselves; everything else escalated is the supervisor's to do."""
    if original.kind == "agreement_countersign":
        return ", the supervisee"
    if original.kind == "group_agreement_sign":
        return ""
    return ", the supervisor"
