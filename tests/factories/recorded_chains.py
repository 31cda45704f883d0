"""Missed sessions raised (Wokingham standards 14-15, models/tables/missed_session.py)
and management oversight entries on a child's record (standards 25-27,
models/tables/case_oversight.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import CaseAllocation, CaseOversight, MissedSession, StaffMember
from tests.factories.base import added, id_of


def make_missed_session(
    session: Session,
    relationship,
    *,
    due_on: date,
    raised_on: date,
    escalated_on: date | None = None,
    responded_on: date | None = None,
    responded_by: StaffMember | int | None = None,
    note: str = "Not held; raised with my supervisor.",
) -> MissedSession:
    return added(
        session,
        MissedSession(
            relationship_id=id_of(relationship),
            due_on=due_on,
            raised_on=raised_on,
            raised_note=note,
            escalated_on=escalated_on,
            responded_on=responded_on,
            responded_by_id=id_of(responded_by),
        ),
    )


def make_case_oversight(
    session: Session,
    case: CaseAllocation | int,
    recorded_by: StaffMember | int,
    *,
    recorded_on: date,
    summary: str = "Plan reviewed; visits on track.",
) -> CaseOversight:
    return added(
        session,
        CaseOversight(
            allocation_id=id_of(case),
            recorded_on=recorded_on,
            recorded_by_id=id_of(recorded_by),
            summary=summary,
        ),
    )
