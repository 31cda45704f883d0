"""A supervisor's absence and the cover arranged for it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import Absence, CoverArrangement, StaffMember
from tests.factories.base import added, id_of


def make_absence(
    session: Session,
    staff: StaffMember | int,
    *,
    starts_on: date,
    ends_on: date | None = None,
    **columns,
) -> Absence:
    """An absence from `starts_on`, open-ended unless `ends_on` is given."""
    return added(
        session, Absence(staff_id=id_of(staff), starts_on=starts_on, ends_on=ends_on, **columns)
    )


def make_cover(
    session: Session,
    absent: StaffMember | int,
    cover: StaffMember | int,
    *,
    starts_on: date,
    ends_on: date | None = None,
    **columns,
) -> CoverArrangement:
    """`cover` covers `absent`'s supervisees from `starts_on`."""
    return added(
        session,
        CoverArrangement(
            absent_supervisor_id=id_of(absent),
            cover_supervisor_id=id_of(cover),
            starts_on=starts_on,
            ends_on=ends_on,
            **columns,
        ),
    )
