"""Holding and recording supervision: the session held and its record, as a
draft or signed and shared; the record's late reason, its actions and last
time's reviewed; each action completes its human task and the next step is
in the next inbox at once."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from sqlalchemy import select

from models import (
    HumanTask,
    OutboxEvent,
    RecordStatus,
    SessionAction,
    SessionStatus,
    SupervisionSession,
)
from models.actions.errors import ActionError, AlreadySigned
from models.actions.records import countersign_record
from models.actions.sessions import ActionReview, NewAction, record_session
from models.engine.reconcile import reconcile
from tests.models.actions.supervision_pair import TODAY, build_pair, held, record_input, tasks_of


@pytest.fixture
def pair(db):
    return partial(build_pair, db)


def test_signing_a_record_shares_it_and_puts_the_countersignature_in_the_supervisees_inbox(
    db, pair
):
    p = pair()
    reconcile(
        organisation_id=p["org"],
        lifecycles={"personal_supervision"},
        as_of=TODAY,
        session_factory=db,
    )
    hold = tasks_of(db, p["org"], kind="supervision", relationship_id=p["rel"])
    assert hold and hold[0].is_open

    result = held(db, p, record_input(held_on=date(2026, 2, 27)))
    assert result.record_status == RecordStatus.AWAITING_COUNTERSIGNATURE
    assert hold[0].id in result.completed_task_ids
    countersign = tasks_of(db, p["org"], kind="record_countersign")
    assert [t.assignee_id for t in countersign] == [p["worker"]]
    assert countersign[0].id in result.next_task_ids
    # The engine owes it (Lancashire's record form has both signatures), keyed by version.
    assert countersign[0].key == f"record-countersign:rel-{p['rel']}:2026-02-27:v1"
    assert countersign[0].lifecycle == "recording"
    with db() as session:
        row = session.get(SupervisionSession, result.session_id)
        assert row.status == SessionStatus.HELD and row.recorded_on == TODAY
        # The engine's record obligation is met on the day the record was shared.
        record_task = session.scalars(
            select(HumanTask).where(HumanTask.key == f"record:rel-{p['rel']}:2026-02-27")
        ).one_or_none()
        assert record_task is None or record_task.status == "completed"

    signed = countersign_record(
        session_id=result.session_id, signer_staff_id=p["worker"], on=TODAY, session_factory=db
    )
    assert signed.record_status == RecordStatus.SIGNED
    assert tasks_of(db, p["org"], kind="record_countersign")[0].status == "completed"
    with db() as session:
        events = session.scalars(select(OutboxEvent.event).order_by(OutboxEvent.id)).all()
        assert events[-2:] == [
            "oversight.session.record-signed",
            "oversight.session.record-countersigned",
        ]


def test_a_draft_leaves_the_record_task_with_the_supervisor(db, pair):
    p = pair()
    result = held(db, p, sign=False)
    assert result.record_status == RecordStatus.DRAFT
    record_tasks = tasks_of(db, p["org"], kind="record")
    assert [(t.key, t.assignee_id, t.status) for t in record_tasks] == [
        (f"record:rel-{p['rel']}:2026-02-23", p["manager"], "open")
    ]
    assert tasks_of(db, p["org"], kind="record_countersign") == []


def test_submitting_the_signed_record_again_signs_once(db, pair):
    p = pair()
    args = {
        "relationship_id": p["rel"],
        "recorder_staff_id": p["manager"],
        "record": record_input(),
        "sign": True,
        "on": TODAY,
        "session_factory": db,
    }
    first = record_session(**args)
    with pytest.raises(AlreadySigned):
        record_session(**args)
    with pytest.raises(AlreadySigned):
        record_session(**args, session_id=first.session_id)
    with db() as session:
        assert len(session.scalars(select(SupervisionSession)).all()) == 1


def test_a_late_session_needs_its_reason_bristol(db, pair):
    p = pair(profile="bristol", started=date(2025, 9, 1))
    held(db, p, record_input(held_on=date(2025, 9, 26)))
    # Due four weeks after 26 September 2025: 24 October. 2 March 2026 is late.
    with pytest.raises(ActionError, match="more than 4 weeks"):
        held(db, p, record_input(held_on=TODAY))
    result = held(
        db, p, record_input(held_on=TODAY, late_reason="Supervisor on long-term sick leave")
    )
    with db() as session:
        row = session.get(SupervisionSession, result.session_id)
        assert row.late_reason == "Supervisor on long-term sick leave"
        assert row.record["late"]["late"] is True


def test_the_next_session_reviews_the_previous_sessions_actions(db, pair):
    p = pair()
    first = held(
        db,
        p,
        record_input(
            held_on=date(2026, 2, 9),
            actions=[
                NewAction("Update the chronology", p["worker"], date(2026, 2, 6)),
                NewAction("Arrange a co-worker", p["manager"], None),
            ],
        ),
    )
    with db() as session:
        done, not_done = session.scalars(
            select(SessionAction.id)
            .where(SessionAction.session_id == first.session_id)
            .order_by(SessionAction.id)
        ).all()
    second = held(
        db,
        p,
        record_input(
            held_on=date(2026, 3, 2),
            reviews=[
                ActionReview(done, True, "Done on 5 February"),
                ActionReview(not_done, False, "No one available yet"),
            ],
        ),
        sign=False,
    )
    with db() as session:
        a = session.get(SessionAction, done)
        b = session.get(SessionAction, not_done)
        assert (a.done_on, a.review_note, a.reviewed_in_session_id) == (
            date(2026, 3, 2),
            "Done on 5 February",
            second.session_id,
        )
        assert (b.done_on, b.reviewed_in_session_id) == (None, second.session_id)


def test_a_planned_session_becomes_the_held_one(db, pair):
    p = pair()
    with db() as session, session.begin():
        planned = SupervisionSession(
            relationship_id=p["rel"], status=SessionStatus.PLANNED, planned_on=date(2026, 2, 24)
        )
        session.add(planned)
        session.flush()
        planned_id = planned.id
    result = held(db, p, sign=False)
    assert result.session_id == planned_id


@pytest.mark.parametrize(
    ("held_on", "message"),
    [(date(2026, 3, 3), "today or in the past"), (date(2025, 8, 1), "on or after")],
)
def test_the_day_held_must_be_within_the_relationship_and_not_in_the_future(
    db, pair, held_on, message
):
    p = pair()
    with pytest.raises(ActionError, match=message):
        held(db, p, record_input(held_on=held_on), sign=False)
