"""The supervision record once signed: the supervisee countersigns it once,
only the parties sign, and an amendment keeps the signed version and needs
both signatures again."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from sqlalchemy import select

from models import RecordStatus, SessionRecordVersion, SupervisionSession
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.records import amend_record, countersign_record
from models.actions.sessions import NewAction
from tests.models.actions.supervision_pair import TODAY, build_pair, held, record_input, tasks_of


@pytest.fixture
def pair(db):
    return partial(build_pair, db)


def test_countersigning_twice_signs_once(db, pair):
    p = pair()
    result = held(db, p)
    countersign_record(
        session_id=result.session_id, signer_staff_id=p["worker"], on=TODAY, session_factory=db
    )
    with pytest.raises(AlreadySigned):
        countersign_record(
            session_id=result.session_id, signer_staff_id=p["worker"], on=TODAY, session_factory=db
        )
    with db() as session:
        row = session.get(SupervisionSession, result.session_id)
        assert len(row.signatures) == 2


@pytest.mark.parametrize("who", ["worker", "other"])
def test_only_the_supervisor_records_and_only_the_supervisee_countersigns(db, pair, who):
    p = pair()
    with pytest.raises(NotPermitted):
        held(db, p, by=who)
    result = held(db, p)
    if who == "other":
        with pytest.raises(NotPermitted):
            countersign_record(
                session_id=result.session_id, signer_staff_id=p[who], on=TODAY, session_factory=db
            )


def test_an_amendment_keeps_the_signed_version_and_needs_both_signatures_again(db, pair):
    p = pair()
    first = held(
        db, p, record_input(actions=[NewAction("Book training", p["worker"], date(2026, 3, 20))])
    )
    countersign_record(
        session_id=first.session_id, signer_staff_id=p["worker"], on=TODAY, session_factory=db
    )
    amended = amend_record(
        session_id=first.session_id,
        by_staff_id=p["manager"],
        reason="Workload figure was wrong",
        on=TODAY,
        session_factory=db,
    )
    assert amended.version == 2 and amended.record_status == RecordStatus.DRAFT
    with db() as session:
        archived = session.scalars(select(SessionRecordVersion)).one()
        assert archived.version == 1
        assert archived.record["sections"]["workload"] == "Caseload of 14."
        assert archived.record["actions"][0]["description"] == "Book training"
    second = held(
        db, p, record_input(sections={"workload": "Caseload of 16."}), session_id=first.session_id
    )
    assert second.version == 2
    open_countersign = [t for t in tasks_of(db, p["org"], kind="record_countersign") if t.is_open]
    assert [t.key for t in open_countersign] == [f"record-countersign:rel-{p['rel']}:2026-02-23:v2"]
    countersign_record(
        session_id=first.session_id, signer_staff_id=p["worker"], on=TODAY, session_factory=db
    )
    with db() as session:
        row = session.get(SupervisionSession, first.session_id)
        assert row.record_status == RecordStatus.SIGNED
        assert row.record["sections"]["workload"] == "Caseload of 16."
        assert sorted((s.version, s.party.value) for s in row.signatures) == [
            (1, "supervisee"),
            (1, "supervisor"),
            (2, "supervisee"),
            (2, "supervisor"),
        ]
        assert session.get(SessionRecordVersion, archived.id).record["sections"]["workload"] == (
            "Caseload of 14."
        )


def test_amending_while_awaiting_countersignature_cancels_the_old_countersign_task(db, pair):
    p = pair()
    first = held(db, p)
    amend_record(
        session_id=first.session_id,
        by_staff_id=p["manager"],
        reason="Typo",
        on=TODAY,
        session_factory=db,
    )
    (old,) = tasks_of(db, p["org"], kind="record_countersign")
    assert old.status == "cancelled" and old.closed_reason == "replaced by version 2"
    with pytest.raises(ActionError, match="no record waiting"):
        countersign_record(
            session_id=first.session_id, signer_staff_id=p["worker"], on=TODAY, session_factory=db
        )
