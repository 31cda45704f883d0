"""Rows to engine facts, one reader per kind of fact. Each takes the rows'
scope as a WHERE clause, so the whole-organisation loader (models/engine/facts_loader.py)
and the batch loader (models/engine/unit_facts.py) read facts the same way. How each
fact is read from the tables is described in models/engine/facts_loader.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from models.configuration import dbs_recheck_years
from models.tables.cases import CaseAllocation, CaseFileAudit, CaseSupervision
from models.tables.group_agreement import (
    GroupAgreementSignatory,
    GroupSupervisionAgreement,
    SupervisionGroup,
)
from models.tables.org import ServiceArea, StaffMember
from models.tables.oversight import Absence as AbsenceRow
from models.tables.oversight import AsyeReview as AsyeReviewRow
from models.tables.oversight import (
    CheckKind,
    CoverArrangement,
    ObservationSignature,
    RegistrationCheck,
    Sample,
)
from models.tables.oversight import HoursWorked as HoursRow
from models.tables.oversight import Observation as ObservationRow
from models.tables.oversight import ReviewQuestionnaire as QuestionnaireRow
from models.tables.supervision import (
    AgreementSignature,
    GroupSupervisionAttendance,
    SessionSignature,
    SessionStatus,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionSession,
)
from policy.facts import (
    Absence,
    Agreement,
    AsyeReview,
    Audit,
    Case,
    Decision,
    GroupAgreement,
    GroupSignatory,
    HoursWorked,
    Observation,
    Relationship,
    ReviewQuestionnaire,
    Sampling,
    Staff,
)
from policy.facts import Session as SessionFact
from policy.keys import group_fact_id, relationship_fact_id, staff_fact_id, team_fact_id

# Social Work England's yearly renewal window closes on 30 November.
SWE_RENEWAL_CLOSES = (11, 30)


def registration_renews_on(checked_on: date, valid_until: date | None = None) -> date:
    """The renewal a registration check looks ahead to: the date the check
    recorded, or else the close of the Social Work England renewal window (30
    November) on or after the check."""
    if valid_until is not None:
        return valid_until
    closes = date(checked_on.year, *SWE_RENEWAL_CLOSES)
    return closes if closes >= checked_on else date(checked_on.year + 1, *SWE_RENEWAL_CLOSES)


# --- people ---------------------------------------------------------------------------


def staff_facts(session: Session, organisation_id: int, ids: Iterable[int] | None = None):
    """Staff of the organisation (these ids, or all of them), by id."""
    query = select(
        StaffMember.id,
        StaffMember.role,
        StaffMember.started_on,
        StaffMember.left_on,
        StaffMember.asye,
        StaffMember.employment,
        StaffMember.line_manager_id,
        StaffMember.team_id,
        StaffMember.records_deleted_on,
    ).where(StaffMember.organisation_id == organisation_id)
    if ids is not None:
        query = query.where(StaffMember.id.in_(sorted(set(ids))))
    staff_rows = session.execute(query.order_by(StaffMember.id)).all()
    found = [s.id for s in staff_rows]
    managers = {s.line_manager_id for s in staff_rows} - {None}
    in_org = set(
        session.scalars(
            select(StaffMember.id).where(
                StaffMember.id.in_(managers), StaffMember.organisation_id == organisation_id
            )
        )
    )
    registration = _latest_registration_checks(session, found)
    dbs = _latest_dbs_checks(session, found)
    return tuple(
        Staff(
            id=staff_fact_id(s.id),
            role=s.role.value,
            started_on=s.started_on,
            left_on=s.left_on,
            asye=s.asye,
            employment=s.employment.value,
            line_manager=staff_fact_id(s.line_manager_id) if s.line_manager_id in in_org else None,
            team=team_fact_id(s.team_id) if s.team_id else None,
            registration_checked_on=registration[s.id][0] if s.id in registration else None,
            registration_renews_on=registration[s.id][1] if s.id in registration else None,
            dbs_checked_on=dbs[s.id][0] if s.id in dbs else None,
            dbs_recheck_due_on=dbs[s.id][1] if s.id in dbs else None,
            records_deleted_on=s.records_deleted_on,
        )
        for s in staff_rows
    )


def _latest_registration_checks(session: Session, staff_ids) -> dict[int, tuple[date, date]]:
    """staff id -> (checked on, renews on) from their latest registration check."""
    rows = session.execute(
        select(
            RegistrationCheck.staff_id, RegistrationCheck.checked_on, RegistrationCheck.valid_until
        )
        .where(
            RegistrationCheck.staff_id.in_(staff_ids),
            RegistrationCheck.kind == CheckKind.REGISTRATION,
        )
        .order_by(RegistrationCheck.staff_id, RegistrationCheck.checked_on, RegistrationCheck.id)
    ).all()
    latest = {}
    for staff_id, checked_on, valid_until in rows:  # ordered: the last one wins
        latest[staff_id] = (checked_on, registration_renews_on(checked_on, valid_until))
    return latest


def _latest_dbs_checks(session: Session, staff_ids) -> dict[int, tuple[date, date]]:
    """staff id -> (checked on, re-check due on) from their latest DBS check."""
    years = relativedelta(years=dbs_recheck_years())
    rows = session.execute(
        select(RegistrationCheck.staff_id, func.max(RegistrationCheck.checked_on))
        .where(RegistrationCheck.staff_id.in_(staff_ids), RegistrationCheck.kind == CheckKind.DBS)
        .group_by(RegistrationCheck.staff_id)
    ).all()
    return {staff_id: (checked_on, checked_on + years) for staff_id, checked_on in rows}


def relationship_facts(rel_rows) -> tuple[Relationship, ...]:
    return tuple(
        Relationship(
            id=relationship_fact_id(r.id),
            supervisor=staff_fact_id(r.supervisor_id),
            supervisee=staff_fact_id(r.supervisee_id),
            started_on=r.started_on,
            ended_on=r.ended_on,
            reason=r.reason.value,
        )
        for r in sorted(rel_rows, key=lambda r: r.id)
    )


# --- supervision ------------------------------------------------------------------------


def agreement_facts(session: Session, rel_by_id: dict) -> tuple[Agreement, ...]:
    """Every signed version, superseded ones too: a version re-signed at the
    annual review is what meets the review of the version before it."""
    rows = session.execute(
        select(
            SupervisionAgreement.id,
            SupervisionAgreement.relationship_id,
            SupervisionAgreement.frequency_weeks,
            SupervisionAgreement.variation_reason,
        )
        .where(SupervisionAgreement.relationship_id.in_(rel_by_id))
        .order_by(SupervisionAgreement.relationship_id, SupervisionAgreement.version)
    ).all()
    signatures: dict[int, dict[SignatoryParty, date]] = defaultdict(dict)
    for agreement_id, party, signed_on in session.execute(
        select(
            AgreementSignature.agreement_id, AgreementSignature.party, AgreementSignature.signed_on
        )
        .join(SupervisionAgreement, SupervisionAgreement.id == AgreementSignature.agreement_id)
        .where(SupervisionAgreement.relationship_id.in_(rel_by_id))
    ):
        signatures[agreement_id][party] = signed_on
    out = []
    for a in rows:
        signed = signatures.get(a.id)
        if not signed:
            continue
        rel = rel_by_id[a.relationship_id]
        supervisor_on = signed.get(SignatoryParty.SUPERVISOR)
        supervisee_on = signed.get(SignatoryParty.SUPERVISEE)
        both = supervisor_on is not None and supervisee_on is not None
        out.append(
            Agreement(
                relationship=relationship_fact_id(rel.id),
                supervisor=staff_fact_id(rel.supervisor_id),
                supervisee=staff_fact_id(rel.supervisee_id),
                supervisor_signed_on=supervisor_on,
                signed_on=max(supervisor_on, supervisee_on) if both else None,
                frequency_weeks=a.frequency_weeks,
                variation_reason=a.variation_reason,
            )
        )
    return tuple(out)


def session_facts(
    session: Session, rel_by_id: dict, staff_ids: set[int], *, individual_where, attendance_where
) -> tuple[SessionFact, ...]:
    """Held sessions of these relationships matching `individual_where`, and
    group supervision attendance matching `attendance_where`."""
    held = session.execute(
        select(
            SupervisionSession.id,
            SupervisionSession.relationship_id,
            SupervisionSession.held_on,
            SupervisionSession.recorded_on,
            SupervisionSession.kind,
            SupervisionSession.development_discussed,
            SupervisionSession.late_reason,
            SupervisionSession.record_version,
        )
        .where(
            SupervisionSession.relationship_id.in_(rel_by_id),
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on.is_not(None),
            individual_where,
        )
        .order_by(SupervisionSession.held_on, SupervisionSession.id)
    ).all()
    signed = {
        (session_id, version, party): signed_on
        for session_id, version, party, signed_on in session.execute(
            select(
                SessionSignature.session_id,
                SessionSignature.version,
                SessionSignature.party,
                SessionSignature.signed_on,
            ).where(SessionSignature.session_id.in_([row.id for row in held]))
        )
    }
    individual = [
        SessionFact(
            supervisee=staff_fact_id(rel_by_id[row.relationship_id].supervisee_id),
            supervisor=staff_fact_id(rel_by_id[row.relationship_id].supervisor_id),
            held_on=row.held_on,
            recorded_on=row.recorded_on,
            kind=row.kind.value,
            development_discussed=row.development_discussed,
            late_reason_recorded=bool(row.late_reason and row.late_reason.strip()),
            record_version=row.record_version,
            record_signed_on=signed.get((row.id, row.record_version, SignatoryParty.SUPERVISOR)),
            countersigned_on=signed.get((row.id, row.record_version, SignatoryParty.SUPERVISEE)),
        )
        for row in held
    ]
    attended = session.execute(
        select(
            GroupSupervisionAttendance.staff_id,
            GroupSupervisionAttendance.attended_on,
            GroupSupervisionAttendance.facilitator_id,
        )
        .where(attendance_where)
        .order_by(GroupSupervisionAttendance.attended_on, GroupSupervisionAttendance.id)
    ).all()
    group = [
        SessionFact(
            supervisee=staff_fact_id(staff_id),
            supervisor=staff_fact_id(facilitator) if facilitator in staff_ids else None,
            held_on=attended_on,
            kind="group",
        )
        for staff_id, attended_on, facilitator in attended
    ]
    return tuple(sorted(individual + group, key=lambda s: (s.held_on, s.kind, s.supervisee)))


def questionnaire_facts(session: Session, rel_by_id: dict) -> tuple[ReviewQuestionnaire, ...]:
    rows = session.execute(
        select(
            QuestionnaireRow.relationship_id,
            QuestionnaireRow.reviewed_on,
            QuestionnaireRow.forwarded_on,
        )
        .where(QuestionnaireRow.relationship_id.in_(rel_by_id))
        .order_by(QuestionnaireRow.reviewed_on, QuestionnaireRow.id)
    ).all()
    return tuple(
        ReviewQuestionnaire(
            relationship=relationship_fact_id(rel_id),
            reviewed_on=reviewed_on,
            forwarded_on=forwarded_on,
        )
        for rel_id, reviewed_on, forwarded_on in rows
    )


# --- cases ------------------------------------------------------------------------------


def case_facts_for(session: Session, allocations, supervision_where) -> tuple[Case, ...]:
    """These allocations as cases, with their supervisions matching `supervision_where`."""
    supervised: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    if allocations:
        for allocation_id, supervised_on, recorded_on in session.execute(
            select(
                CaseSupervision.allocation_id,
                CaseSupervision.supervised_on,
                CaseSupervision.recorded_on,
            ).where(
                CaseSupervision.allocation_id.in_([a.id for a in allocations]), supervision_where
            )
        ):
            supervised[allocation_id].append((supervised_on, recorded_on))
    return tuple(
        Case(
            id=a.case_ref,
            type=a.case_type.value,
            worker=staff_fact_id(a.worker_id),
            allocated_on=a.allocated_on,
            frequency_weeks=a.frequency_weeks,
            supervised_on=tuple(sorted(day for day, _ in supervised[a.id])),
            recorded_on=tuple(sorted(rec for _, rec in supervised[a.id] if rec is not None)),
        )
        for a in sorted(allocations, key=lambda a: a.case_ref)
    )


def open_allocations(session: Session, organisation_id: int, where=True):
    """The current allocation of each open case (a later open one of the same case wins)."""
    current: dict[str, CaseAllocation] = {}
    columns = (
        CaseAllocation.id,
        CaseAllocation.case_ref,
        CaseAllocation.case_type,
        CaseAllocation.worker_id,
        CaseAllocation.allocated_on,
        CaseAllocation.frequency_weeks,
    )
    for a in session.execute(
        select(*columns)
        .where(CaseAllocation.organisation_id == organisation_id, where)
        .where(CaseAllocation.ended_on.is_(None))
        .order_by(CaseAllocation.case_ref, CaseAllocation.allocated_on, CaseAllocation.id)
    ):
        current[a.case_ref] = a
    return current


def allocation_refs(session: Session, organisation_id: int, case_refs) -> dict[int, str]:
    """Every allocation of these cases (past ones too) -> its case ID."""
    return dict(
        session.execute(
            select(CaseAllocation.id, CaseAllocation.case_ref).where(
                CaseAllocation.organisation_id == organisation_id,
                CaseAllocation.case_ref.in_(list(case_refs)),
            )
        ).all()
    )


def decision_facts(session: Session, case_refs: dict[int, str], where=True):
    rows = session.execute(
        select(
            CaseSupervision.allocation_id,
            CaseSupervision.supervised_on,
            CaseSupervision.recorded_on,
        )
        .where(
            CaseSupervision.allocation_id.in_(case_refs),
            CaseSupervision.important_decision.is_(True),
            where,
        )
        .order_by(CaseSupervision.supervised_on, CaseSupervision.id)
    ).all()
    return tuple(
        Decision(case=case_refs[allocation_id], made_on=made_on, recorded_on=recorded_on)
        for allocation_id, made_on, recorded_on in rows
    )


def audit_facts(session: Session, case_refs: dict[int, str], staff_ids: set[int], where=True):
    rows = session.execute(
        select(CaseFileAudit.allocation_id, CaseFileAudit.audited_on, CaseFileAudit.audited_by_id)
        .where(CaseFileAudit.allocation_id.in_(case_refs), where)
        .order_by(CaseFileAudit.audited_on, CaseFileAudit.id)
    ).all()
    return tuple(
        Audit(
            case=case_refs[allocation_id],
            audited_on=audited_on,
            audited_by=staff_fact_id(by) if by in staff_ids else None,
        )
        for allocation_id, audited_on, by in rows
    )


# --- a person's other facts -------------------------------------------------------------


def hours_facts(session: Session, where) -> tuple[HoursWorked, ...]:
    rows = session.execute(
        select(HoursRow.staff_id, HoursRow.worked_on, HoursRow.hours)
        .join(StaffMember, StaffMember.id == HoursRow.staff_id)
        .where(where)
        .order_by(HoursRow.staff_id, HoursRow.worked_on)
    ).all()
    return tuple(
        HoursWorked(staff=staff_fact_id(staff_id), worked_on=worked_on, hours=float(hours))
        for staff_id, worked_on, hours in rows
    )


def absence_facts(session: Session, where) -> tuple[Absence, ...]:
    """Absences, each with the start of the earliest cover arrangement for that
    supervisor that overlaps it."""
    absences = session.execute(
        select(AbsenceRow.staff_id, AbsenceRow.starts_on, AbsenceRow.ends_on)
        .join(StaffMember, StaffMember.id == AbsenceRow.staff_id)
        .where(where)
        .order_by(AbsenceRow.staff_id, AbsenceRow.starts_on, AbsenceRow.id)
    ).all()
    covers: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for absent_id, starts_on, ends_on in session.execute(
        select(
            CoverArrangement.absent_supervisor_id,
            CoverArrangement.starts_on,
            CoverArrangement.ends_on,
        )
        .where(CoverArrangement.absent_supervisor_id.in_({a[0] for a in absences}))
        .order_by(CoverArrangement.starts_on, CoverArrangement.id)
    ):
        covers[absent_id].append((starts_on, ends_on))

    def overlaps(cover, start, end) -> bool:
        cover_start, cover_end = cover
        return (end is None or cover_start <= end) and (cover_end is None or cover_end >= start)

    return tuple(
        Absence(
            staff=staff_fact_id(staff_id),
            started_on=start,
            ended_on=end,
            cover_arranged_on=next(
                (c[0] for c in covers[staff_id] if overlaps(c, start, end)), None
            ),
        )
        for staff_id, start, end in absences
    )


def observation_facts(session: Session, where, staff_ids: set[int]) -> tuple[Observation, ...]:
    rows = session.execute(
        select(
            ObservationRow.staff_id,
            ObservationRow.observed_on,
            ObservationRow.kind,
            ObservationRow.with_family,
            ObservationRow.observer_id,
        )
        .join(StaffMember, StaffMember.id == ObservationRow.staff_id)
        .where(
            where,
            ObservationRow.observed_on.is_not(None),
            # An observation counts once both have signed it: a planned one whose
            # date has passed may never have happened.
            ObservationRow.id.in_(
                select(ObservationSignature.observation_id)
                .group_by(ObservationSignature.observation_id)
                .having(func.count(distinct(ObservationSignature.party)) == 2)
            ),
        )
        .order_by(ObservationRow.staff_id, ObservationRow.observed_on, ObservationRow.id)
    ).all()
    return tuple(
        Observation(
            staff=staff_fact_id(staff_id),
            observed_on=observed_on,
            kind=kind.value,
            with_family=with_family,
            observer=staff_fact_id(observer) if observer in staff_ids else None,
        )
        for staff_id, observed_on, kind, with_family, observer in rows
    )


def sampling_facts(session: Session, organisation_id: int, staff_ids, since: date | None = None):
    query = (
        select(Sample.sampler_id, Sample.completed_on)
        .join(ServiceArea, ServiceArea.id == Sample.service_area_id)
        .where(
            ServiceArea.organisation_id == organisation_id,
            Sample.completed_on.is_not(None),
            Sample.sampler_id.in_(staff_ids),
        )
        .order_by(Sample.completed_on, Sample.id)
    )
    if since is not None:
        query = query.where(Sample.completed_on >= since)
    return tuple(
        Sampling(by=staff_fact_id(sampler), sampled_on=completed_on)
        for sampler, completed_on in session.execute(query)
    )


def asye_review_facts(session: Session, where) -> tuple[AsyeReview, ...]:
    rows = session.execute(
        select(AsyeReviewRow.staff_id, AsyeReviewRow.stage, AsyeReviewRow.reviewed_on)
        .join(StaffMember, StaffMember.id == AsyeReviewRow.staff_id)
        .where(where)
        .order_by(AsyeReviewRow.staff_id, AsyeReviewRow.stage, AsyeReviewRow.id)
    ).all()
    return tuple(
        AsyeReview(staff=staff_fact_id(staff_id), stage=stage, reviewed_on=reviewed_on)
        for staff_id, stage, reviewed_on in rows
    )


def group_agreement_facts(session: Session, organisation_id: int, where=True) -> dict[str, tuple]:
    rows = session.execute(
        select(GroupSupervisionAgreement, SupervisionGroup)
        .join(SupervisionGroup, SupervisionGroup.id == GroupSupervisionAgreement.group_id)
        .where(SupervisionGroup.organisation_id == organisation_id, where)
        .order_by(SupervisionGroup.id, GroupSupervisionAgreement.version)
    ).all()
    versions = tuple(
        GroupAgreement(
            group=group_fact_id(group.id),
            version=version.version,
            supervisor=staff_fact_id(group.supervisor_id),
            issued_on=version.issued_on,
            ended_on=group.ended_on,
        )
        for version, group in rows
    )
    version_of = {version.id: (group.id, version.version) for version, group in rows}
    signatories = session.scalars(
        select(GroupAgreementSignatory)
        .where(GroupAgreementSignatory.agreement_id.in_(list(version_of)))
        .order_by(GroupAgreementSignatory.agreement_id, GroupAgreementSignatory.id)
    ).all()
    return {
        "group_agreements": versions,
        "group_signatories": tuple(
            GroupSignatory(
                group=group_fact_id(version_of[s.agreement_id][0]),
                version=version_of[s.agreement_id][1],
                staff=staff_fact_id(s.staff_id),
                party=s.party.value,
                signed_on=s.signed_on,
            )
            for s in signatories
        ),
    }
