"""Children's cases by case ID: allocating and reallocating, the per-case
frequency, and case directions, in a session's record or on their own, and
entered on the child's record."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from sqlalchemy import select

from models import AuditEntry, CaseAllocation, CaseSupervision, SupervisionSession
from models.actions.case_supervision import (
    CaseDiscussion,
    mark_direction_recorded,
    record_case_supervision,
)
from models.actions.cases import allocate_case, close_case, reallocate_case, set_case_frequency
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.engine.facts_loader import load_facts
from policy import compute_obligations, load_profile
from tests.models.actions.supervision_pair import TODAY, build_pair, held, record_input, tasks_of


@pytest.fixture
def pair(db):
    return partial(build_pair, db)


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
    result = held(
        db,
        p,
        record_input(
            cases=[
                CaseDiscussion("lcs-204511", "Step down to CIN", "Risk reduced", "Review", True),
                CaseDiscussion("LCS-204512", "Continue plan", "Progress", ""),
            ]
        ),
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
        held(db, p, record_input(cases=[CaseDiscussion(typed, "x")]), sign=False)


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
    keys = {t.key: t.status for t in tasks_of(db, p["org"], lifecycle="recording")}
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
    keys = {t.key: t.status for t in tasks_of(db, p["org"], lifecycle="recording")}
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
                select(AuditEntry.detail)
                .where(AuditEntry.object_type == "case_allocation")
                .order_by(AuditEntry.id)
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
