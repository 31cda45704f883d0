"""A demo council, the same every time for the same day: about forty staff in
three teams under one head of service, with ASYE social workers, a new
starter, a change of supervisor, a student on placement, an agency worker and
a history of sessions, so a new user sees a live inbox the moment the product
starts. Every lifecycle has something live: children's cases of every type
(by case ID only) with case supervisions, some overdue, one reallocated
recently, a case direction and an important decision not yet on the child's
record; practice observations, some due; records signed by both and one
awaiting countersignature, an agreed action overdue and a session
shorter than the document allows; agreements re-signed at their annual review with
the review questionnaire, one not yet forwarded; registration checks, one due;
a head of service's quarterly sample; a supervisor absent for over three
weeks with no cover; and someone who left over five years ago whose records
are still held (retention shows under the Nottingham profile).

Dates are relative to `today` so the inbox is live whenever it is loaded.
Loading twice changes nothing: the organisation is found by its slug."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.db import get_sessionmaker
from models.demo import staff, work
from models.demo.builder import DEMO_PASSWORD, Builder, username
from models.demo.observation_contents import observation_contents
from models.demo.record_contents import record_contents
from models.demo.session_details import session_details
from models.tables.org import Organisation, ServiceArea
from models.tables.oversight import Absence

DEMO_SLUG = "demo"

__all__ = ["DEMO_PASSWORD", "DEMO_SLUG", "LOGINS", "DemoSummary", "load_demo"]


@dataclass
class DemoSummary:
    organisation_id: int
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def load_demo(*, today: date, session_factory: sessionmaker | None = None) -> DemoSummary:
    with (session_factory or get_sessionmaker())() as session, session.begin():
        org = session.scalars(select(Organisation).where(Organisation.slug == DEMO_SLUG)).first()
        created = org is None
        if created:
            org = _build(session, today)
        return DemoSummary(organisation_id=org.id, created=created, logins=_logins())


# Every demo login, what the launcher says it shows, and the kinds of task its
# inbox holds once every lifecycle has run (tests/models/demo checks they agree).
LOGINS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Grace Adeyemi", "team manager: Sam Okafor's agreement to draft and sign, "
     "sessions and case supervision due, a review to forward, an action overdue",
     frozenset({"agreement", "supervision", "case_supervision", "review_questionnaire_forward",
                "session_action"})),
    ("Sam Okafor", "new starter: the team's group agreement to sign",
     frozenset({"group_agreement_sign"})),
    ("Chloe Ward", "supervisee: her supervision agreement to countersign",
     frozenset({"agreement_countersign"})),
    ("Tom Hughes", "team manager after a change of supervisor: Jordan Ellis's agreement, "
     "overdue", frozenset({"agreement", "supervision", "review_questionnaire"})),
    ("Jo Patel", "team coordinator: her annual supervision review to complete",
     frozenset({"review_questionnaire"})),
    ("Priya Shah", "head of service: escalations of overdue work, this quarter's sample to read",
     frozenset({"escalation", "sampling"})),
    ("Helen Brooks", "principal social worker: sees every team; her own supervisee's review",
     frozenset({"agreement_review", "review_questionnaire"})),
    ("Dev Kapoor", "workforce team: the dashboard of every team; his annual review to complete",
     frozenset({"review_questionnaire"})),
    ("Ruth Ellison", "auditor: reads everything, changes nothing; access ends in 30 days",
     frozenset()),
)  # fmt: skip


def _logins() -> list[tuple[str, str, str]]:
    return [(username(name), DEMO_PASSWORD, shows) for name, shows, _kinds in LOGINS]


def _build(session: Session, today: date) -> Organisation:
    org = Organisation(name="Demo County Council", slug=DEMO_SLUG, profile="lancashire")
    session.add(org)
    session.flush()
    area = ServiceArea(organisation_id=org.id, name="Children and Families Social Care")
    session.add(area)
    session.flush()
    b = Builder(session, org, today)
    hos = staff.leadership(b, area)
    managers = staff.teams(b, area, hos)
    staff.student_and_agency_worker(b, managers)
    work.group_agreement(b, *managers[0])
    staff.leaver(b, *managers[1])
    work.casework(b, managers)
    session_details(b, managers[0][1])
    record_contents(b)
    work.observations(b, hos)
    observation_contents(b)
    work.registration_checks(b)
    work.review_questionnaires(b)
    work.head_of_service_sampling(b, area, hos)
    # Aisha Rahman has been off for a month with no return date and no cover yet
    # (Wokingham standard 13: cover when a supervisor is absent more than 3 weeks).
    session.add(Absence(staff_id=managers[2][1].id, starts_on=b.ago(30), reason="Sickness absence"))
    return org
