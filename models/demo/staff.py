"""The demo council's people: three teams of practitioners and the special cases
that make every lifecycle live (a new starter, a change of supervisor, ASYE
workers at three points of their year, a student, an agency worker, a leaver)."""

from __future__ import annotations

from sqlalchemy import select

from models.demo.builder import Builder
from models.tables.org import (
    AppRole,
    Employment,
    ServiceArea,
    StaffMember,
    StaffRole,
    Team,
)
from models.tables.supervision import (
    RecordStatus,
    RelationshipReason,
    SessionSignature,
    SignatoryParty,
)

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


def build_team(b: Builder, team: Team, manager: StaffMember, names, hos) -> None:
    for index, name in enumerate(names):
        role = StaffRole.SUPPORT_WORKER if index == 9 else StaffRole.SOCIAL_WORKER
        title = "Family Support Worker" if index == 9 else "Social Worker"
        special = _SPECIAL.get(name)
        if special is None:
            person = b.team_member(
                name,
                team,
                manager,
                role=role,
                title=title,
                started_days_ago=600 + index * 37,
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


def _awaiting_record_countersignature(b: Builder, held) -> None:
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
    person = b.team_member(
        name,
        team,
        manager,
        title="Social Worker",
        started_days_ago=10,
    )
    b.relationship(manager, person, days_ago=10)


def _changed_supervisor(b, team, manager, name, hos):
    # Supervisor changed fifty days ago and no new agreement yet: overdue, escalated.
    person = b.team_member(
        name,
        team,
        manager,
        title="Senior Social Worker",
        started_days_ago=1200,
    )
    old = b.relationship(hos, person, days_ago=1200, ended_days_ago=50)
    b.agreement(old, supervisor_days_ago=1190, supervisee_days_ago=1190)
    b.sessions(old, every_days=28, count=3, last_days_ago=60)
    new = b.relationship(
        manager, person, days_ago=50, reason=RelationshipReason.CHANGE_OF_SUPERVISOR
    )
    b.sessions(new, every_days=28, count=1, last_days_ago=20)


def _awaiting_countersignature(b, team, manager, name, hos):
    person = b.team_member(
        name,
        team,
        manager,
        title="Social Worker",
        started_days_ago=25,
    )
    rel = b.relationship(manager, person, days_ago=25)
    b.agreement(rel, supervisor_days_ago=2)


def _asye(started_days_ago):
    def build(b, team, manager, name, hos):
        person = b.team_member(
            name,
            team,
            manager,
            title="Newly Qualified Social Worker (ASYE)",
            asye=True,
            started_days_ago=started_days_ago,
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


def student_and_agency_worker(b: Builder, managers) -> None:
    team, manager = managers[0]
    # A social work student on placement: every 2 weeks (Lancashire §1.11); the last
    # session was 16 days ago, so the next is two days overdue.
    student = b.team_member(
        "Kit Lawson",
        team,
        manager,
        role=StaffRole.STUDENT,
        employment=Employment.TEMPORARY,
        title="Social Work Student (placement)",
        started_days_ago=45,
    )
    rel = b.relationship(manager, student, days_ago=45)
    b.agreement(rel, supervisor_days_ago=40, supervisee_days_ago=40, frequency=2)
    b.sessions(rel, every_days=14, count=3, last_days_ago=16)
    # An agency social worker two months in.
    team, manager = managers[1]
    agency = b.team_member(
        "Sol Ibrahim",
        team,
        manager,
        employment=Employment.AGENCY,
        title="Locum Social Worker (agency)",
        started_days_ago=60,
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


def leaver(b: Builder, team, manager) -> None:
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


def leadership(b: Builder, area: ServiceArea) -> StaffMember:
    """The head of service, the principal social worker and the workforce team."""
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
    # Her agreement, and Dev Kapoor's below, fell due for their annual review a
    # few weeks ago (Lancashire §1.4), so each review is recently overdue.
    psw_rel = b.relationship(hos, psw, days_ago=400)
    b.agreement(psw_rel, supervisor_days_ago=390, supervisee_days_ago=389, frequency=6)
    b.sessions(psw_rel, every_days=42, count=3, last_days_ago=20)
    workforce = b.staff(
        "Dev Kapoor",
        StaffRole.BUSINESS_SUPPORT,
        title="Workforce Analyst",
        line_manager=psw,
        roles=(AppRole.WORKFORCE_TEAM, AppRole.SUPERVISEE),
    )
    workforce_rel = b.relationship(psw, workforce, days_ago=395)
    b.agreement(workforce_rel, supervisor_days_ago=385, supervisee_days_ago=385, frequency=6)
    b.sessions(workforce_rel, every_days=42, count=3, last_days_ago=15)
    b.staff(
        "Alex Morgan",
        StaffRole.BUSINESS_SUPPORT,
        title="Workforce Officer",
        line_manager=psw,
        roles=(AppRole.WORKFORCE_TEAM,),
    )
    # Read-only access for the council's internal audit, for the next month.
    b.staff(
        "Ruth Ellison",
        StaffRole.NON_DIRECT_STAFF,
        title="Internal Auditor",
        started_days_ago=30,
        roles=(AppRole.AUDITOR,),
        access_days=30,
    )
    return hos


def teams(b: Builder, area: ServiceArea, hos: StaffMember) -> list[tuple[Team, StaffMember]]:
    """Three teams, each a team manager supervised by the head of service and
    their practitioners; returns (team, manager) for each."""
    session = b.session
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
        reviewed = 386 if manager_name == "Tom Hughes" else 240
        b.review_questionnaire(rel, reviewed_days_ago=reviewed, forwarded_days_ago=reviewed - 2)
        b.sessions(rel, every_days=28, count=4, last_days_ago=12)
        build_team(b, team, manager, names, hos)
        managers.append((team, manager))
    return managers
