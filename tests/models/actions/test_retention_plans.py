"""Deleting a leaver's records (Nottingham 001 §3.5) in a service that has run
for years: human_task holds every task ever raised about everyone, and a
leaver's deletion must find their own through indexes rather than read the
whole table once per leaver. On PostgreSQL, every statement the deletion
sends that reads human_task is explained and none scans it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, text

from models import HumanTask, StaffMember, StaffRole
from models.actions import retention
from models.actions.retention import delete_expired_records, delete_person_records
from tests.factories import (
    make_human_task,
    make_organisation,
    make_relationship,
    make_staff,
    make_team,
)
from tests.statements import sent_with_parameters

AS_OF = date(2031, 6, 1)
OTHERS = 200
TASKS = 40_000


@pytest.fixture
def leaver_among_many(db, postgres_only):
    """Lee left in 2025 with one closed task of their supervision; 200 others
    hold 40,000 tasks, nearly all closed. Analysed, as autovacuum would have."""
    return _leaver_among(db, OTHERS, TASKS)


def _leaver_among(db, others: int, tasks: int, leavers: int = 0) -> dict:
    """Lee, and as many more leavers of 2025, among `others` in post holding `tasks`."""
    with db() as session, session.begin():
        org = make_organisation(session, profile="nottingham")
        team = make_team(session, org)
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
        lee = make_staff(
            session, org, name="Lee Leaver", started_on=date(2020, 1, 6), left_on=date(2025, 5, 30)
        )
        rel = make_relationship(session, manager, lee, started_on=date(2020, 1, 6))
        make_human_task(
            session,
            org,
            due_on=date(2020, 2, 17),
            relationship=rel,
            subject_staff=lee,
            assignee=manager,
            status="completed",
            payload={"draft": "a step's answers"},
        )
        for _ in range(leavers):
            make_staff(session, org, started_on=date(2020, 1, 6), left_on=date(2025, 5, 30))
        staff = [make_staff(session, org, team=team).id for _ in range(others)]
        if tasks:
            session.execute(insert(HumanTask), [_task(org.id, staff, n) for n in range(tasks)])
        ids = {"org": org.id, "lee": lee.id}
    with db() as session, session.begin():
        session.execute(text("ANALYZE human_task"))
        session.execute(text("ANALYZE staff_member"))
    return ids


def _task(organisation_id: int, staff: list[int], n: int) -> dict:
    person = staff[n % len(staff)]
    return {
        "organisation_id": organisation_id,
        "key": f"history:{n}",
        "kind": "personal_supervision",
        "lifecycle": "personal_supervision",
        "title": f"Task {n}",
        "subject": f"staff-{person}",
        "subject_staff_id": person,
        "assignee_id": staff[(n + 1) % len(staff)],
        "due_on": date(2021, 1, 4) + timedelta(days=n % 1800),
        "status": "open" if n % 50 == 0 else "completed",
        "rule": "r",
        "source": "s",
        "payload": {},
        "created_by": "test",
    }


def _scans_of_human_task(connection, statement: str, parameters) -> list[str]:
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    return [
        n["Node Type"]
        for n in nodes
        if n.get("Relation Name") == "human_task" and n["Node Type"] == "Seq Scan"
    ]


@pytest.mark.postgres
def test_deleting_a_leavers_records_reads_human_task_by_index_never_the_whole_table(
    db, leaver_among_many
):
    engine = db.kw["bind"]
    result, sent = sent_with_parameters(
        engine, lambda: delete_expired_records(leaver_among_many["org"], AS_OF, session_factory=db)
    )
    assert list(result.deleted) == [leaver_among_many["lee"]]
    assert result.deleted[leaver_among_many["lee"]]["task_payloads"] == 1
    reading = [(s, p) for s, p in sent if "human_task" in s and not s.lstrip().startswith("INSERT")]
    assert reading
    with engine.connect() as connection:
        scanned = [s for s, p in reading if _scans_of_human_task(connection, s, p)]
    assert scanned == []
    with db() as session:
        assert session.get(StaffMember, leaver_among_many["lee"]).records_deleted_on == AS_OF


def test_deleting_one_leavers_records_asks_whether_they_alone_are_due(db, monkeypatch):
    """Asking about every leaver for each deletion made a run grow with the
    square of the leavers (1,600 at council size took half a second each)."""
    world = _leaver_among(db, others=2, tasks=0, leavers=5)
    asked = []
    real = retention.obligations_for_units

    def spy(session, organisation_id, units, *args, **kwargs):
        asked.append(sorted(u.key for u in units))
        return real(session, organisation_id, units, *args, **kwargs)

    monkeypatch.setattr(retention, "obligations_for_units", spy)
    counts = delete_person_records(world["org"], world["lee"], AS_OF, session_factory=db)
    assert counts is not None and counts["task_payloads"] == 1
    assert asked[0] == [f"person:staff-{world['lee']}"]
