"""Holding, recording, countersigning and amending supervision, and case
supervision by case ID: each action records the fact, completes its human
task, and the next step is in the next inbox at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import (
    AuditEntry,
    CaseAllocation,
    CaseSupervision,
    HumanTask,
    OutboxEvent,
    RecordStatus,
    SessionAction,
    SessionRecordVersion,
    SessionStatus,
    StaffRole,
    SupervisionSession,
)
from models.actions.sessions import (
    ActionError,
    ActionReview,
    AlreadySigned,
    CaseDiscussion,
    NewAction,
    NotPermitted,
    RecordInput,
    allocate_case,
    amend_record,
    close_case,
    countersign_record,
    mark_direction_recorded,
    reallocate_case,
    record_case_supervision,
    record_session,
    set_case_frequency,
)
from models.engine.facts_loader import load_facts
from models.engine.reconcile import reconcile
from policy import compute_obligations, load_profile
from tests.factories import make_organisation, make_relationship, make_staff

STARTED = date(2026, 2, 2)
TODAY = date(2026, 3, 2)


@pytest.fixture
def pair(db):
    def build(profile="lancashire", started=STARTED):
        with db() as session, session.begin():
            org = make_organisation(session, profile=profile)
            manager = make_staff(
                session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2020, 1, 6)
            )
            worker = make_staff(session, org, started_on=started, line_manager=manager)
            other = make_staff(session, org, started_on=started, line_manager=manager)
            rel = make_relationship(session, manager, worker, started_on=started)
            make_relationship(session, manager, other, started_on=started)
            return {
                "org": org.id,
                "rel": rel.id,
                "manager": manager.id,
                "worker": worker.id,
                "other": other.id,
            }

    return build


def _record(held_on=date(2026, 2, 23), **overrides):
    values = {
        "held_on": held_on,
        "duration_minutes": 90,
        "sections": {"personal": "Fine.", "workload": "Caseload of 14."},
    }
    values.update(overrides)
    return RecordInput(**values)


def _tasks(db, org_id, **where):
    with db() as session:
        query = select(HumanTask).where(HumanTask.organisation_id == org_id)
        for name, value in where.items():
            query = query.where(getattr(HumanTask, name) == value)
        return list(session.scalars(query.order_by(HumanTask.key)))


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
    hold = _tasks(db, p["org"], kind="supervision", relationship_id=p["rel"])
    assert hold and hold[0].is_open

    result = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(held_on=date(2026, 2, 27)),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    assert result.record_status == RecordStatus.AWAITING_COUNTERSIGNATURE
    assert hold[0].id in result.completed_task_ids
    countersign = _tasks(db, p["org"], kind="record_countersign")
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
    assert _tasks(db, p["org"], kind="record_countersign")[0].status == "completed"
    with db() as session:
        events = session.scalars(select(OutboxEvent.event).order_by(OutboxEvent.id)).all()
        assert events[-2:] == [
            "oversight.session.record-signed",
            "oversight.session.record-countersigned",
        ]


def test_a_draft_leaves_the_record_task_with_the_supervisor(db, pair):
    p = pair()
    result = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(),
        sign=False,
        on=TODAY,
        session_factory=db,
    )
    assert result.record_status == RecordStatus.DRAFT
    record_tasks = _tasks(db, p["org"], kind="record")
    assert [(t.key, t.assignee_id, t.status) for t in record_tasks] == [
        (f"record:rel-{p['rel']}:2026-02-23", p["manager"], "open")
    ]
    assert _tasks(db, p["org"], kind="record_countersign") == []


def test_countersigning_twice_signs_once(db, pair):
    p = pair()
    result = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
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


def test_submitting_the_signed_record_again_signs_once(db, pair):
    p = pair()
    args = {
        "relationship_id": p["rel"],
        "recorder_staff_id": p["manager"],
        "record": _record(),
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


@pytest.mark.parametrize("who", ["worker", "other"])
def test_only_the_supervisor_records_and_only_the_supervisee_countersigns(db, pair, who):
    p = pair()
    with pytest.raises(NotPermitted):
        record_session(
            relationship_id=p["rel"],
            recorder_staff_id=p[who],
            record=_record(),
            sign=True,
            on=TODAY,
            session_factory=db,
        )
    result = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    if who == "other":
        with pytest.raises(NotPermitted):
            countersign_record(
                session_id=result.session_id, signer_staff_id=p[who], on=TODAY, session_factory=db
            )


def test_an_amendment_keeps_the_signed_version_and_needs_both_signatures_again(db, pair):
    p = pair()
    first = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(actions=[NewAction("Book training", p["worker"], date(2026, 3, 20))]),
        sign=True,
        on=TODAY,
        session_factory=db,
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
    second = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(sections={"workload": "Caseload of 16."}),
        sign=True,
        on=TODAY,
        session_id=first.session_id,
        session_factory=db,
    )
    assert second.version == 2
    open_countersign = [t for t in _tasks(db, p["org"], kind="record_countersign") if t.is_open]
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
    first = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    amend_record(
        session_id=first.session_id,
        by_staff_id=p["manager"],
        reason="Typo",
        on=TODAY,
        session_factory=db,
    )
    (old,) = _tasks(db, p["org"], kind="record_countersign")
    assert old.status == "cancelled" and old.closed_reason == "replaced by version 2"
    with pytest.raises(ActionError, match="no record waiting"):
        countersign_record(
            session_id=first.session_id, signer_staff_id=p["worker"], on=TODAY, session_factory=db
        )


def test_a_late_session_needs_its_reason_bristol(db, pair):
    p = pair(profile="bristol", started=date(2025, 9, 1))
    record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(held_on=date(2025, 9, 26)),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    # Due four weeks after 26 September 2025: 24 October. 2 March 2026 is late.
    with pytest.raises(ActionError, match="more than 4 weeks"):
        record_session(
            relationship_id=p["rel"],
            recorder_staff_id=p["manager"],
            record=_record(held_on=TODAY),
            sign=True,
            on=TODAY,
            session_factory=db,
        )
    result = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(held_on=TODAY, late_reason="Supervisor on long-term sick leave"),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    with db() as session:
        row = session.get(SupervisionSession, result.session_id)
        assert row.late_reason == "Supervisor on long-term sick leave"
        assert row.record["late"]["late"] is True


def test_the_next_session_reviews_the_previous_sessions_actions(db, pair):
    p = pair()
    first = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(
            held_on=date(2026, 2, 9),
            actions=[
                NewAction("Update the chronology", p["worker"], date(2026, 2, 6)),
                NewAction("Arrange a co-worker", p["manager"], None),
            ],
        ),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    with db() as session:
        done, not_done = session.scalars(
            select(SessionAction.id)
            .where(SessionAction.session_id == first.session_id)
            .order_by(SessionAction.id)
        ).all()
    second = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(
            held_on=date(2026, 3, 2),
            reviews=[
                ActionReview(done, True, "Done on 5 February"),
                ActionReview(not_done, False, "No one available yet"),
            ],
        ),
        sign=False,
        on=TODAY,
        session_factory=db,
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
    result = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(),
        sign=False,
        on=TODAY,
        session_factory=db,
    )
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
        record_session(
            relationship_id=p["rel"],
            recorder_staff_id=p["manager"],
            record=_record(held_on=held_on),
            sign=False,
            on=TODAY,
            session_factory=db,
        )


# --- cases ---------------------------------------------------------------------------


def _allocate(db, p, ref="LCS-204511", case_type="child_protection", on=date(2026, 2, 9)):
    return allocate_case(
        case_ref=ref,
        case_type=case_type,
        worker_id=p["worker"],
        allocated_on=on,
        by_staff_id=p["manager"],
        on=TODAY,
        session_factory=db,
    )


def test_a_case_discussed_in_the_record_is_one_case_supervision_row_per_case(db, pair):
    p = pair()
    _allocate(db, p)
    _allocate(db, p, ref="LCS-204512", case_type="child_in_need")
    result = record_session(
        relationship_id=p["rel"],
        recorder_staff_id=p["manager"],
        record=_record(
            cases=[
                CaseDiscussion("lcs-204511", "Step down to CIN", "Risk reduced", "Review", True),
                CaseDiscussion("LCS-204512", "Continue plan", "Progress", ""),
            ]
        ),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    with db() as session:
        rows = session.scalars(select(CaseSupervision).order_by(CaseSupervision.id)).all()
        assert [(r.allocation.case_ref, r.session_id, r.important_decision) for r in rows] == [
            ("LCS-204511", result.session_id, True),
            ("LCS-204512", result.session_id, False),
        ]
        row = session.get(SupervisionSession, result.session_id)
        # Bristol §5.2: the directions are kept with the case, only IDs in the record.
        assert row.record["case_refs"] == ["LCS-204511", "LCS-204512"]
        assert "Step down" not in str(row.record)


@pytest.mark.parametrize("typed", ["Jane Smith", "jane", "LCS 204511 Smith", ""])
def test_a_case_is_named_by_its_case_id_only(db, pair, typed):
    p = pair()
    with pytest.raises(ActionError, match="Do not enter a child's name"):
        _allocate(db, p, ref=typed)
    with pytest.raises(ActionError, match="Do not enter a child's name"):
        record_session(
            relationship_id=p["rel"],
            recorder_staff_id=p["manager"],
            record=_record(cases=[CaseDiscussion(typed, "x")]),
            sign=False,
            on=TODAY,
            session_factory=db,
        )


def test_a_case_direction_on_the_childs_record_meets_the_recording_obligations(db, pair):
    p = pair()
    _allocate(db, p)
    result = record_case_supervision(
        case_ref="LCS-204511",
        supervisor_staff_id=p["manager"],
        supervised_on=date(2026, 3, 1),
        discussion=CaseDiscussion("LCS-204511", "Legal planning meeting", "Escalating", "", True),
        on=TODAY,
        session_factory=db,
    )
    keys = {t.key: t.status for t in _tasks(db, p["org"], lifecycle="recording")}
    assert keys == {
        "record:case:LCS-204511:2026-03-01": "open",
        "record:decision:LCS-204511:2026-03-01": "open",
    }
    with pytest.raises(AlreadySigned):
        record_case_supervision(
            case_ref="LCS-204511",
            supervisor_staff_id=p["manager"],
            supervised_on=date(2026, 3, 1),
            discussion=CaseDiscussion("LCS-204511", "Legal planning meeting"),
            on=TODAY,
            session_factory=db,
        )
    mark_direction_recorded(
        case_supervision_id=result.case_supervision_id,
        by_staff_id=p["manager"],
        recorded_on=TODAY,
        on=TODAY,
        session_factory=db,
    )
    keys = {t.key: t.status for t in _tasks(db, p["org"], lifecycle="recording")}
    assert set(keys.values()) == {"completed"}


def test_reallocating_ends_the_old_allocation_and_restarts_the_first_supervision_clock(db, pair):
    p = pair(profile="wokingham")
    _allocate(db, p, case_type="child_in_need", on=date(2026, 2, 2))
    reallocate_case(
        case_ref="LCS-204511",
        new_worker_id=p["other"],
        on=TODAY,
        by_staff_id=p["manager"],
        session_factory=db,
    )
    with db() as session:
        rows = session.scalars(select(CaseAllocation).order_by(CaseAllocation.id)).all()
        assert [(r.worker_id, r.allocated_on, r.ended_on) for r in rows] == [
            (p["worker"], date(2026, 2, 2), TODAY),
            (p["other"], TODAY, None),
        ]
    # Wokingham standard 21: within a month of allocation to the new worker (not 8
    # weeks from the first allocation, 30 March, which standard 24 alone would give).
    assert _owed_case_keys(db, p) == ["case:LCS-204511:2026-04-02"]
    close_case(case_ref="LCS-204511", on=TODAY, by_staff_id=p["manager"], session_factory=db)
    assert _owed_case_keys(db, p) == []


def _owed_case_keys(db, p) -> list[str]:
    with db() as session:
        facts = load_facts(session, p["org"])
    return [
        o.key
        for o in compute_obligations(
            load_profile("wokingham"), facts, TODAY, lifecycles=["case_supervision"]
        )
        if o.kind == "case_supervision" and o.status != "met"
    ]


def test_a_per_case_frequency_beyond_the_policys_limit_is_refused_in_its_words(db, pair):
    p = pair()
    _allocate(db, p)
    with pytest.raises(ActionError, match=r"longer than 8 weeks .*§1\.9"):
        set_case_frequency(
            case_ref="LCS-204511",
            weeks=9,
            reason="Stable",
            on=TODAY,
            by_staff_id=p["manager"],
            session_factory=db,
        )
    set_case_frequency(
        case_ref="LCS-204511",
        weeks=6,
        reason="Stable placement",
        on=TODAY,
        by_staff_id=p["manager"],
        session_factory=db,
    )
    with db() as session:
        row = session.scalars(select(CaseAllocation)).one()
        assert (row.frequency_weeks, row.frequency_reason) == (6, "Stable placement")
        assert (
            session.scalars(
                select(AuditEntry.detail).where(AuditEntry.object_type == "case_allocation")
            )
            .all()[-1]
            .startswith("Frequency for LCS-204511: 6 weeks")
        )


def test_only_the_workers_supervisor_can_allocate_to_them(db, pair):
    p = pair()
    with pytest.raises(NotPermitted):
        allocate_case(
            case_ref="LCS-1000",
            case_type="early_help",
            worker_id=p["other"],
            allocated_on=TODAY,
            by_staff_id=p["worker"],
            on=TODAY,
            session_factory=db,
        )
