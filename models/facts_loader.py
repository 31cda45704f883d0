"""Read the policy engine's facts from the tables, naming things the way the
engine does ("staff-7", "rel-42", "team-3", the council's case IDs), so the
command line and the database-backed reconcile give the same answer for the
same facts (issue 3).

Set-based: one query per kind of fact, whatever the size of the organisation.
How each fact is read from the tables:

- Staff.team is "team-{team_id}". Registration: the latest registration check
  gives `registration_checked_on`; `registration_renews_on` is the check's
  recorded `valid_until` if any, else the 30 November on or after the check,
  the day Social Work England's yearly renewal window (1 September to
  30 November) closes. The engine repeats the renewal every year from that day.
  Nobody with no registration check on file owes one (see load_facts).
- DBS: the latest DBS check gives `dbs_checked_on`; `dbs_recheck_due_on` is
  that day plus OVERSIGHT_DBS_RECHECK_YEARS (models/configuration.py, default
  3), the interval in force now, so changing the setting moves everyone's
  next re-check at once. With no DBS check on file both are None and the
  engine owes one from the start date (policy/rules/workforce.py).
- ASYE reviews are the recorded reviews (staff, stage, reviewed_on).
- Cases are the allocations that have not ended: id = case_ref, worker = the
  allocated worker, supervised_on / recorded_on = that allocation's case
  supervisions. A reallocation starts a new allocation, so the new worker's
  supervision clock restarts. Decisions are the case supervisions marked as
  important decisions, on any allocation of a case that is still open.
- Observations count once observed and signed by both. Absences carry the start of the earliest
  cover arrangement for that supervisor that overlaps the absence. Samplings
  are completed samples (by = the sampler). Audits are case-file audits of
  open cases. Group supervision attendance is a Session of kind "group".
- Group agreements are "grp-{group_id}"; each version carries its group's
  supervisor and end date, and its signatories their signatures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from models.cases import CaseAllocation, CaseFileAudit, CaseSupervision
from models.configuration import dbs_recheck_years
from models.group_agreement import (
    GroupAgreementSignatory,
    GroupSupervisionAgreement,
    SupervisionGroup,
)
from models.org import ServiceArea, StaffMember
from models.oversight import Absence as AbsenceRow
from models.oversight import AsyeReview as AsyeReviewRow
from models.oversight import (
    CheckKind,
    CoverArrangement,
    ObservationSignature,
    RegistrationCheck,
    Sample,
)
from models.oversight import HoursWorked as HoursRow
from models.oversight import Observation as ObservationRow
from models.oversight import ReviewQuestionnaire as QuestionnaireRow
from models.supervision import (
    AgreementSignature,
    GroupSupervisionAttendance,
    SessionSignature,
    SessionStatus,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.facts import (
    Absence,
    Agreement,
    AsyeReview,
    Audit,
    Case,
    Decision,
    Facts,
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

# Social Work England's yearly renewal window closes on 30 November.
SWE_RENEWAL_CLOSES = (11, 30)


def staff_fact_id(staff_id: int) -> str:
    return f"staff-{staff_id}"


def group_fact_id(group_id: int) -> str:
    return f"grp-{group_id}"


def relationship_fact_id(relationship_id: int) -> str:
    return f"rel-{relationship_id}"


def team_fact_id(team_id: int) -> str:
    return f"team-{team_id}"


def parse_fact_id(fact_id: str | None, prefix: str) -> int | None:
    """ "staff-7" -> 7 for prefix "staff"; None for anything else."""
    if fact_id and fact_id.startswith(prefix + "-") and fact_id[len(prefix) + 1 :].isdigit():
        return int(fact_id[len(prefix) + 1 :])
    return None


def registration_renews_on(checked_on: date, valid_until: date | None = None) -> date:
    """The renewal a registration check looks ahead to: the date the check
    recorded, or else the close of the Social Work England renewal window (30
    November) on or after the check."""
    if valid_until is not None:
        return valid_until
    closes = date(checked_on.year, *SWE_RENEWAL_CLOSES)
    return closes if closes >= checked_on else date(checked_on.year + 1, *SWE_RENEWAL_CLOSES)


def load_facts(session: Session, organisation_id: int) -> Facts:
    """Everything the engine needs about one organisation, in a stable order.

    A reconcile for one subject loads the same facts and filters the
    obligations, so cross-subject rules (a supervisor's load) stay correct."""
    staff_rows = session.scalars(
        select(StaffMember)
        .where(StaffMember.organisation_id == organisation_id)
        .order_by(StaffMember.id)
    ).all()
    staff_ids = {s.id for s in staff_rows}
    in_org = StaffMember.organisation_id == organisation_id

    registration = _latest_registration_checks(session, organisation_id)
    dbs = _latest_dbs_checks(session, organisation_id)
    staff = tuple(
        Staff(
            id=staff_fact_id(s.id),
            role=s.role.value,
            started_on=s.started_on,
            left_on=s.left_on,
            asye=s.asye,
            employment=s.employment.value,
            line_manager=(
                staff_fact_id(s.line_manager_id) if s.line_manager_id in staff_ids else None
            ),
            team=team_fact_id(s.team_id) if s.team_id else None,
            registration_checked_on=registration[s.id][0] if s.id in registration else None,
            registration_renews_on=registration[s.id][1] if s.id in registration else None,
            dbs_checked_on=dbs[s.id][0] if s.id in dbs else None,
            dbs_recheck_due_on=dbs[s.id][1] if s.id in dbs else None,
            records_deleted_on=s.records_deleted_on,
        )
        for s in staff_rows
    )

    rel_rows = session.scalars(
        select(SupervisionRelationship)
        .join(StaffMember, StaffMember.id == SupervisionRelationship.supervisee_id)
        .where(in_org, SupervisionRelationship.supervisor_id.in_(staff_ids))
        .order_by(SupervisionRelationship.id)
    ).all()
    relationships = tuple(
        Relationship(
            id=relationship_fact_id(r.id),
            supervisor=staff_fact_id(r.supervisor_id),
            supervisee=staff_fact_id(r.supervisee_id),
            started_on=r.started_on,
            ended_on=r.ended_on,
            reason=r.reason.value,
        )
        for r in rel_rows
    )
    rel_by_id = {r.id: r for r in rel_rows}

    cases, case_refs_by_allocation = _cases(session, organisation_id)
    return Facts(
        staff=staff,
        relationships=relationships,
        agreements=_agreements(session, rel_by_id),
        sessions=_sessions(session, rel_by_id, staff_ids),
        cases=cases,
        hours_worked=_hours_worked(session, in_org),
        absences=_absences(session, in_org),
        observations=_observations(session, in_org, staff_ids),
        samplings=_samplings(session, organisation_id, staff_ids),
        audits=_audits(session, case_refs_by_allocation, staff_ids),
        decisions=_decisions(session, case_refs_by_allocation),
        review_questionnaires=_review_questionnaires(session, rel_by_id),
        asye_reviews=_asye_reviews(session, in_org),
        **_group_agreements(session, organisation_id),
    )


def _group_agreements(session: Session, organisation_id: int) -> dict[str, tuple]:
    rows = session.execute(
        select(GroupSupervisionAgreement, SupervisionGroup)
        .join(SupervisionGroup, SupervisionGroup.id == GroupSupervisionAgreement.group_id)
        .where(SupervisionGroup.organisation_id == organisation_id)
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


def _latest_registration_checks(
    session: Session, organisation_id: int
) -> dict[int, tuple[date, date]]:
    """staff id -> (checked on, renews on) from their latest registration check."""
    rows = session.execute(
        select(
            RegistrationCheck.staff_id, RegistrationCheck.checked_on, RegistrationCheck.valid_until
        )
        .join(StaffMember, StaffMember.id == RegistrationCheck.staff_id)
        .where(
            StaffMember.organisation_id == organisation_id,
            RegistrationCheck.kind == CheckKind.REGISTRATION,
        )
        .order_by(RegistrationCheck.staff_id, RegistrationCheck.checked_on, RegistrationCheck.id)
    ).all()
    latest = {}
    for staff_id, checked_on, valid_until in rows:  # ordered: the last one wins
        latest[staff_id] = (checked_on, registration_renews_on(checked_on, valid_until))
    return latest


def _latest_dbs_checks(session: Session, organisation_id: int) -> dict[int, tuple[date, date]]:
    """staff id -> (checked on, re-check due on) from their latest DBS check."""
    years = relativedelta(years=dbs_recheck_years())
    rows = session.execute(
        select(RegistrationCheck.staff_id, func.max(RegistrationCheck.checked_on))
        .join(StaffMember, StaffMember.id == RegistrationCheck.staff_id)
        .where(
            StaffMember.organisation_id == organisation_id,
            RegistrationCheck.kind == CheckKind.DBS,
        )
        .group_by(RegistrationCheck.staff_id)
    ).all()
    return {staff_id: (checked_on, checked_on + years) for staff_id, checked_on in rows}


def _agreements(session: Session, rel_by_id: dict) -> tuple[Agreement, ...]:
    """Every signed version, superseded ones too: a version re-signed at the
    annual review is what meets the review of the version before it."""
    rows = session.scalars(
        select(SupervisionAgreement)
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


def _sessions(session: Session, rel_by_id: dict, staff_ids: set[int]) -> tuple[SessionFact, ...]:
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
        )
        .order_by(SupervisionSession.held_on, SupervisionSession.id)
    ).all()
    # Who signed which version of each record: (session id, version, party) -> day.
    signed = {
        (session_id, version, party): signed_on
        for session_id, version, party, signed_on in session.execute(
            select(
                SessionSignature.session_id,
                SessionSignature.version,
                SessionSignature.party,
                SessionSignature.signed_on,
            )
            .join(SupervisionSession, SupervisionSession.id == SessionSignature.session_id)
            .where(SupervisionSession.relationship_id.in_(rel_by_id))
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
        .where(GroupSupervisionAttendance.staff_id.in_(staff_ids))
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


def _cases(session: Session, organisation_id: int) -> tuple[tuple[Case, ...], dict[int, str]]:
    """Open allocations as cases, and every allocation id of an open case -> its case ID."""
    allocations = session.scalars(
        select(CaseAllocation)
        .where(CaseAllocation.organisation_id == organisation_id)
        .order_by(CaseAllocation.case_ref, CaseAllocation.allocated_on, CaseAllocation.id)
    ).all()
    current: dict[str, CaseAllocation] = {}
    for a in allocations:  # ordered: a later open allocation of the same case wins
        if a.ended_on is None:
            current[a.case_ref] = a
    refs = {a.id: a.case_ref for a in allocations if a.case_ref in current}
    supervised: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for allocation_id, supervised_on, recorded_on in session.execute(
        select(
            CaseSupervision.allocation_id,
            CaseSupervision.supervised_on,
            CaseSupervision.recorded_on,
        )
        .join(CaseAllocation, CaseAllocation.id == CaseSupervision.allocation_id)
        .where(CaseAllocation.organisation_id == organisation_id, CaseAllocation.ended_on.is_(None))
    ):
        supervised[allocation_id].append((supervised_on, recorded_on))
    cases = tuple(
        Case(
            id=a.case_ref,
            type=a.case_type.value,
            worker=staff_fact_id(a.worker_id),
            allocated_on=a.allocated_on,
            frequency_weeks=a.frequency_weeks,
            supervised_on=tuple(sorted(day for day, _ in supervised[a.id])),
            recorded_on=tuple(sorted(rec for _, rec in supervised[a.id] if rec is not None)),
        )
        for _, a in sorted(current.items())
    )
    return cases, refs


def _decisions(session: Session, case_refs: dict[int, str]) -> tuple[Decision, ...]:
    rows = session.execute(
        select(
            CaseSupervision.allocation_id,
            CaseSupervision.supervised_on,
            CaseSupervision.recorded_on,
        )
        .where(
            CaseSupervision.allocation_id.in_(case_refs),
            CaseSupervision.important_decision.is_(True),
        )
        .order_by(CaseSupervision.supervised_on, CaseSupervision.id)
    ).all()
    return tuple(
        Decision(case=case_refs[allocation_id], made_on=made_on, recorded_on=recorded_on)
        for allocation_id, made_on, recorded_on in rows
    )


def _audits(session: Session, case_refs: dict[int, str], staff_ids: set[int]) -> tuple[Audit, ...]:
    rows = session.execute(
        select(CaseFileAudit.allocation_id, CaseFileAudit.audited_on, CaseFileAudit.audited_by_id)
        .where(CaseFileAudit.allocation_id.in_(case_refs))
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


def _hours_worked(session: Session, in_org) -> tuple[HoursWorked, ...]:
    rows = session.execute(
        select(HoursRow.staff_id, HoursRow.worked_on, HoursRow.hours)
        .join(StaffMember, StaffMember.id == HoursRow.staff_id)
        .where(in_org)
        .order_by(HoursRow.staff_id, HoursRow.worked_on)
    ).all()
    return tuple(
        HoursWorked(staff=staff_fact_id(staff_id), worked_on=worked_on, hours=float(hours))
        for staff_id, worked_on, hours in rows
    )


def _absences(session: Session, in_org) -> tuple[Absence, ...]:
    absences = session.execute(
        select(AbsenceRow.staff_id, AbsenceRow.starts_on, AbsenceRow.ends_on)
        .join(StaffMember, StaffMember.id == AbsenceRow.staff_id)
        .where(in_org)
        .order_by(AbsenceRow.staff_id, AbsenceRow.starts_on, AbsenceRow.id)
    ).all()
    covers: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for absent_id, starts_on, ends_on in session.execute(
        select(
            CoverArrangement.absent_supervisor_id,
            CoverArrangement.starts_on,
            CoverArrangement.ends_on,
        )
        .join(StaffMember, StaffMember.id == CoverArrangement.absent_supervisor_id)
        .where(in_org)
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


def _observations(session: Session, in_org, staff_ids: set[int]) -> tuple[Observation, ...]:
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
            in_org,
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


def _samplings(session: Session, organisation_id: int, staff_ids: set[int]) -> tuple[Sampling, ...]:
    rows = session.execute(
        select(Sample.sampler_id, Sample.completed_on)
        .join(ServiceArea, ServiceArea.id == Sample.service_area_id)
        .where(
            ServiceArea.organisation_id == organisation_id,
            Sample.completed_on.is_not(None),
            Sample.sampler_id.is_not(None),
        )
        .order_by(Sample.completed_on, Sample.id)
    ).all()
    return tuple(
        Sampling(by=staff_fact_id(sampler), sampled_on=completed_on)
        for sampler, completed_on in rows
        if sampler in staff_ids
    )


def _review_questionnaires(session: Session, rel_by_id: dict) -> tuple[ReviewQuestionnaire, ...]:
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


def _asye_reviews(session: Session, in_org) -> tuple[AsyeReview, ...]:
    rows = session.execute(
        select(AsyeReviewRow.staff_id, AsyeReviewRow.stage, AsyeReviewRow.reviewed_on)
        .join(StaffMember, StaffMember.id == AsyeReviewRow.staff_id)
        .where(in_org)
        .order_by(AsyeReviewRow.staff_id, AsyeReviewRow.stage, AsyeReviewRow.id)
    ).all()
    return tuple(
        AsyeReview(staff=staff_fact_id(staff_id), stage=stage, reviewed_on=reviewed_on)
        for staff_id, stage, reviewed_on in rows
    )
