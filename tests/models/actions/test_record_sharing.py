"""When a record was shared with (copied to) the supervisee, apart from when it
was written (Lancashire §1.8 "shared with them within 2 weeks of supervision"):
signing it in Oversight shares it; a copy given before that is recorded with
share_record, which meets the `record_shared` task in the same transaction."""

from __future__ import annotations

from datetime import date

import pytest

from models import SupervisionSession
from models.actions.errors import ActionError, NotPermitted
from models.actions.records import share_record
from models.engine.facts_loader import load_facts
from policy import ObligationStatus, compute_obligations, load_profile
from tests.models.actions.supervision_pair import TODAY, build_pair, held, tasks_of

HELD = date(2026, 2, 23)


def test_signing_the_record_shares_it_with_the_supervisee_that_day(db):
    pair = build_pair(db)
    result = held(db, pair)
    with db() as session:
        row = session.get(SupervisionSession, result.session_id)
        assert (row.recorded_on, row.shared_on) == (TODAY, TODAY)
    assert not [t for t in tasks_of(db, pair["org"], kind="record_shared") if t.is_open]


def test_a_draft_copied_to_the_supervisee_meets_the_sharing_task_on_the_day_given(db):
    """Held Monday 23 February, a draft copy handed over on 2 March: within the
    two weeks (due 9 March), so the task closes as done."""
    pair = build_pair(db)
    draft = held(db, pair, sign=False)
    # Nothing written yet: the sharing is not in the inbox before its deadline.
    assert tasks_of(db, pair["org"], kind="record_shared") == []
    share_record(
        session_id=draft.session_id,
        by_staff_id=pair["manager"],
        shared_on=date(2026, 3, 2),
        on=TODAY,
        session_factory=db,
    )
    with db() as session:
        row = session.get(SupervisionSession, draft.session_id)
        assert (row.recorded_on, row.shared_on) == (None, date(2026, 3, 2))
    with db() as session:
        facts = load_facts(session, pair["org"])
    (ob,) = [
        o
        for o in compute_obligations(load_profile("lancashire"), facts, TODAY)
        if o.kind == "record_shared"
    ]
    assert ob.key == f"record-shared:rel-{pair['rel']}:2026-02-23"
    assert (ob.status, ob.met_on, ob.due) == (
        ObligationStatus.MET,
        date(2026, 3, 2),
        date(2026, 3, 9),
    )
    assert not [t for t in tasks_of(db, pair["org"], kind="record_shared") if t.is_open]
    # The record itself is still to write.
    (record,) = tasks_of(db, pair["org"], kind="record")
    assert record.is_open


@pytest.mark.parametrize(
    ("shared_on", "problem"),
    [
        (date(2026, 2, 22), "on or after the day the session was held"),
        (date(2026, 3, 3), "not in the future"),
    ],
)
def test_a_day_before_the_session_or_in_the_future_is_refused(db, shared_on, problem):
    pair = build_pair(db)
    draft = held(db, pair, sign=False)
    with pytest.raises(ActionError, match=problem):
        share_record(
            session_id=draft.session_id,
            by_staff_id=pair["manager"],
            shared_on=shared_on,
            on=TODAY,
            session_factory=db,
        )
    with db() as session:
        assert session.get(SupervisionSession, draft.session_id).shared_on is None


def test_a_record_already_shared_is_not_shared_again(db):
    pair = build_pair(db)
    signed = held(db, pair)
    with pytest.raises(ActionError, match="already shared with the supervisee on 2 March 2026"):
        share_record(
            session_id=signed.session_id,
            by_staff_id=pair["manager"],
            shared_on=HELD,
            on=TODAY,
            session_factory=db,
        )


def test_only_the_supervisor_records_the_sharing(db):
    pair = build_pair(db)
    draft = held(db, pair, sign=False)
    with pytest.raises(NotPermitted):
        share_record(
            session_id=draft.session_id,
            by_staff_id=pair["worker"],
            shared_on=HELD,
            on=TODAY,
            session_factory=db,
        )
