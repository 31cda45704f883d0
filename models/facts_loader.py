"""Read the policy engine's facts from the tables, naming things the way the
engine does ("staff-7", "rel-42"), so the command line and the database-backed
reconcile give the same answer for the same facts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.org import StaffMember
from models.supervision import (
    AgreementStatus,
    SessionStatus,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from policy.facts import Agreement, Facts, Relationship, Staff
from policy.facts import Session as SessionFact


def staff_fact_id(staff_id: int) -> str:
    return f"staff-{staff_id}"


def relationship_fact_id(relationship_id: int) -> str:
    return f"rel-{relationship_id}"


def parse_fact_id(fact_id: str | None, prefix: str) -> int | None:
    """ "staff-7" -> 7 for prefix "staff"; None for anything else."""
    if fact_id and fact_id.startswith(prefix + "-") and fact_id[len(prefix) + 1 :].isdigit():
        return int(fact_id[len(prefix) + 1 :])
    return None


def load_facts(session: Session, organisation_id: int) -> Facts:
    """Everything the engine needs about one organisation, in a stable order.

    A whole organisation of a few hundred staff is a handful of set-based
    queries; a reconcile for one subject loads the same facts and filters the
    obligations, so cross-subject rules (a supervisor's load) stay correct."""
    staff_rows = session.scalars(
        select(StaffMember)
        .where(StaffMember.organisation_id == organisation_id)
        .order_by(StaffMember.id)
    ).all()
    staff_ids = {s.id for s in staff_rows}
    staff = tuple(
        Staff(
            id=staff_fact_id(s.id),
            role=s.role.value,
            started_on=s.started_on,
            left_on=s.left_on,
            asye=s.asye,
            employment=s.employment.value,
            line_manager=staff_fact_id(s.line_manager_id) if s.line_manager_id else None,
        )
        for s in staff_rows
    )

    rel_rows = session.scalars(
        select(SupervisionRelationship)
        .where(SupervisionRelationship.supervisee_id.in_(staff_ids))
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

    agreement_rows = session.scalars(
        select(SupervisionAgreement)
        .where(SupervisionAgreement.relationship_id.in_(rel_by_id))
        .order_by(SupervisionAgreement.relationship_id, SupervisionAgreement.version)
    ).all()
    agreements = tuple(
        _agreement_fact(a, rel_by_id[a.relationship_id])
        for a in agreement_rows
        if a.status != AgreementStatus.SUPERSEDED and a.signatures
    )

    session_rows = session.scalars(
        select(SupervisionSession)
        .where(
            SupervisionSession.relationship_id.in_(rel_by_id),
            SupervisionSession.status == SessionStatus.HELD,
            SupervisionSession.held_on.is_not(None),
        )
        .order_by(SupervisionSession.held_on, SupervisionSession.id)
    ).all()
    sessions = tuple(
        SessionFact(
            supervisee=staff_fact_id(rel_by_id[s.relationship_id].supervisee_id),
            supervisor=staff_fact_id(rel_by_id[s.relationship_id].supervisor_id),
            held_on=s.held_on,
            recorded_on=s.recorded_on,
            kind=s.kind.value,
            development_discussed=s.development_discussed,
        )
        for s in session_rows
    )
    return Facts(staff=staff, relationships=relationships, agreements=agreements, sessions=sessions)


def _agreement_fact(agreement: SupervisionAgreement, rel: SupervisionRelationship) -> Agreement:
    supervisor_sig = agreement.signature_by(SignatoryParty.SUPERVISOR)
    supervisee_sig = agreement.signature_by(SignatoryParty.SUPERVISEE)
    both = supervisor_sig is not None and supervisee_sig is not None
    return Agreement(
        relationship=relationship_fact_id(rel.id),
        supervisor=staff_fact_id(rel.supervisor_id),
        supervisee=staff_fact_id(rel.supervisee_id),
        supervisor_signed_on=supervisor_sig.signed_on if supervisor_sig else None,
        signed_on=max(supervisor_sig.signed_on, supervisee_sig.signed_on) if both else None,
        frequency_weeks=agreement.frequency_weeks,
    )
