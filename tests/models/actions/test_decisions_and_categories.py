"""Facts the policies need, entered through the actions and read back by the
engine from the tables: a decision made outside formal supervision (Bristol
§5.7, a case direction within 24 hours), a case's category (Nottingham §1.6)
and a session's length and the day its record was shared."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import CaseAllocation
from models.actions.case_supervision import CaseDiscussion, record_case_supervision
from models.actions.cases import allocate_case
from models.engine.facts_loader import load_facts
from policy import ObligationStatus, compute_obligations, load_profile
from tests.models.actions.supervision_pair import TODAY, build_pair, held, record_input, tasks_of

REF = "LCS-204511"


def _allocate(db, pair, case_type="child_in_need", on=date(2026, 2, 9)):
    return allocate_case(
        case_ref=REF,
        case_type=case_type,
        worker_id=pair["worker"],
        allocated_on=on,
        by_staff_id=pair["manager"],
        on=TODAY,
        session_factory=db,
    )


def _decided(db, pair, on: date, made_in: str):
    return record_case_supervision(
        case_ref=REF,
        supervisor_staff_id=pair["manager"],
        supervised_on=on,
        discussion=CaseDiscussion(REF, "Strategy discussion", "Risk rose", "", True, made_in),
        on=TODAY,
        session_factory=db,
    )


def test_bristol_a_decision_made_outside_supervision_owes_its_direction_within_24_hours(db):
    pair = build_pair(db, profile="bristol")
    _allocate(db, pair)
    _decided(db, pair, date(2026, 2, 27), "outside_supervision")
    with db() as session:
        facts = load_facts(session, pair["org"])
    (decision,) = facts.decisions
    assert (decision.made_on, decision.made_in) == (date(2026, 2, 27), "outside_supervision")
    (task,) = tasks_of(db, pair["org"], kind="decision_record")
    assert (task.key, task.due_on) == (f"record:decision:{REF}:2026-02-27", date(2026, 2, 28))


def test_bristol_a_decision_made_in_supervision_is_owed_as_its_case_direction_only(db):
    pair = build_pair(db, profile="bristol")
    _allocate(db, pair)
    _decided(db, pair, date(2026, 2, 27), "supervision")
    assert tasks_of(db, pair["org"], kind="decision_record") == []
    (task,) = tasks_of(db, pair["org"], kind="case_record")
    assert task.due_on == date(2026, 2, 28)


def test_nottingham_a_settled_child_in_cares_category_sets_bi_monthly_discussion(db):
    pair = build_pair(db, profile="nottingham")
    _allocate(db, pair, case_type="child_in_care", on=date(2026, 1, 5))
    with db() as session, session.begin():
        allocation = session.scalars(select(CaseAllocation)).one()
        allocation.category = "settled_in_placement"
    with db() as session:
        facts = load_facts(session, pair["org"])
    assert facts.cases[0].category == "settled_in_placement"
    owed = compute_obligations(
        load_profile("nottingham"), facts, TODAY, lifecycles=["case_supervision"]
    )
    assert [(o.due, o.rule) for o in owed if o.status is not ObligationStatus.MET] == [
        (date(2026, 3, 5), "case_supervision.category.settled_in_placement")
    ]


def test_a_sessions_length_and_the_day_shared_reach_the_engine(db):
    pair = build_pair(db)
    held(db, pair, record_input(duration_minutes=75))
    with db() as session:
        facts = load_facts(session, pair["org"])
    (session_fact,) = facts.sessions
    assert (session_fact.duration_minutes, session_fact.shared_on) == (75, TODAY)
