"""Quarterly sampling for a whole organisation: on the first working day of
each quarter every head of service gets a random, reproducible sample of
supervision records and agreements from their own service area
(models.actions.sampling.draw_sample: seeded, recorded, weighted toward the
overdue, sized by OVERSIGHT_SAMPLE_SIZE). Runs daily and draws on the first
working day of the quarter, or on a later day of the quarter if that day's
run was missed; a draw is idempotent (one sample per service area and
quarter), so running again draws nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from models.actions.sampling import draw_sample, quarter_bounds, quarter_of, sample_size
from models.db import get_sessionmaker
from models.tables.org import ServiceArea
from policy.durations import is_working_day


def first_working_day_of_quarter(day: date) -> date:
    start, _ = quarter_bounds(quarter_of(day))
    while not is_working_day(start):
        start += timedelta(days=1)
    return start


@dataclass(frozen=True)
class SamplingCounts:
    organisation_id: int
    as_of: date
    quarter: str
    drawn: int  # new samples
    already_drawn: int
    items: int  # records in the new samples
    waiting_until: date | None = None  # before the quarter's first working day: nothing yet

    def report_lines(self) -> list[str]:
        if self.waiting_until is not None:
            return [
                f"Samples for {self.quarter} are drawn on its first working day, "
                f"{self.waiting_until:%-d %B %Y}."
            ]
        return [
            f"Quarterly samples for {self.quarter}: {self.drawn} drawn "
            f"({self.items} records), {self.already_drawn} already drawn."
        ]


def draw_quarterly_samples(
    organisation_id: int,
    as_of: date,
    *,
    head_of_service_id: int | None = None,
    size: int | None = None,
    salt: str | None = None,
    session_factory: sessionmaker | None = None,
) -> SamplingCounts:
    """Draw this quarter's sample for every service area with a head of
    service (or only those `head_of_service_id` heads)."""
    quarter = quarter_of(as_of)
    first = first_working_day_of_quarter(as_of)
    if as_of < first:
        return SamplingCounts(organisation_id, as_of, quarter, 0, 0, 0, waiting_until=first)
    size = sample_size() if size is None else size
    query = select(ServiceArea.id).where(
        ServiceArea.organisation_id == organisation_id, ServiceArea.head_of_service_id.is_not(None)
    )
    if head_of_service_id is not None:
        query = query.where(ServiceArea.head_of_service_id == head_of_service_id)
    with (session_factory or get_sessionmaker())() as session:
        area_ids = list(session.scalars(query.order_by(ServiceArea.id)))
    drawn = already = items = 0
    for area_id in area_ids:
        result = draw_sample(
            area_id, quarter, size, as_of, salt=salt, session_factory=session_factory
        )
        if result.created:
            drawn += 1
            items += result.item_count
        else:
            already += 1
    return SamplingCounts(organisation_id, as_of, quarter, drawn, already, items)
