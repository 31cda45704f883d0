"""Which units a run looks at, and in what batches."""

from __future__ import annotations

from datetime import date

from models.demo import load_demo
from models.engine import reconcile_scope as scope
from tests.statements import statements_during

TODAY = date(2026, 11, 23)


def test_every_unit_of_a_kind_comes_in_key_order_in_batches_of_at_most_the_batch_size(db):
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    with db() as session:
        batches = list(scope.all_units(session, org, ["case_supervision"], 4, kinds=["case"]))
        whole = list(scope.all_units(session, org, ["case_supervision"], 10_000, kinds=["case"]))
    keys = [unit.key for batch in batches for unit in batch]
    assert len(batches) > 2 and all(0 < len(batch) <= 4 for batch in batches)
    assert keys == sorted(keys) == [unit.key for unit in whole[0]]
    assert len(whole) == 1


def test_the_units_of_a_kind_are_read_in_one_statement_however_many_batches_they_make(db):
    """One ordered read, taken a batch at a time: a page per batch would find
    and sort the whole organisation's units again for each batch."""
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    with db() as session:
        batches, statements = statements_during(
            db.kw["bind"],
            lambda: list(scope.all_units(session, org, ["case_supervision"], 2, kinds=["case"])),
            kinds=("SELECT", "DECLARE"),
        )
    assert len(batches) > 5
    assert statements == 1


def test_units_after_one_key_and_up_to_another_are_those_between_them(db):
    org = load_demo(today=TODAY, session_factory=db).organisation_id
    with db() as session:
        every = [u.key for b in scope.all_units(session, org, ["agreement"], 1000) for u in b]
        after, last = every[2], every[-3]
        between = [
            u.key
            for b in scope.all_units(session, org, ["agreement"], 3, after=after, last=last)
            for u in b
        ]
    assert between == every[3:-2]
