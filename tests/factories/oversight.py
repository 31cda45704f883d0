"""Oversight facts: observations, annual review questionnaires, registration
and DBS checks, ASYE reviews, hours worked by casual staff, samples."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy.orm import Session

from models import (
    AsyeReview,
    CheckKind,
    HoursWorked,
    Observation,
    ObservationKind,
    ObservationSignature,
    RegistrationCheck,
    ReviewQuestionnaire,
    Sample,
    SampleItem,
    ServiceArea,
    StaffMember,
    SupervisionRelationship,
)
from tests.factories.base import added, id_of


def make_observation(
    session: Session,
    staff: StaffMember | int,
    *,
    observer: StaffMember | int,
    observed_on: date,
    kind: ObservationKind | str = ObservationKind.PRACTICE,
    signatures: Mapping[str, date] | None = None,
    **columns,
) -> Observation:
    """`observer` observes `staff`'s practice (or, with kind "supervision", a
    supervision they lead) on `observed_on`; `signatures` ({"supervisee": day,
    "supervisor": day}) are the parties who have signed it, in that order."""
    observation = added(
        session,
        Observation(
            kind=kind,
            staff_id=id_of(staff),
            observer_id=id_of(observer),
            observed_on=observed_on,
            **columns,
        ),
    )
    signer = {"supervisee": observation.staff_id, "supervisor": observation.observer_id}
    for party, day in (signatures or {}).items():
        session.add(
            ObservationSignature(
                observation_id=observation.id,
                party=party,
                staff_id=signer[str(party)],
                signed_on=day,
            )
        )
    session.flush()
    return observation


def make_review_questionnaire(
    session: Session,
    rel: SupervisionRelationship | int,
    *,
    reviewed_on: date,
    forwarded_to: StaffMember | int | None = None,
    **columns,
) -> ReviewQuestionnaire:
    return added(
        session,
        ReviewQuestionnaire(
            relationship_id=id_of(rel),
            reviewed_on=reviewed_on,
            forwarded_to_id=id_of(forwarded_to),
            **columns,
        ),
    )


def make_check(
    session: Session,
    staff: StaffMember | int,
    *,
    checked_on: date,
    kind: CheckKind | str = CheckKind.REGISTRATION,
    **columns,
) -> RegistrationCheck:
    """A Social Work England registration check, or a DBS check with kind="dbs"."""
    return added(
        session,
        RegistrationCheck(staff_id=id_of(staff), kind=kind, checked_on=checked_on, **columns),
    )


def make_asye_review(
    session: Session, staff: StaffMember | int, *, stage: int, reviewed_on: date, **columns
) -> AsyeReview:
    """An ASYE review held: stage is the month (3, 6 or 12)."""
    return added(
        session,
        AsyeReview(staff_id=id_of(staff), stage=stage, reviewed_on=reviewed_on, **columns),
    )


def make_hours_worked(
    session: Session, staff: StaffMember | int, *, worked_on: date, hours: float
) -> HoursWorked:
    return added(session, HoursWorked(staff_id=id_of(staff), worked_on=worked_on, hours=hours))


def make_sample(
    session: Session,
    area: ServiceArea | int,
    *,
    quarter: str,
    drawn_on: date,
    sampler: StaffMember | int | None = None,
    items: Iterable[tuple[str, int]] = (),
    seed: str = "seed",
    **columns,
) -> Sample:
    """A head of service's sample for `quarter` ("2026-Q1"), with `items` as
    (object type, object id), e.g. ("supervision_session", 12), in order."""
    items = list(items)
    columns.setdefault("size", len(items) or 1)
    sample = added(
        session,
        Sample(
            service_area_id=id_of(area),
            sampler_id=id_of(sampler),
            quarter=quarter,
            seed=seed,
            drawn_on=drawn_on,
            **columns,
        ),
    )
    for position, (object_type, object_id) in enumerate(items, start=1):
        session.add(
            SampleItem(
                sample_id=sample.id,
                position=position,
                object_type=object_type,
                object_id=object_id,
            )
        )
    session.flush()
    return sample
