"""An organisation with something live in many lifecycles at once, built
from facts with the factory functions, for the whole-organisation tests: an
overdue supervision and agreement review, an ASYE worker, a new starter with
no agreement, an agency worker, children's cases (one overdue), a registration
check, a supervisor absent over three weeks, a head of service who samples,
someone who left six years ago, and a group supervision agreement one member
has not signed (overdue, so escalated; Lancashire only).  Every date is relative to `as_of`."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from models import (
    Absence,
    AgreementSignature,
    AgreementStatus,
    CaseAllocation,
    CaseSupervision,
    CaseType,
    CheckKind,
    Employment,
    GroupAgreementSignatory,
    GroupParty,
    GroupSupervisionAgreement,
    RegistrationCheck,
    SessionStatus,
    SignatoryParty,
    StaffRole,
    SupervisionAgreement,
    SupervisionGroup,
    SupervisionSession,
)
from tests.factories import make_organisation, make_relationship, make_staff, make_team


def _agreement(session, rel, signed_on: date) -> None:
    agreement = SupervisionAgreement(
        relationship_id=rel.id,
        version=1,
        status=AgreementStatus.IN_FORCE,
        frequency_weeks=4,
        in_force_on=signed_on,
        review_due_on=signed_on + relativedelta(years=1),
    )
    session.add(agreement)
    session.flush()
    for party, staff_id in (
        (SignatoryParty.SUPERVISOR, rel.supervisor_id),
        (SignatoryParty.SUPERVISEE, rel.supervisee_id),
    ):
        session.add(
            AgreementSignature(
                agreement_id=agreement.id, party=party, staff_id=staff_id, signed_on=signed_on
            )
        )


def _held(session, rel, held_on: date) -> None:
    session.add(
        SupervisionSession(
            relationship_id=rel.id, status=SessionStatus.HELD, held_on=held_on, recorded_on=held_on
        )
    )


def build_organisation(db, *, profile: str, as_of: date, name: str) -> int:
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile, name=name)
        team = make_team(session, org, name=f"{name} Assessment Team")
        head = make_staff(session, org, name=f"{name} Head", role=StaffRole.SENIOR_MANAGER,
                          started_on=as_of - timedelta(days=2000))  # fmt: skip
        team.service_area.head_of_service_id = head.id
        manager = make_staff(session, org, name=f"{name} Manager", role=StaffRole.TEAM_MANAGER,
                             line_manager=head, team=team,
                             started_on=as_of - timedelta(days=1500))  # fmt: skip
        cover = make_staff(session, org, name=f"{name} Deputy", role=StaffRole.TEAM_MANAGER,
                           line_manager=head, team=team,
                           started_on=as_of - timedelta(days=1500))  # fmt: skip

        settled = make_staff(session, org, name=f"{name} Settled", line_manager=manager,
                             team=team, started_on=as_of - timedelta(days=800))  # fmt: skip
        rel = make_relationship(session, manager, settled, started_on=settled.started_on)
        _agreement(session, rel, as_of - timedelta(days=400))  # its review is overdue
        _held(session, rel, as_of - timedelta(days=90))  # supervision is overdue
        session.add(RegistrationCheck(staff_id=settled.id, kind=CheckKind.REGISTRATION,
                                      checked_on=as_of - timedelta(days=400)))  # fmt: skip

        asye = make_staff(session, org, name=f"{name} Newly Qualified", line_manager=manager,
                          team=team, asye=True,
                          started_on=as_of - timedelta(days=40))  # fmt: skip
        asye_rel = make_relationship(session, manager, asye, started_on=asye.started_on)
        _agreement(session, asye_rel, asye.started_on + timedelta(days=7))
        _held(session, asye_rel, as_of - timedelta(days=10))

        starter = make_staff(session, org, name=f"{name} Starter", line_manager=manager,
                             team=team, started_on=as_of - timedelta(days=7))  # fmt: skip
        make_relationship(session, manager, starter, started_on=starter.started_on)

        agency = make_staff(session, org, name=f"{name} Agency", line_manager=cover, team=team,
                            employment=Employment.AGENCY,
                            started_on=as_of - timedelta(days=60))  # fmt: skip
        agency_rel = make_relationship(session, cover, agency, started_on=agency.started_on)
        _agreement(session, agency_rel, agency.started_on + timedelta(days=10))

        leaver = make_staff(session, org, name=f"{name} Leaver", line_manager=manager, team=team,
                            started_on=as_of - timedelta(days=4000),
                            left_on=as_of - timedelta(days=6 * 366))  # fmt: skip
        left_rel = make_relationship(session, manager, leaver, started_on=leaver.started_on)
        left_rel.ended_on = leaver.left_on
        _held(session, left_rel, leaver.left_on - timedelta(days=30))

        for ref, kind, days_ago, supervised in (
            ("LCS-100001", CaseType.CHILD_PROTECTION, 70, None),
            ("LCS-100002", CaseType.CHILD_IN_NEED, 120, 20),
        ):
            allocation = CaseAllocation(organisation_id=org.id, case_ref=ref, case_type=kind,
                                        worker_id=settled.id,
                                        allocated_on=as_of - timedelta(days=days_ago))  # fmt: skip
            session.add(allocation)
            session.flush()
            if supervised:
                on = as_of - timedelta(days=supervised)
                session.add(CaseSupervision(allocation_id=allocation.id, supervisor_id=manager.id,
                                            supervised_on=on, recorded_on=on))  # fmt: skip
        issued = as_of - timedelta(days=50)
        group = SupervisionGroup(organisation_id=org.id, supervisor_id=manager.id,
                                 team_id=team.id, name=f"{name} group")  # fmt: skip
        version = GroupSupervisionAgreement(group=group, version=1, frequency_weeks=4,
                                            issued_on=issued)  # fmt: skip
        session.add_all([group, version])
        for staff_id, party, signed_on in (
            (manager.id, GroupParty.SUPERVISOR, issued),
            (cover.id, GroupParty.COORDINATOR, issued + timedelta(days=2)),
            (settled.id, GroupParty.SUPERVISEE, issued + timedelta(days=3)),
            (agency.id, GroupParty.SUPERVISEE, None),
        ):
            version.signatories.append(
                GroupAgreementSignatory(staff_id=staff_id, party=party, signed_on=signed_on)
            )
        # Absent for over three weeks, back in a fortnight, no cover arranged.
        session.add(Absence(staff_id=manager.id, starts_on=as_of - timedelta(days=25),
                            ends_on=as_of + timedelta(days=14), reason="sick leave"))  # fmt: skip
        return org.id


# The seed's salt for the quarter's samples: fixed so two runs draw the same sample.
SALT = "0123456789abcdef"


def run_every_lifecycle(organisation_ids, as_of: date, session_factory=None) -> list:
    """What flows.whole_organisation.every_lifecycle does, step for step,
    through the same plain functions under its Prefect tasks."""
    from policy import LIFECYCLES
    from tasks.reconcile import reconcile_lifecycles
    from tasks.retention import delete_organisation_records
    from tasks.sampling import draw_quarterly_samples
    from tasks.schedule import plan_schedules

    for org_id in organisation_ids:
        plan_schedules(org_id, as_of, session_factory=session_factory)
        draw_quarterly_samples(org_id, as_of, salt=SALT, session_factory=session_factory)
        delete_organisation_records(org_id, as_of, session_factory=session_factory)
    return [
        counts
        for org_id in organisation_ids
        for counts in reconcile_lifecycles(
            org_id, list(LIFECYCLES), as_of, session_factory=session_factory
        )
    ]
