"""One database serves every council, and two councils can hold the same
case ID: each council's human tasks about that case are its own, under the
same key (a key is unique only within its organisation)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import HumanTask, HumanTaskStatus
from models.actions.case_supervision import CaseDiscussion, record_case_supervision
from models.actions.cases import allocate_case
from models.engine.reconcile import reconcile
from tests.models.actions.supervision_pair import TODAY, build_pair

CASE = "LCS-100001"
ALLOCATED = date(2026, 2, 9)


def _council_with_the_case(db) -> dict[str, int]:
    council = build_pair(db)
    allocate_case(
        case_ref=CASE,
        case_type="child_protection",
        worker_id=council["worker"],
        allocated_on=ALLOCATED,
        by_staff_id=council["manager"],
        on=TODAY,
        session_factory=db,
    )
    return council


def _reconcile(db, council):
    return reconcile(
        organisation_id=council["org"],
        lifecycles={"case_supervision"},
        as_of=TODAY,
        session_factory=db,
    )


def _case_tasks(db) -> list[tuple]:
    with db() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(
                    HumanTask.organisation_id,
                    HumanTask.key,
                    HumanTask.status,
                    HumanTask.assignee_id,
                    HumanTask.due_on,
                )
                .where(HumanTask.kind == "case_supervision", HumanTask.subject == CASE)
                .order_by(HumanTask.organisation_id, HumanTask.key)
            )
        ]


def test_two_councils_with_the_same_case_id_each_get_their_own_case_supervision_task(db):
    first, second = _council_with_the_case(db), _council_with_the_case(db)
    _reconcile(db, first)
    _reconcile(db, second)

    [(first_org, first_key, *first_rest), (second_org, second_key, *second_rest)] = _case_tasks(db)
    assert (first_org, second_org) == (first["org"], second["org"])
    assert first_key == second_key == f"case:{CASE}:2026-03-09"
    assert first_rest == [HumanTaskStatus.OPEN, first["manager"], date(2026, 3, 9)]
    assert second_rest == [HumanTaskStatus.OPEN, second["manager"], date(2026, 3, 9)]


def test_reconciling_either_council_again_changes_nothing(db):
    first, second = _council_with_the_case(db), _council_with_the_case(db)
    _reconcile(db, first)
    _reconcile(db, second)
    before = _case_tasks(db)

    again = [_reconcile(db, council) for council in (first, second, first, second)]

    assert [result.changed for result in again] == [False] * 4
    assert _case_tasks(db) == before


def test_completing_one_councils_task_leaves_the_other_councils_task_open(db):
    first, second = _council_with_the_case(db), _council_with_the_case(db)
    _reconcile(db, first)
    _reconcile(db, second)
    [(_org, key, *_rest), _second] = _case_tasks(db)

    record_case_supervision(
        case_ref=CASE,
        supervisor_staff_id=first["manager"],
        supervised_on=TODAY,
        discussion=CaseDiscussion(CASE, "Continue the plan", "Risk unchanged", "Review"),
        on=TODAY,
        task_key=key,
        session_factory=db,
    )
    _reconcile(db, first)
    _reconcile(db, second)

    # The first council's next case supervision falls due after this one.
    assert [(org, status) for org, k, status, *_ in _case_tasks(db) if k == key] == [
        (first["org"], HumanTaskStatus.COMPLETED),
        (second["org"], HumanTaskStatus.OPEN),
    ]
