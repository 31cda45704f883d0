"""Group supervision: a group, a version of its agreement, its signatories."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from models import (
    GroupAgreementSignatory,
    GroupParty,
    GroupSupervisionAgreement,
    StaffMember,
    SupervisionGroup,
    Team,
)
from tests.factories.base import added, id_of, row_of


def make_group_agreement(
    session: Session,
    supervisor: StaffMember | int,
    *,
    issued_on: date,
    signatories: Iterable[tuple[StaffMember | int, GroupParty | str, date | None]] = (),
    name: str | None = None,
    team: Team | int | None = None,
    frequency_weeks: int = 4,
    version: int = 1,
    **columns,
) -> GroupSupervisionAgreement:
    """A new group led by `supervisor` and the first (or `version`) version of
    its agreement, issued on `issued_on`, naming `signatories` as (person,
    party, day they signed or None). The group is the version's `.group`."""
    supervisor = row_of(session, StaffMember, supervisor)
    group = SupervisionGroup(
        organisation_id=supervisor.organisation_id,
        supervisor_id=supervisor.id,
        team_id=id_of(team),
        name=name or f"{supervisor.name}'s group",
    )
    agreement = GroupSupervisionAgreement(
        group=group,
        version=version,
        frequency_weeks=frequency_weeks,
        issued_on=issued_on,
        **columns,
    )
    session.add_all([group, agreement])
    for person, party, signed_on in signatories:
        agreement.signatories.append(
            GroupAgreementSignatory(staff_id=id_of(person), party=party, signed_on=signed_on)
        )
    return added(session, agreement)
