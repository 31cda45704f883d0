"""The demo council's work around its people: children's cases (by case ID only)
and their supervision, observations, registration checks, review forms, a
group agreement and the head of service's sampling."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import select

from models.actions.sample_population import AGREEMENT, NO_AGREEMENT, SESSION
from models.actions.sampling import draw_in_session, quarter_bounds, quarter_of, sample_size
from models.actions.sampling_runs import first_working_day_of_quarter
from models.demo.builder import Builder
from models.tables.cases import CaseAllocation, CaseFileAudit, CaseSupervision, CaseType
from models.tables.group_agreement import (
    GroupAgreementSignatory,
    GroupAgreementStatus,
    GroupParty,
    GroupSupervisionAgreement,
    SupervisionGroup,
)
from models.tables.org import (
    ServiceArea,
    StaffMember,
    StaffRole,
    Team,
)
from models.tables.oversight import (
    CheckKind,
    Observation,
    ObservationKind,
    ObservationSignature,
    RegistrationCheck,
    Sample,
)
from models.tables.supervision import SignatoryParty, SupervisionRelationship
from policy.durations import Duration
from policy.rules.windows import windows_around

CASE_TYPES = tuple(CaseType)


def casework(b: Builder, managers) -> None:
    """Two cases for each settled practitioner, every case type in turn. Supervised
    every four weeks, the latest between 2 and 35 days ago, so a few are overdue."""
    allocations = _allocations(b)
    _supervisions(b, allocations)
    _recent_casework(b, allocations)


def _allocations(b: Builder) -> list[tuple[CaseAllocation, StaffMember, int]]:
    """(allocation, supervising manager, days since the last supervision)."""
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
    return allocations


def _supervisions(b: Builder, allocations) -> None:
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


def _recent_casework(b: Builder, allocations) -> None:
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


def observations(b: Builder, head_of_service: StaffMember) -> None:
    """Lancashire §1.16: three a year, two with families, each year of service. All
    three were done last year; this year a third of the settled practitioners have
    had all three, a third one, and a third none yet. The managers and the
    central team are observed the same way (_observed)."""
    year = Duration(1, "years")
    for person, manager, index in _observed(b, head_of_service):
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


def _observed(b: Builder, head_of_service: StaffMember) -> list:
    """(person, observer, place) of everyone observed: the settled practitioners
    by their managers, the head of service's managers by her, and the central
    team (no team) by whichever of hers supervises them."""
    observed = [(person, manager, index) for person, _rel, manager, index in b.practitioners]
    led = b.session.scalars(
        select(StaffMember)
        .join(SupervisionRelationship, SupervisionRelationship.supervisee_id == StaffMember.id)
        .where(
            SupervisionRelationship.supervisor_id == head_of_service.id,
            SupervisionRelationship.ended_on.is_(None),
        )
        .order_by(StaffMember.id)
    ).all()
    observed += [(person, head_of_service, index) for index, person in enumerate(led)]
    # The central team (on no team), by whichever of hers supervises them.
    central = b.session.execute(
        select(StaffMember, SupervisionRelationship.supervisor_id)
        .join(SupervisionRelationship, SupervisionRelationship.supervisee_id == StaffMember.id)
        .where(
            SupervisionRelationship.supervisor_id.in_([p.id for p in led]),
            SupervisionRelationship.ended_on.is_(None),
            StaffMember.team_id.is_(None),
            StaffMember.left_on.is_(None),
        )
        .order_by(StaffMember.id)
    ).all()
    by_id = {p.id: p for p in led}
    observed += [(person, by_id[boss], n) for n, (person, boss) in enumerate(central)]
    return observed


_LAST_YEAR = ((300, True), (200, True), (100, False))  # days before this year began


def registration_checks(b: Builder) -> None:
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


def review_questionnaires(b: Builder) -> None:
    """Lancashire Appendix A: the Supervision Annual Review form, completed when each
    agreement was re-signed at its review and forwarded to the supervisor's line
    manager two days later, except the most recent, still to forward."""
    reviews = sorted(b.practitioners, key=lambda p: -p[3])
    for n, (_person, rel, _manager, index) in enumerate(reviews):
        reviewed = 360 - index * 33
        b.review_questionnaire(
            rel, reviewed_days_ago=reviewed, forwarded_days_ago=None if n == 0 else reviewed - 2
        )


def group_agreement(b: Builder, team: Team, manager: StaffMember) -> None:
    """Lancashire Appendix A's Group Supervision Agreement for Grace Adeyemi's
    team, issued twelve days ago: the coordinator and two supervisees have
    signed; Sam Okafor and Leo Turner have not yet."""
    coordinator = b.team_member(
        "Jo Patel",
        team,
        manager,
        role=StaffRole.BUSINESS_SUPPORT,
        title="Team Coordinator",
        started_days_ago=500,
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


def head_of_service_sampling(b: Builder, area: ServiceArea, hos: StaffMember) -> None:
    """Lancashire §2.1: last quarter's sample, read in full; this quarter's,
    drawn on its first working day and not read yet. Both are drawn by the
    flow's own draw (models/actions/sampling.py), at the configured size, from
    the records the demo has just made."""
    b.session.flush()  # the records exist before the draw looks for them
    size = sample_size()
    this_first = first_working_day_of_quarter(b.today)
    last_first = first_working_day_of_quarter(quarter_bounds(quarter_of(b.today))[0] - _DAY)
    last = _demo_draw(b, area, last_first, size)
    _read_in_full(b, last, hos)
    if this_first <= b.today:
        _demo_draw(b, area, this_first, size)


_DAY = timedelta(days=1)


def _demo_draw(b: Builder, area: ServiceArea, drawn_on: date, size: int) -> Sample:
    """A reproducible salt, so the demo is the same every time for the same day."""
    quarter = quarter_of(drawn_on)
    salt = hashlib.sha256(f"demo:{b.org.slug}:{quarter}".encode()).hexdigest()[:16]
    return draw_in_session(b.session, area, quarter, size, drawn_on, salt)


def _read_in_full(b: Builder, sample: Sample, hos: StaffMember) -> None:
    """A finding on every record, a working day or two apart, then complete."""
    findings = {
        SESSION: "Record written up promptly; actions clear and reflective.",
        AGREEMENT: "Agreement in place and signed by both.",
        NO_AGREEMENT: "No agreement on file: raised with the team manager.",
    }
    day = sample.drawn_on
    for item in sample.items:
        day = min(day + timedelta(days=2), b.today)
        item.meets_standard = not item.was_overdue and item.object_type != NO_AGREEMENT
        item.finding = (
            findings[item.object_type]
            if item.meets_standard or item.object_type == NO_AGREEMENT
            else "Made late: discussed with the supervisor at their next supervision."
        )
        item.reviewed_on = day
        item.reviewed_by_id = hos.id
    sample.completed_on = day
