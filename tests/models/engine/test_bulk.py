"""Many rows in at once: a first run fills an empty table batch by batch, and
the planner must not go on believing it empty."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from models import ReconcileWake
from models.engine.bulk import ANALYSE_AFTER_ROWS, insert_new, upsert_rows
from tests.factories.people import make_organisation

WAKE = date(2026, 12, 1)


def _wakes(organisation_id: int, first: int, count: int) -> list[dict]:
    return [
        {
            "organisation_id": organisation_id,
            "lifecycle": "case_supervision",
            "unit": f"case:C{n:06d}",
            "wake_on": WAKE,
        }
        for n in range(first, first + count)
    ]


def _insert(session, rows) -> list[tuple]:
    return insert_new(
        session,
        ReconcileWake.__table__,
        rows,
        unique=("organisation_id", "lifecycle", "unit"),
        returning=("unit",),
    )


def _rows_the_planner_believes(session) -> float:
    return session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'reconcile_wake'"))


def test_a_bulk_insert_that_more_than_doubles_a_table_has_it_analysed_at_once(db, postgres_only):
    with db() as session, session.begin():
        org = make_organisation(session)
        session.execute(text("ANALYZE reconcile_wake"))
        assert _rows_the_planner_believes(session) == 0

        first = ANALYSE_AFTER_ROWS + 100
        assert len(_insert(session, _wakes(org.id, 0, first))) == first
        assert _rows_the_planner_believes(session) == first


def test_a_bulk_insert_that_does_not_double_the_table_leaves_its_statistics_alone(
    db, postgres_only
):
    with db() as session, session.begin():
        org = make_organisation(session)
        session.execute(text("ANALYZE reconcile_wake"))
        first = 2 * ANALYSE_AFTER_ROWS
        _insert(session, _wakes(org.id, 0, first))
        assert _rows_the_planner_believes(session) == first

        _insert(session, _wakes(org.id, first, ANALYSE_AFTER_ROWS))
        assert _rows_the_planner_believes(session) == first


def test_a_small_insert_into_an_empty_table_is_not_worth_analysing(db, postgres_only):
    with db() as session, session.begin():
        org = make_organisation(session)
        session.execute(text("ANALYZE reconcile_wake"))
        _insert(session, _wakes(org.id, 0, ANALYSE_AFTER_ROWS - 1))
        assert _rows_the_planner_believes(session) == 0


def test_an_upsert_that_more_than_doubles_a_table_has_it_analysed_too(db, postgres_only):
    with db() as session, session.begin():
        org = make_organisation(session)
        session.execute(text("ANALYZE reconcile_wake"))
        rows = _wakes(org.id, 0, ANALYSE_AFTER_ROWS + 1)
        upsert_rows(session, ReconcileWake.__table__, rows, update="wake_on")
        assert _rows_the_planner_believes(session) == len(rows)
