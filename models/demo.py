"""A demo council, the same every time for the same day: about forty staff in
three teams under one head of service, with ASYE social workers, a new
starter, a change of supervisor, a student on placement, an agency worker and
a history of sessions, so a new user sees a live inbox the moment the product
starts. Every lifecycle has something live: children's cases of every type
(by case ID only) with case supervisions, some overdue, one reallocated
recently, a case direction and an important decision not yet on the child's
record; practice observations, some due; records signed by both and one
awaiting countersignature; agreements re-signed at their annual review with
the review questionnaire, one not yet forwarded; registration checks, one due;
a head of service's quarterly sample; a supervisor absent for over three
weeks with no cover; and someone who left over five years ago whose records
are still held (retention shows under the Nottingham profile).

Dates are relative to `today` so the inbox is live whenever it is loaded.
Loading twice changes nothing: the organisation is found by its slug."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.db import get_sessionmaker
from models.passwords import hash_password
from models.tables.cases import CaseAllocation, CaseFileAudit, CaseSupervision, CaseType
from models.tables.group_agreement import (
    GroupAgreementSignatory,
    GroupAgreementStatus,
    GroupParty,
    GroupSupervisionAgreement,
    SupervisionGroup,
)
from models.tables.org import (
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
from models.tables.oversight import (
    Absence,
    CheckKind,
    Observation,
    ObservationKind,
    ObservationSignature,
    RegistrationCheck,
    ReviewQuestionnaire,
    Sample,
)
from models.tables.supervision import (
    AgreementSignature,
    AgreementStatus,
    RecordStatus,
    RelationshipReason,
    SessionSignature,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.durations import Duration
from policy.rules.windows import windows_around

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
        (_username("Jo Patel"), DEMO_PASSWORD, "team coordinator: a group agreement to sign"),
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
        # (person, relationship, supervisor, index) of the practitioners with settled
        # histories, who carry the casework, observations and reviews.
        self.practitioners: list[tuple[StaffMember, SupervisionRelationship, StaffMember, int]] = []

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def staff(
        self,
        name,
        role,
        *,
        team=None,
        line_manager=None,
        started_days_ago=900,
        left_days_ago=None,
        asye=False,
        employment=Employment.PERMANENT,
        title="",
        roles=(),
        login=True,
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
            started_on=self.ago(started_days_ago),
            left_on=self.ago(left_days_ago) if left_days_ago is not None else None,
            asye=asye,
            line_manager_id=line_manager.id if line_manager else None,
        )
        self.session.add(person)
        self.session.flush()
        if login:
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
            started_on=self.ago(days_ago),
            ended_on=self.ago(ended_days_ago) if ended_days_ago else None,
            reason=reason,
        )
        self.session.add(rel)
        self.session.flush()
        return rel

    def agreement(
        self,
        rel,
        *,
        supervisor_days_ago,
        supervisee_days_ago=None,
        frequency=4,
        version=1,
        variation_reason=None,
    ):
        agreement = SupervisionAgreement(
            relationship_id=rel.id,
            version=version,
            frequency_weeks=frequency,
            variation_reason=variation_reason,
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
                signed_on=self.ago(supervisor_days_ago),
            )
        )
        if supervisee_days_ago is not None:
            signed_on = self.ago(supervisee_days_ago)
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
        return agreement

    def reviewed_agreement(self, rel, *, first_days_ago, reviewed_days_ago, frequency=4):
        """Signed at the start, re-signed at the annual review, with the review form."""
        first = self.agreement(
            rel, supervisor_days_ago=first_days_ago, supervisee_days_ago=first_days_ago - 2
        )
        first.status = AgreementStatus.SUPERSEDED
        self.agreement(
            rel,
            supervisor_days_ago=reviewed_days_ago,
            supervisee_days_ago=reviewed_days_ago,
            frequency=frequency,
            version=2,
        )

    def sessions(self, rel, *, every_days, count, last_days_ago):
        """Held sessions, recorded three days later and signed by both; development
        is discussed at every third."""
        held_sessions = []
        for i in range(count):
            held = self.ago(last_days_ago + i * every_days)
            if held < rel.started_on:
                break
            recorded = held + timedelta(days=3)
            signed = recorded <= self.today
            held_session = SupervisionSession(
                relationship_id=rel.id,
                held_on=held,
                recorded_on=recorded if signed else None,
                development_discussed=i % 3 == 0,
                duration_minutes=90,
                record_status=RecordStatus.SIGNED if signed else RecordStatus.DRAFT,
            )
            self.session.add(held_session)
            held_sessions.append(held_session)
        self.session.flush()
        for held_session in held_sessions:
            if held_session.record_status == RecordStatus.SIGNED:
                self.sign_record(held_session, rel, SignatoryParty.SUPERVISOR)
                self.sign_record(held_session, rel, SignatoryParty.SUPERVISEE)
        return held_sessions

    def sign_record(self, held_session, rel, party):
        self.session.add(
            SessionSignature(
                session_id=held_session.id,
                party=party,
                staff_id=rel.supervisor_id
                if party == SignatoryParty.SUPERVISOR
                else rel.supervisee_id,
                signed_on=held_session.recorded_on,
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

    managers = []
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
        # Reviewed last year; Tom Hughes's review this year is three weeks overdue.
        b.reviewed_agreement(
            rel,
            first_days_ago=990,
            reviewed_days_ago=386 if manager_name == "Tom Hughes" else 240,
        )
        session.add(
            ReviewQuestionnaire(
                relationship_id=rel.id,
                reviewed_on=b.ago(386 if manager_name == "Tom Hughes" else 240),
                answers={"regular_and_uninterrupted": "usually"},
                forwarded_on=b.ago(384 if manager_name == "Tom Hughes" else 238),
            )
        )
        b.sessions(rel, every_days=28, count=4, last_days_ago=12)
        _build_team(b, team, manager, names, hos)
        managers.append((team, manager))

    _student_and_agency_worker(b, managers)
    _group_agreement(b, *managers[0])
    _leaver(b, *managers[1])
    _casework(b, managers)
    _observations(b)
    _registration_checks(b)
    _review_questionnaires(b)
    _head_of_service_sampling(b, area, hos)
    # Aisha Rahman has been off for a month with no return date and no cover yet
    # (Wokingham standard 13: cover when a supervisor is absent more than 3 weeks).
    session.add(Absence(staff_id=managers[2][1].id, starts_on=b.ago(30), reason="Sickness absence"))
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
            # Re-signed at the annual review 30 to 360 days ago: the last is due again
            # within the week.
            b.reviewed_agreement(
                rel, first_days_ago=580 + index * 37, reviewed_days_ago=360 - index * 33
            )
            held = b.sessions(rel, every_days=28, count=5, last_days_ago=3 + index * 2)
            b.practitioners.append((person, rel, manager, index))
            if name == "Ella Price":
                _awaiting_record_countersignature(b, held[0])
        else:
            special(b, team, manager, name, hos)


def _awaiting_record_countersignature(b: _Builder, held) -> None:
    """The latest record is written and signed by the supervisor; the supervisee has
    yet to sign it (Nottingham §1.10: both parties sign every record)."""
    held.record_status = RecordStatus.AWAITING_COUNTERSIGNATURE
    for signature in b.session.scalars(
        select(SessionSignature).where(
            SessionSignature.session_id == held.id,
            SessionSignature.party == SignatoryParty.SUPERVISEE,
        )
    ):
        b.session.delete(signature)


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
            frequency=None,  # the ASYE year's stages set the cadence (Lancashire §1.12)
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


def _student_and_agency_worker(b: _Builder, managers) -> None:
    team, manager = managers[0]
    # A social work student on placement: every 2 weeks (Lancashire §1.11); the last
    # session was 16 days ago, so the next is two days overdue.
    student = b.staff(
        "Kit Lawson",
        StaffRole.STUDENT,
        team=team,
        line_manager=manager,
        employment=Employment.TEMPORARY,
        title="Social Work Student (placement)",
        started_days_ago=45,
        roles=(AppRole.SUPERVISEE,),
    )
    rel = b.relationship(manager, student, days_ago=45)
    b.agreement(rel, supervisor_days_ago=40, supervisee_days_ago=40, frequency=2)
    b.sessions(rel, every_days=14, count=3, last_days_ago=16)
    # An agency social worker two months in.
    team, manager = managers[1]
    agency = b.staff(
        "Sol Ibrahim",
        StaffRole.SOCIAL_WORKER,
        team=team,
        line_manager=manager,
        employment=Employment.AGENCY,
        title="Locum Social Worker (agency)",
        started_days_ago=60,
        roles=(AppRole.SUPERVISEE,),
    )
    rel = b.relationship(manager, agency, days_ago=60)
    b.agreement(
        rel,
        supervisor_days_ago=50,
        supervisee_days_ago=49,
        frequency=2,
        variation_reason="New to the team and to our case system: fortnightly until the "
        "three-month review (Lancashire §1.10: minimum standards that can be increased).",
    )
    b.sessions(rel, every_days=14, count=4, last_days_ago=6)


def _leaver(b: _Builder, team, manager) -> None:
    """Left five years and six weeks ago; the supervision records are still held, so
    deletion is overdue (Nottingham §3.5). No login: they have left."""
    left = 5 * 365 + 42
    person = b.staff(
        "Reece Hart",
        StaffRole.SOCIAL_WORKER,
        team=team,
        line_manager=manager,
        title="Social Worker",
        started_days_ago=left + 900,
        left_days_ago=left,
        login=False,
    )
    rel = b.relationship(manager, person, days_ago=left + 890, ended_days_ago=left)
    b.agreement(rel, supervisor_days_ago=left + 880, supervisee_days_ago=left + 880)
    b.sessions(rel, every_days=28, count=3, last_days_ago=left + 10)


CASE_TYPES = tuple(CaseType)


def _casework(b: _Builder, managers) -> None:
    """Two cases for each settled practitioner, every case type in turn. Supervised
    every four weeks, the latest between 2 and 35 days ago, so a few are overdue."""
    number = 104200
    allocations = []
    for person, _rel, manager, index in b.practitioners:
        for slot in range(2):
            number += 7
            case_type = CASE_TYPES[(len(allocations)) % len(CASE_TYPES)]
            allocation = CaseAllocation(
                organisation_id=b.org.id,
                case_ref=f"LCS-{number}",
                case_type=case_type,
                worker_id=person.id,
                allocated_on=b.ago(200 + index * 11 + slot * 5),
            )
            if case_type == CaseType.CHILD_IN_CARE and slot == 1:
                # Lancashire §1.9: a settled case may be overseen less often, never beyond 8 weeks.
                allocation.frequency_weeks = 8
                allocation.frequency_reason = "Settled long-term placement; no current concerns."
            b.session.add(allocation)
            allocations.append((allocation, manager, (index * 3 + slot * 11) % 34 + 2))
    b.session.flush()
    for allocation, manager, last_days_ago in allocations:
        gap = 7 * (allocation.frequency_weeks or 4)
        if allocation.case_type == CaseType.CHILDREN_WITH_DISABILITIES:
            gap = 150  # Lancashire §1.15: at least every 6 months
        day = b.ago(last_days_ago)
        while day > allocation.allocated_on:
            b.session.add(
                CaseSupervision(
                    allocation_id=allocation.id,
                    supervisor_id=manager.id,
                    supervised_on=day,
                    decision="Plan reviewed; actions agreed with the worker.",
                    rationale="Progress against the child's plan discussed.",
                    recorded_on=day + timedelta(days=2)
                    if day + timedelta(days=2) <= b.today
                    else None,
                )
            )
            day -= timedelta(days=gap)

    first, second = allocations[0], allocations[1]
    # A case direction given yesterday, not yet on the child's record (due within a week).
    b.session.add(
        CaseSupervision(
            allocation_id=first[0].id,
            supervisor_id=first[1].id,
            supervised_on=b.ago(1),
            decision="Convene a strategy discussion.",
            important_decision=True,
        )
    )
    # An important decision recorded the next day, within Lancashire's 24 hours.
    b.session.add(
        CaseSupervision(
            allocation_id=second[0].id,
            supervisor_id=second[1].id,
            supervised_on=b.ago(9),
            decision="RAG rating raised to red.",
            important_decision=True,
            recorded_on=b.ago(8),
        )
    )
    # Reallocated eight days ago from one team's worker to another's: the new worker's
    # first case supervision runs from the reallocation.
    moved, _old_manager, _ = allocations[2]
    moved.ended_on = b.ago(8)
    new_worker, _rel, _manager, _index = b.practitioners[-1]
    b.session.add(
        CaseAllocation(
            organisation_id=b.org.id,
            case_ref=moved.case_ref,
            case_type=moved.case_type,
            worker_id=new_worker.id,
            allocated_on=b.ago(8),
        )
    )
    # Nottingham §1.5: one of this month's two case-file audits done in the first team.
    b.session.add(
        CaseFileAudit(
            allocation_id=second[0].id,
            audited_on=b.today.replace(day=1),
            audited_by_id=second[1].id,
            outcome="Good: plan up to date; child seen alone.",
        )
    )


def _observations(b: _Builder) -> None:
    """Lancashire §1.16: three a year, two with families, each year of service. All
    three were done last year; this year a third of the settled practitioners have
    had all three, a third one, and a third none yet."""
    year = Duration(1, "years")
    for person, _rel, manager, index in b.practitioners:
        windows = windows_around(person.started_on, year, b.today)
        current_start = windows[-1][0]
        so_far = (b.today - current_start).days
        seen = [(current_start - timedelta(days=d), fam) for d, fam in _LAST_YEAR]
        seen += [
            (current_start + timedelta(days=so_far * share // 4), fam)
            for share, fam in {0: ((1, True), (2, True), (3, False)), 1: ((2, True),), 2: ()}[
                index % 3
            ]
        ]
        for observed_on, with_family in seen:
            if observed_on < person.started_on:
                continue
            signed_on = observed_on + timedelta(days=5)
            b.session.add(
                Observation(
                    kind=ObservationKind.PRACTICE,
                    staff_id=person.id,
                    observer_id=manager.id,
                    observed_on=observed_on,
                    with_family=with_family,
                    content={"focus": "Home visit" if with_family else "Team meeting"},
                    signatures=[
                        ObservationSignature(party=party, staff_id=signer.id, signed_on=signed_on)
                        for party, signer in (
                            (SignatoryParty.SUPERVISEE, person),
                            (SignatoryParty.SUPERVISOR, manager),
                        )
                    ]
                    if signed_on <= b.today
                    else [],
                )
            )


_LAST_YEAR = ((300, True), (200, True), (100, False))  # days before this year began


def _registration_checks(b: _Builder) -> None:
    """Social Work England registration checked by each supervisor; one renewal is
    five days off and not yet checked for this year."""
    due_for = next(p for p, _r, _m, index in b.practitioners if index == 4)
    for person, _rel, manager, index in b.practitioners:
        if person.role != StaffRole.SOCIAL_WORKER:
            continue
        due = person is due_for
        b.session.add(
            RegistrationCheck(
                staff_id=person.id,
                kind=CheckKind.REGISTRATION,
                checked_on=b.ago(370 if due else 2 + index % 5),
                valid_until=b.ago(-5) if due else None,
                reference=f"SW{100000 + person.id}",
                checked_by_id=manager.id,
            )
        )


def _review_questionnaires(b: _Builder) -> None:
    """Lancashire Appendix A: the Supervision Annual Review form, completed when each
    agreement was re-signed at its review and forwarded to the supervisor's line
    manager two days later, except the most recent, still to forward."""
    reviews = sorted(b.practitioners, key=lambda p: -p[3])
    for n, (_person, rel, _manager, index) in enumerate(reviews):
        reviewed_on = b.ago(360 - index * 33)
        b.session.add(
            ReviewQuestionnaire(
                relationship_id=rel.id,
                reviewed_on=reviewed_on,
                answers={"regular_and_uninterrupted": "usually"},
                forwarded_on=None if n == 0 else reviewed_on + timedelta(days=2),
            )
        )


def _group_agreement(b: _Builder, team: Team, manager: StaffMember) -> None:
    """Lancashire Appendix A's Group Supervision Agreement for Grace Adeyemi's
    team, issued twelve days ago: the coordinator and two supervisees have
    signed; Sam Okafor and Leo Turner have not yet."""
    coordinator = b.staff(
        "Jo Patel",
        StaffRole.BUSINESS_SUPPORT,
        team=team,
        line_manager=manager,
        title="Team Coordinator",
        started_days_ago=500,
        roles=(AppRole.SUPERVISEE,),
    )
    rel = b.relationship(manager, coordinator, days_ago=495)
    b.reviewed_agreement(rel, first_days_ago=480, reviewed_days_ago=115)
    b.sessions(rel, every_days=28, count=4, last_days_ago=9)
    names = ("Sam Okafor", "Ella Price", "Noah Bennett", "Leo Turner")
    by_name = {
        p.name: p
        for p in b.session.scalars(
            select(StaffMember).where(
                StaffMember.organisation_id == b.org.id, StaffMember.name.in_(names)
            )
        )
    }
    group = SupervisionGroup(
        organisation_id=b.org.id,
        supervisor_id=manager.id,
        team_id=team.id,
        name=f"{team.name} group supervision",
    )
    agreement = GroupSupervisionAgreement(
        group=group,
        version=1,
        status=GroupAgreementStatus.AWAITING_SIGNATURES,
        venue="Meeting room 2, Area Office",
        frequency_weeks=4,
        content={
            "length": "90 minutes",
            "preparation": "Each supervisee brings one case to discuss, by case ID only.",
            "recording": "Recorded in the Workbook by the team coordinator within a week.",
            "confidentiality": "Discussion stays in the group; records are read by managers.",
            "disagreements": "Raised with the team manager, then the head of service.",
        },
        issued_on=b.ago(12),
    )
    b.session.add_all([group, agreement])
    signed = {"Jo Patel": 10, "Ella Price": 9, "Noah Bennett": 8}
    parties = [(manager, GroupParty.SUPERVISOR, 12), (coordinator, GroupParty.COORDINATOR, 10)]
    parties += [(by_name[n], GroupParty.SUPERVISEE, signed.get(n)) for n in names]
    for person, party, days_ago in parties:
        agreement.signatories.append(
            GroupAgreementSignatory(
                staff_id=person.id,
                party=party,
                signed_on=b.ago(days_ago) if days_ago is not None else None,
            )
        )
    b.session.flush()


def _quarter(day: date) -> tuple[str, date]:
    q = (day.month - 1) // 3
    return f"{day.year}-Q{q + 1}", date(day.year, 3 * q + 1, 1)


def _head_of_service_sampling(b: _Builder, area: ServiceArea, hos: StaffMember) -> None:
    """Lancashire §2.1: last quarter's sample completed; this quarter's drawn, not done."""
    this_quarter, starts = _quarter(b.today)
    last_quarter, last_starts = _quarter(starts - timedelta(days=1))
    b.session.add_all(
        [
            Sample(
                service_area_id=area.id,
                sampler_id=hos.id,
                quarter=last_quarter,
                seed=f"demo-{last_quarter}",
                size=6,
                drawn_on=last_starts + timedelta(days=20),
                completed_on=last_starts + timedelta(days=45),
            ),
            Sample(
                service_area_id=area.id,
                sampler_id=hos.id,
                quarter=this_quarter,
                seed=f"demo-{this_quarter}",
                size=6,
                drawn_on=max(starts, b.ago(3)),
            ),
        ]
    )
