"""The demo head of service's quarterly samples are drawn by the flow's own
draw from the records the demo holds: never empty, sized as configured."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import Sample, ServiceArea
from models.actions.sample_population import AGREEMENT, SESSION
from models.actions.sampling import redraw
from models.actions.sampling_runs import draw_quarterly_samples
from models.demo import load_demo

TODAY = date(2026, 11, 23)


def _samples(db):
    with db() as session:
        return {
            s.quarter: (s, list(s.items))
            for s in session.scalars(select(Sample).order_by(Sample.quarter))
        }


def test_this_quarters_demo_sample_holds_records_from_the_area(db):
    load_demo(today=TODAY, session_factory=db)
    sample, items = _samples(db)["2026-Q4"]
    assert sample.completed_on is None
    assert len(items) == sample.size == 10
    assert {i.object_type for i in items} <= {SESSION, AGREEMENT, "supervision_relationship"}
    assert any(i.object_type == SESSION for i in items)
    assert all(i.reviewed_on is None for i in items)


def test_last_quarters_demo_sample_was_read_in_full_and_is_complete(db):
    load_demo(today=TODAY, session_factory=db)
    sample, items = _samples(db)["2026-Q3"]
    assert items, "last quarter's sample has records"
    assert all(i.finding and i.reviewed_on for i in items)
    assert sample.drawn_on <= min(i.reviewed_on for i in items)
    assert sample.completed_on == max(i.reviewed_on for i in items) <= TODAY


def test_the_demo_sample_is_what_its_recorded_seed_draws(db):
    load_demo(today=TODAY, session_factory=db)
    sample, items = _samples(db)["2026-Q4"]
    again = redraw(sample.id, session_factory=db)
    assert [(c.object_type, c.object_id) for c in again] == [
        (i.object_type, i.object_id) for i in items
    ]


def test_the_demo_sample_follows_the_configured_sample_size(db, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_SAMPLE_SIZE", "4")
    load_demo(today=TODAY, session_factory=db)
    sample, items = _samples(db)["2026-Q4"]
    assert sample.size == 4 and len(items) == 4


def test_the_quarterly_flow_finds_the_demo_sample_already_drawn(db):
    summary = load_demo(today=TODAY, session_factory=db)
    counts = draw_quarterly_samples(summary.organisation_id, TODAY, session_factory=db)
    assert (counts.drawn, counts.already_drawn) == (0, 1)
    with db() as session:
        assert session.scalar(select(ServiceArea.head_of_service_id)) is not None


def test_the_demo_draws_no_sample_before_the_quarters_first_working_day(db):
    load_demo(today=date(2027, 1, 1), session_factory=db)
    assert set(_samples(db)) == {"2026-Q4"}
