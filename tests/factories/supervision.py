"""Who supervises whom, their agreement, their sessions, group attendance."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from models import (
    AgreementSignature,
    AgreementStatus,
    GroupSupervisionAttendance,
    SessionSignature,
    SessionStatus,
    SignatoryParty,
    StaffMember,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)
from tests.factories.base import added, id_of, row_of

BOTH = (SignatoryParty.SUPERVISOR, SignatoryParty.SUPERVISEE)
Rel = SupervisionRelationship | int


def make_relationship(
    session: Session,
    supervisor: StaffMember | int,
    supervisee: StaffMember | int,
    *,
    started_on: date = date(2026, 1, 5),
    reason: str = "new_starter",
    **columns,
) -> SupervisionRelationship:
    return added(
        session,
        SupervisionRelationship(
            supervisor_id=id_of(supervisor),
            supervisee_id=id_of(supervisee),
            started_on=started_on,
            reason=reason,
            **columns,
        ),
    )


def _signatories(rel, signed_on, signatures) -> dict[str, tuple[int, date]]:
    """party -> (staff id, day): both parties on `signed_on`, or as `signatures` says."""
    days = dict.fromkeys(BOTH, signed_on) if signed_on else {}
    days.update({SignatoryParty(party): day for party, day in (signatures or {}).items()})
    staff = {
        SignatoryParty.SUPERVISOR: rel.supervisor_id,
        SignatoryParty.SUPERVISEE: rel.supervisee_id,
    }
    return {party: (staff[party], day) for party, day in days.items()}


def make_agreement(
    session: Session,
    rel: Rel,
    *,
    signed_on: date | None = None,
    signatures: Mapping[str, date] | None = None,
    version: int = 1,
    status: AgreementStatus | None = None,
    **columns,
) -> SupervisionAgreement:
    """Version `version` of rel's agreement, signed by both parties on
    `signed_on`, or by the parties in `signatures` ({"supervisor": day}).
    Its status follows the signatures unless given: in force once both have
    signed, awaiting countersignature once one has, else a draft."""
    rel = row_of(session, SupervisionRelationship, rel)
    signatories = _signatories(rel, signed_on, signatures)
    if status is None:
        status = (
            AgreementStatus.IN_FORCE
            if len(signatories) == 2
            else AgreementStatus.AWAITING_COUNTERSIGNATURE
            if signatories
            else AgreementStatus.DRAFT
        )
    agreement = SupervisionAgreement(
        relationship_id=rel.id, version=version, status=status, **columns
    )
    session.add(agreement)
    session.flush()
    for party, (staff_id, day) in signatories.items():
        session.add(
            AgreementSignature(
                agreement_id=agreement.id, party=party, staff_id=staff_id, signed_on=day
            )
        )
    session.flush()
    return agreement


def make_session(
    session: Session,
    rel: Rel,
    *,
    held_on: date | None = None,
    planned_on: date | None = None,
    signatures: Mapping[str, date] | None = None,
    **columns,
) -> SupervisionSession:
    """A supervision session of rel: held on `held_on`, or planned for
    `planned_on` when it has not been held; its record signed by the parties
    in `signatures` ({"supervisor": day}, on the record's current version)."""
    rel = row_of(session, SupervisionRelationship, rel)
    if held_on is None and planned_on is not None:
        columns.setdefault("status", SessionStatus.PLANNED)
    # A record written is shared with the supervisee that day unless `shared_on`
    # says otherwise, as the supervisor's signature shares it in the app.
    columns.setdefault("shared_on", columns.get("recorded_on"))
    row = SupervisionSession(
        relationship_id=rel.id, held_on=held_on, planned_on=planned_on, **columns
    )
    session.add(row)
    session.flush()
    for party, (staff_id, day) in _signatories(rel, None, signatures).items():
        session.add(
            SessionSignature(
                session_id=row.id,
                version=row.record_version or 1,
                party=party,
                staff_id=staff_id,
                signed_on=day,
            )
        )
    session.flush()
    return row


def make_group_attendance(
    session: Session,
    staff: StaffMember | int,
    *,
    attended_on: date,
    facilitator: StaffMember | int | None = None,
    **columns,
) -> GroupSupervisionAttendance:
    return added(
        session,
        GroupSupervisionAttendance(
            staff_id=id_of(staff),
            attended_on=attended_on,
            facilitator_id=id_of(facilitator),
            **columns,
        ),
    )
