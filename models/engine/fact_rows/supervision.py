"""Agreements, sessions and group supervision, as engine facts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from models.engine.among import among
from models.tables.group_agreement import (
    GroupAgreementSignatory,
    GroupSupervisionAgreement,
    SupervisionGroup,
)
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
    Agreement,
    GroupAgreement,
    GroupSignatory,
    ReviewQuestionnaire,
)
from policy.facts import Session as SessionFact
from policy.keys import group_fact_id, relationship_fact_id, staff_fact_id


def agreement_facts(session: Session, rel_by_id: dict) -> tuple[Agreement, ...]:
    """Every signed version, superseded ones too: a version re-signed at the
    annual review is what meets the review of the version before it."""
    rows: dict[int, tuple] = {}
    signatures: dict[int, dict[SignatoryParty, date]] = defaultdict(dict)
    # One statement: each version with its signatures (a row per signature).
    for agreement_id, rel_id, weeks, reason, party, signed_on in session.execute(
        select(
            SupervisionAgreement.id,
            SupervisionAgreement.relationship_id,
            SupervisionAgreement.frequency_weeks,
            SupervisionAgreement.variation_reason,
            AgreementSignature.party,
            AgreementSignature.signed_on,
        )
        .join(
            AgreementSignature,
            AgreementSignature.agreement_id == SupervisionAgreement.id,
            isouter=True,
        )
        .where(among(SupervisionAgreement.relationship_id, rel_by_id))
        .order_by(SupervisionAgreement.relationship_id, SupervisionAgreement.version)
    ):
        rows.setdefault(agreement_id, (agreement_id, rel_id, weeks, reason))
        if party is not None:
            signatures[agreement_id][party] = signed_on
    out = []
    for agreement_id, rel_id, frequency_weeks, variation_reason in rows.values():
        signed = signatures.get(agreement_id)
        if not signed:
            continue
        rel = rel_by_id[rel_id]
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
                frequency_weeks=frequency_weeks,
                variation_reason=variation_reason,
            )
        )
    return tuple(out)


def session_facts(
    session: Session, rel_by_id: dict, staff_ids: set[int], *, individual_where, attendance_where
) -> tuple[SessionFact, ...]:
    """Held sessions of these relationships matching `individual_where`, and
    group supervision attendance matching `attendance_where`."""
    individual = _individual_sessions(session, rel_by_id, individual_where)
    group = _group_attendance(session, staff_ids, attendance_where)
    return tuple(sorted(individual + group, key=lambda s: (s.held_on, s.kind, s.supervisee)))


def signed_on(party: SignatoryParty):
    """The day a party signed the session's current record version, or NULL: a
    correlated lookup on the signature's unique key, one index probe per session
    read. (Joined instead, the planner hashes every signature ever made, and a
    batch's cost would grow with the years of history.)"""
    signature = aliased(SessionSignature)
    return select(signature.signed_on).where(of_current_record(signature, party)).scalar_subquery()


def of_current_record(signature, party: SignatoryParty):
    """`signature` (an alias of SessionSignature) is the party's signature of the
    session's current record version."""
    return and_(
        signature.session_id == SupervisionSession.id,
        signature.version == SupervisionSession.record_version,
        signature.party == party,
    )


def _individual_sessions(session: Session, rel_by_id: dict, where) -> list[SessionFact]:
    """Held sessions with both parties' signatures on their current record
    version, in one statement."""
    held = session.execute(
        select(
            SupervisionSession.id,
            SupervisionSession.relationship_id,
            SupervisionSession.held_on,
            SupervisionSession.recorded_on,
            SupervisionSession.shared_on,
            SupervisionSession.duration_minutes,
            SupervisionSession.kind,
            SupervisionSession.development_discussed,
            SupervisionSession.late_reason,
            SupervisionSession.record_version,
            signed_on(SignatoryParty.SUPERVISOR).label("record_signed_on"),
            signed_on(SignatoryParty.SUPERVISEE).label("countersigned_on"),
        )
        .where(
            among(SupervisionSession.relationship_id, rel_by_id),
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on.is_not(None),
            where,
        )
        .order_by(SupervisionSession.held_on, SupervisionSession.id)
    ).all()
    return [
        SessionFact(
            supervisee=staff_fact_id(rel_by_id[row.relationship_id].supervisee_id),
            supervisor=staff_fact_id(rel_by_id[row.relationship_id].supervisor_id),
            held_on=row.held_on,
            recorded_on=row.recorded_on,
            shared_on=row.shared_on,
            duration_minutes=row.duration_minutes,
            kind=row.kind.value,
            development_discussed=row.development_discussed,
            late_reason_recorded=bool(row.late_reason and row.late_reason.strip()),
            record_version=row.record_version,
            record_signed_on=row.record_signed_on,
            countersigned_on=row.countersigned_on,
        )
        for row in held
    ]


def _group_attendance(session: Session, staff_ids: set[int], where) -> list[SessionFact]:
    attended = session.execute(
        select(
            GroupSupervisionAttendance.staff_id,
            GroupSupervisionAttendance.attended_on,
            GroupSupervisionAttendance.facilitator_id,
        )
        .where(where)
        .order_by(GroupSupervisionAttendance.attended_on, GroupSupervisionAttendance.id)
    ).all()
    return [
        SessionFact(
            supervisee=staff_fact_id(staff_id),
            supervisor=staff_fact_id(facilitator) if facilitator in staff_ids else None,
            held_on=attended_on,
            kind="group",
        )
        for staff_id, attended_on, facilitator in attended
    ]


def questionnaire_facts(session: Session, rel_by_id: dict) -> tuple[ReviewQuestionnaire, ...]:
    rows = session.execute(
        select(
            QuestionnaireRow.relationship_id,
            QuestionnaireRow.reviewed_on,
            QuestionnaireRow.forwarded_on,
        )
        .where(among(QuestionnaireRow.relationship_id, rel_by_id))
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
