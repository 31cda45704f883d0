"""An organisation with something live in many lifecycles at once, for the
whole-organisation tests: an overdue supervision and agreement review, an
ASYE worker, a new starter with no agreement, an agency worker, children's
cases (one overdue), a registration check, a supervisor absent over three
weeks, a head of service who samples, someone who left six years ago, and a
group supervision agreement one member has not signed (overdue, so
escalated; Lancashire only). Every date is relative to `as_of`."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from models import CaseType, CheckKind, Employment, GroupParty, SessionStatus, StaffRole
from tests.worlds.builder import Council


def build_organisation(db, *, profile: str, as_of: date, name: str) -> int:
    def ago(days: int) -> date:
        return as_of - timedelta(days=days)

    with db() as session, session.begin():
        council = Council.new(session, profile=profile, name=name)
        team = council.team(f"{name} Assessment Team")
        head = council.person(f"{name} Head", StaffRole.SENIOR_MANAGER, started_on=ago(2000))
        team.service_area.head_of_service_id = head.id
        manager, cover = (
            council.person(
                f"{name} {part}",
                StaffRole.TEAM_MANAGER,
                line_manager=head,
                team=team,
                started_on=ago(1500),
            )
            for part in ("Manager", "Deputy")
        )
        settled, agency = _supervisees(council, name, team, manager, cover, ago)
        for ref, kind, days_ago, supervised in (
            ("LCS-100001", CaseType.CHILD_PROTECTION, 70, None),
            ("LCS-100002", CaseType.CHILD_IN_NEED, 120, 20),
        ):
            case = council.case(settled, ref, case_type=kind, allocated_on=ago(days_ago))
            if supervised:
                council.case_supervision(
                    case,
                    supervisor=manager,
                    supervised_on=ago(supervised),
                    recorded_on=ago(supervised),
                )
        issued = ago(50)
        council.group_agreement(
            manager,
            name=f"{name} group",
            team=team,
            issued_on=issued,
            frequency_weeks=4,
            signatories=[
                (manager, GroupParty.SUPERVISOR, issued),
                (cover, GroupParty.COORDINATOR, issued + timedelta(days=2)),
                (settled, GroupParty.SUPERVISEE, issued + timedelta(days=3)),
                (agency, GroupParty.SUPERVISEE, None),
            ],
        )
        # Absent for over three weeks, back in a fortnight, no cover arranged.
        council.absence(
            manager, starts_on=ago(25), ends_on=as_of + timedelta(days=14), reason="sick leave"
        )
        return council.id


def _supervisees(council: Council, name: str, team, manager, cover, ago) -> tuple:
    """The settled worker, the ASYE worker, the new starter, the agency worker
    and the leaver, with their supervision so far: (settled, agency)."""

    def in_force(rel, signed_on: date) -> None:
        council.agreement(
            rel,
            signed_on=signed_on,
            frequency_weeks=4,
            in_force_on=signed_on,
            review_due_on=signed_on + relativedelta(years=1),
        )

    def held(rel, on: date) -> None:
        council.held(rel, on, status=SessionStatus.HELD, recorded_on=on)

    def supervisee(part: str, supervisor, started_days_ago: int, **kw):
        person = council.person(
            f"{name} {part}",
            line_manager=supervisor,
            team=team,
            started_on=ago(started_days_ago),
            **kw,
        )
        return person, council.supervises(supervisor, person, started_on=person.started_on)

    settled, rel = supervisee("Settled", manager, 800)
    in_force(rel, ago(400))  # its review is overdue
    held(rel, ago(90))  # supervision is overdue
    council.check(settled, kind=CheckKind.REGISTRATION, checked_on=ago(400))

    asye, asye_rel = supervisee("Newly Qualified", manager, 40, asye=True)
    in_force(asye_rel, asye.started_on + timedelta(days=7))
    held(asye_rel, ago(10))

    supervisee("Starter", manager, 7)

    agency, agency_rel = supervisee("Agency", cover, 60, employment=Employment.AGENCY)
    in_force(agency_rel, agency.started_on + timedelta(days=10))

    leaver, left_rel = supervisee("Leaver", manager, 4000, left_on=ago(6 * 366))
    left_rel.ended_on = leaver.left_on
    held(left_rel, leaver.left_on - timedelta(days=30))
    return settled, agency
