"""The whole organisation's schedule run (Nottingham §2.4): every relationship
whose agreement has come in force gets its year planned, a batch of them to a
transaction, as planning each alone would; one that cannot be planned is
reported by name and leaves the others planned; running again plans nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models import SessionStatus, StaffRole, SupervisionSession
from models.actions import schedule
from models.actions.schedule import plan_year
from models.actions.schedule_runs import plan_schedules
from tests.factories import make_agreement, make_organisation, make_relationship, make_staff

START = date(2026, 1, 5)  # a Monday


def _team_with_agreements(db, people: int) -> tuple[int, list[int]]:
    """A Nottingham manager supervising `people` (every other one in their
    ASYE), each agreement in force on START."""
    with db() as session, session.begin():
        org = make_organisation(session, profile="nottingham")
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2020, 1, 6))
        rel_ids = []
        for n in range(people):
            worker = make_staff(session, org, started_on=START, asye=n % 2 == 1)
            rel = make_relationship(session, manager, worker, started_on=START)
            make_agreement(session, rel, signed_on=START, in_force_on=START)
            rel_ids.append(rel.id)
        return org.id, rel_ids


def _planned(db, rel_ids) -> dict[int, list[date]]:
    with db() as session:
        rows = session.execute(
            select(SupervisionSession.relationship_id, SupervisionSession.planned_on)
            .where(
                SupervisionSession.relationship_id.in_(rel_ids),
                SupervisionSession.status == SessionStatus.PLANNED,
            )
            .order_by(SupervisionSession.relationship_id, SupervisionSession.planned_on)
        ).all()
    out: dict[int, list[date]] = {i: [] for i in rel_ids}
    for rel_id, day in rows:
        out[rel_id].append(day)
    return out


def test_a_run_in_batches_plans_each_relationship_as_planning_it_alone_would(db):
    org_id, rel_ids = _team_with_agreements(db, 5)
    counts = plan_schedules(org_id, START, session_factory=db, batch_size=2)
    batched = _planned(db, rel_ids)
    _other_org, alone_ids = _team_with_agreements(db, 5)
    for rel_id in alone_ids:
        plan_year(rel_id, START, session_factory=db)
    alone = _planned(db, alone_ids)
    assert (counts.relationships, counts.refused, counts.failed) == (5, (), ())
    assert counts.sessions == sum(len(days) for days in batched.values())
    assert list(batched.values()) == list(alone.values())
    assert all(batched.values())


def test_running_again_plans_nothing(db):
    org_id, rel_ids = _team_with_agreements(db, 3)
    plan_schedules(org_id, START, session_factory=db, batch_size=2)
    before = _planned(db, rel_ids)
    again = plan_schedules(org_id, START, session_factory=db, batch_size=2)
    assert (again.relationships, again.sessions) == (0, 0)
    assert _planned(db, rel_ids) == before


def test_one_relationship_that_fails_is_named_and_the_rest_of_its_batch_is_planned(db, monkeypatch):
    org_id, rel_ids = _team_with_agreements(db, 3)
    broken = rel_ids[1]
    real = schedule.plan_year_in_session

    def failing_for_one(session, rel, *args, **kwargs):
        result = real(session, rel, *args, **kwargs)  # writes its rows first
        if rel.id == broken:
            raise ValueError("a profile without that cadence")
        return result

    monkeypatch.setattr(schedule, "plan_year_in_session", failing_for_one)
    counts = plan_schedules(org_id, START, session_factory=db, batch_size=3)
    planned = _planned(db, rel_ids)
    assert counts.failed == (
        f"rel-{broken} from {START.isoformat()}: ValueError: a profile without that cadence",
    )
    assert planned[broken] == [] and planned[rel_ids[0]] and planned[rel_ids[2]]
    assert counts.relationships == 2
    with db() as session:
        held_back = select(func.count()).where(SupervisionSession.relationship_id == broken)
        assert session.scalar(held_back) == 0
