"""A demo council, the same every time for the same day: about forty staff in
three teams under one head of service, with ASYE social workers, a new
starter, a change of supervisor and a history of sessions, so a new user sees
a live inbox the moment the product starts.

Dates are relative to `today` so the inbox is live whenever it is loaded.
Loading twice changes nothing: the organisation is found by its slug."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.db import get_sessionmaker
from models.org import (
    AppRole,
    Employment,
    Organisation,
    ServiceArea,
    StaffMember,
    StaffRole,
    Team,
    UserAccount,
    UserRole,
)
from models.passwords import hash_password
from models.supervision import (
    AgreementSignature,
    AgreementStatus,
    RelationshipReason,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-oversight"

TEAMS = (
    ("Assessment and Intervention", "Grace Adeyemi"),
    ("Child Protection and Court", "Tom Hughes"),
    ("Children in Care", "Aisha Rahman"),
)
# Nine practitioners and a support worker per team; deterministic names.
PRACTITIONERS = (
    (
        "Sam Okafor",
        "Ella Price",
        "Noah Bennett",
        "Mia Clarke",
        "Leo Turner",
        "Ruby Walsh",
        "Ivy Morgan",
        "Oscar Reid",
        "Zara Khan",
        "Ben Foster",
    ),
    (
        "Jordan Ellis",
        "Chloe Ward",
        "Harry Patel",
        "Amelia Scott",
        "Jack Murphy",
        "Lily Evans",
        "Isaac Doyle",
        "Freya Hall",
        "Adam Brooks",
        "Nina Lowe",
    ),
    (
        "Maya Singh",
        "Ethan Cole",
        "Sophie Grant",
        "Daniel Shaw",
        "Poppy Kerr",
        "Lucas Byrne",
        "Hannah Fox",
        "Theo Marsh",
        "Erin Lloyd",
        "Ravi Desai",
    ),
)


@dataclass
class DemoSummary:
    organisation_id: int
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _username(name: str) -> str:
    return name.lower().replace(" ", ".")


def load_demo(*, today: date, session_factory: sessionmaker | None = None) -> DemoSummary:
    with (session_factory or get_sessionmaker())() as session, session.begin():
        org = session.scalars(select(Organisation).where(Organisation.slug == DEMO_SLUG)).first()
        created = org is None
        if created:
            org = _build(session, today)
        return DemoSummary(organisation_id=org.id, created=created, logins=_logins())


def _logins() -> list[tuple[str, str, str]]:
    return [
        (
            _username("Grace Adeyemi"),
            DEMO_PASSWORD,
            "team manager: a new starter's agreement to draft and sign",
        ),
        (_username("Sam Okafor"), DEMO_PASSWORD, "new starter (supervisee)"),
        (_username("Chloe Ward"), DEMO_PASSWORD, "supervisee with an agreement to countersign"),
        (_username("Tom Hughes"), DEMO_PASSWORD, "team manager after a change of supervisor"),
        (
            _username("Priya Shah"),
            DEMO_PASSWORD,
            "head of service: overdue agreements escalate here",
        ),
        (_username("Dev Kapoor"), DEMO_PASSWORD, "workforce team"),
    ]


class _Builder:
    def __init__(self, session: Session, org: Organisation, today: date):
        self.session, self.org, self.today = session, org, today
        self.number = 0
        self.password_hash = hash_password(DEMO_PASSWORD)

    def staff(
        self,
        name,
        role,
        *,
        team=None,
        line_manager=None,
        started_days_ago=900,
        asye=False,
        employment=Employment.PERMANENT,
        title="",
        roles=(),
    ):
        self.number += 1
        person = StaffMember(
            organisation_id=self.org.id,
            team_id=team.id if team else None,
            staff_number=f"D{self.number:04d}",
            name=name,
            email=f"{_username(name)}@demo-council.example",
            job_title=title,
            role=role,
            employment=employment,
            started_on=self.today - timedelta(days=started_days_ago),
            asye=asye,
            line_manager_id=line_manager.id if line_manager else None,
        )
        self.session.add(person)
        self.session.flush()
        user = UserAccount(
            staff_id=person.id, username=_username(name), password_hash=self.password_hash
        )
        user.roles = [UserRole(role=r) for r in roles]
        self.session.add(user)
        return person

    def relationship(
        self,
        supervisor,
        supervisee,
        *,
        days_ago,
        reason=RelationshipReason.NEW_STARTER,
        ended_days_ago=None,
    ):
        rel = SupervisionRelationship(
            supervisor_id=supervisor.id,
            supervisee_id=supervisee.id,
            started_on=self.today - timedelta(days=days_ago),
            ended_on=self.today - timedelta(days=ended_days_ago) if ended_days_ago else None,
            reason=reason,
        )
        self.session.add(rel)
        self.session.flush()
        return rel

    def agreement(self, rel, *, supervisor_days_ago, supervisee_days_ago=None, frequency=4):
        agreement = SupervisionAgreement(
            relationship_id=rel.id,
            version=1,
            frequency_weeks=frequency,
            content={"length": "About 2 hours (Lancashire §1.7)", "venue": "Team office, room 2"},
            status=AgreementStatus.AWAITING_COUNTERSIGNATURE,
        )
        self.session.add(agreement)
        self.session.flush()
        self.session.add(
            AgreementSignature(
                agreement_id=agreement.id,
                party=SignatoryParty.SUPERVISOR,
                staff_id=rel.supervisor_id,
                signed_on=self.today - timedelta(days=supervisor_days_ago),
            )
        )
        if supervisee_days_ago is not None:
            signed_on = self.today - timedelta(days=supervisee_days_ago)
            self.session.add(
                AgreementSignature(
                    agreement_id=agreement.id,
                    party=SignatoryParty.SUPERVISEE,
                    staff_id=rel.supervisee_id,
                    signed_on=signed_on,
                )
            )
            agreement.status = AgreementStatus.IN_FORCE
            agreement.in_force_on = signed_on
            agreement.review_due_on = (
                signed_on.replace(year=signed_on.year + 1)
                if not (signed_on.month == 2 and signed_on.day == 29)
                else signed_on + timedelta(days=365)
            )

    def sessions(self, rel, *, every_days, count, last_days_ago):
        for i in range(count):
            held = self.today - timedelta(days=last_days_ago + i * every_days)
            if held < rel.started_on:
                break
            self.session.add(
                SupervisionSession(
                    relationship_id=rel.id, held_on=held, recorded_on=held + timedelta(days=3)
                )
            )


def _build(session: Session, today: date) -> Organisation:
    org = Organisation(name="Demo County Council", slug=DEMO_SLUG, profile="lancashire")
    session.add(org)
    session.flush()
    area = ServiceArea(organisation_id=org.id, name="Children and Families Social Care")
    session.add(area)
    session.flush()
    b = _Builder(session, org, today)

    hos = b.staff(
        "Priya Shah",
        StaffRole.SENIOR_MANAGER,
        title="Head of Service",
        started_days_ago=2400,
        roles=(AppRole.HEAD_OF_SERVICE, AppRole.SUPERVISOR, AppRole.LINE_MANAGER),
    )
    area.head_of_service_id = hos.id
    psw = b.staff(
        "Helen Brooks",
        StaffRole.MANAGER,
        title="Principal Social Worker",
        line_manager=hos,
        roles=(AppRole.PRINCIPAL_SOCIAL_WORKER, AppRole.SUPERVISEE),
    )
    b.agreement(
        b.relationship(hos, psw, days_ago=800),
        supervisor_days_ago=790,
        supervisee_days_ago=789,
        frequency=6,
    )
    workforce = b.staff(
        "Dev Kapoor",
        StaffRole.BUSINESS_SUPPORT,
        title="Workforce Analyst",
        line_manager=psw,
        roles=(AppRole.WORKFORCE_TEAM, AppRole.SUPERVISEE),
    )
    b.agreement(
        b.relationship(psw, workforce, days_ago=700),
        supervisor_days_ago=690,
        supervisee_days_ago=690,
        frequency=6,
    )
    b.staff(
        "Alex Morgan",
        StaffRole.BUSINESS_SUPPORT,
        title="Workforce Officer",
        line_manager=psw,
        roles=(AppRole.WORKFORCE_TEAM,),
    )

    for (team_name, manager_name), names in zip(TEAMS, PRACTITIONERS, strict=True):
        team = Team(service_area_id=area.id, name=team_name)
        session.add(team)
        session.flush()
        manager = b.staff(
            manager_name,
            StaffRole.TEAM_MANAGER,
            team=team,
            line_manager=hos,
            title="Team Manager",
            roles=(AppRole.SUPERVISOR, AppRole.LINE_MANAGER, AppRole.SUPERVISEE),
        )
        rel = b.relationship(hos, manager, days_ago=1000)
        b.agreement(rel, supervisor_days_ago=990, supervisee_days_ago=988)
        b.sessions(rel, every_days=28, count=4, last_days_ago=12)
        _build_team(b, team, manager, names, hos)
    return org


def _build_team(b: _Builder, team: Team, manager: StaffMember, names, hos) -> None:
    supervisee_roles = (AppRole.SUPERVISEE,)
    for index, name in enumerate(names):
        role = StaffRole.SUPPORT_WORKER if index == 9 else StaffRole.SOCIAL_WORKER
        title = "Family Support Worker" if index == 9 else "Social Worker"
        special = _SPECIAL.get(name)
        if special is None:
            person = b.staff(
                name,
                role,
                team=team,
                line_manager=manager,
                title=title,
                started_days_ago=600 + index * 37,
                roles=supervisee_roles,
            )
            rel = b.relationship(manager, person, days_ago=590 + index * 37)
            b.agreement(
                rel, supervisor_days_ago=580 + index * 37, supervisee_days_ago=578 + index * 37
            )
            b.sessions(rel, every_days=28, count=5, last_days_ago=3 + index * 2)
        else:
            special(b, team, manager, name, hos)


def _new_starter(b, team, manager, name, hos):
    # Started ten days ago: the agreement is due six weeks after (Lancashire §1.4).
    person = b.staff(
        name,
        StaffRole.SOCIAL_WORKER,
        team=team,
        line_manager=manager,
        title="Social Worker",
        started_days_ago=10,
        roles=(AppRole.SUPERVISEE,),
    )
    b.relationship(manager, person, days_ago=10)


def _changed_supervisor(b, team, manager, name, hos):
    # Supervisor changed fifty days ago and no new agreement yet: overdue, escalated.
    person = b.staff(
        name,
        StaffRole.SOCIAL_WORKER,
        team=team,
        line_manager=manager,
        title="Senior Social Worker",
        started_days_ago=1200,
        roles=(AppRole.SUPERVISEE,),
    )
    old = b.relationship(hos, person, days_ago=1200, ended_days_ago=50)
    b.agreement(old, supervisor_days_ago=1190, supervisee_days_ago=1190)
    b.sessions(old, every_days=28, count=3, last_days_ago=60)
    new = b.relationship(
        manager, person, days_ago=50, reason=RelationshipReason.CHANGE_OF_SUPERVISOR
    )
    b.sessions(new, every_days=28, count=1, last_days_ago=20)


def _awaiting_countersignature(b, team, manager, name, hos):
    person = b.staff(
        name,
        StaffRole.SOCIAL_WORKER,
        team=team,
        line_manager=manager,
        title="Social Worker",
        started_days_ago=25,
        roles=(AppRole.SUPERVISEE,),
    )
    rel = b.relationship(manager, person, days_ago=25)
    b.agreement(rel, supervisor_days_ago=2)


def _asye(started_days_ago):
    def build(b, team, manager, name, hos):
        person = b.staff(
            name,
            StaffRole.SOCIAL_WORKER,
            team=team,
            line_manager=manager,
            title="Newly Qualified Social Worker (ASYE)",
            asye=True,
            started_days_ago=started_days_ago,
            roles=(AppRole.SUPERVISEE,),
        )
        rel = b.relationship(manager, person, days_ago=started_days_ago)
        b.agreement(
            rel,
            supervisor_days_ago=started_days_ago - 7,
            supervisee_days_ago=started_days_ago - 8,
            frequency=1,
        )
        b.sessions(rel, every_days=7 if started_days_ago < 60 else 14, count=4, last_days_ago=4)

    return build


_SPECIAL = {
    "Sam Okafor": _new_starter,
    "Jordan Ellis": _changed_supervisor,
    "Chloe Ward": _awaiting_countersignature,
    "Maya Singh": _asye(35),
    "Ethan Cole": _asye(150),
    "Mia Clarke": _asye(250),
}
