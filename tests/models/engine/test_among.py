"""A column among a batch's values: one array parameter on PostgreSQL, an IN
list elsewhere, the same rows either way."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import ReconcileWake
from models.engine.among import among, array_literal
from models.tables.org import StaffMember
from tests.factories.people import make_organisation, make_staff
from tests.statements import statements_sent

AWKWARD_UNITS = ['case:A"1', "case:B\\2", "case:C,3", "case:{D}", "case:E 5", "case:F'6"]


def _wakes(session, units) -> None:
    org = make_organisation(session)
    session.add_all(
        ReconcileWake(
            organisation_id=org.id,
            lifecycle="case_supervision",
            unit=unit,
            wake_on=date(2026, 12, 1),
        )
        for unit in units
    )
    session.flush()


def test_the_rows_whose_value_is_among_the_list_are_found_and_no_others(db):
    with db() as session:
        org = make_organisation(session)
        ids = [make_staff(session, org).id for _ in range(5)]
        wanted = [ids[0], ids[3], ids[4] + 1000]

        found = session.scalars(
            select(StaffMember.id).where(among(StaffMember.id, wanted)).order_by(StaffMember.id)
        ).all()

        assert found == [ids[0], ids[3]]


def test_an_empty_list_finds_nothing_and_a_none_in_it_matches_no_row(db):
    with db() as session:
        org = make_organisation(session)
        staff_id = make_staff(session, org).id

        assert session.scalars(select(StaffMember.id).where(among(StaffMember.id, []))).all() == []
        assert session.scalars(
            select(StaffMember.id).where(among(StaffMember.id, [None, staff_id]))
        ).all() == [staff_id]


def test_text_holding_quotes_commas_braces_backslashes_and_spaces_is_matched_exactly(db):
    with db() as session:
        _wakes(session, [*AWKWARD_UNITS, "case:G7"])

        found = session.scalars(
            select(ReconcileWake.unit).where(among(ReconcileWake.unit, AWKWARD_UNITS))
        ).all()

        assert sorted(found) == sorted(AWKWARD_UNITS)


def test_a_statement_run_again_with_other_values_finds_the_other_rows(db):
    """SQLAlchemy caches the compiled statement: the values must still be each run's own."""
    with db() as session:
        _wakes(session, ["case:X1", "case:X2", "case:X3"])

        def units(values):
            query = select(ReconcileWake.unit).where(among(ReconcileWake.unit, values))
            return sorted(session.scalars(query).all())

        assert units(["case:X1"]) == ["case:X1"]
        assert units(["case:X2", "case:X3"]) == ["case:X2", "case:X3"]


def test_on_postgresql_the_values_go_as_one_array_parameter(db, postgres_only):
    with db() as session:
        values = list(range(1, 2001))
        query = select(StaffMember.id).where(among(StaffMember.id, values))

        _rows, [sent] = statements_sent(session.get_bind(), lambda: session.execute(query).all())

        assert "= ANY(CAST(" in sent
        assert sent.count("%(") == 1


def test_only_whole_numbers_and_text_are_taken():
    assert array_literal([1, "a", None]) == '{1,"a",NULL}'
    with pytest.raises(TypeError, match="whole numbers or text, not date"):
        among(StaffMember.started_on, [date(2026, 1, 1)])
    with pytest.raises(TypeError, match="not bool"):
        among(StaffMember.id, [True])
