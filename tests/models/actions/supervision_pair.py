"""A supervision relationship to record sessions in, for the session, record
and case action tests: a team manager supervising a worker (and another
worker), with a record's input and the organisation's human tasks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import HumanTask, StaffRole
from models.actions.sessions import RecordInput, record_session
from tests.factories import make_organisation, make_relationship, make_staff

STARTED = date(2026, 2, 2)
TODAY = date(2026, 3, 2)


def build_pair(db, profile="lancashire", started=STARTED) -> dict[str, int]:
    """The ids: org, rel (manager supervising worker), manager, worker, other."""
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2020, 1, 6))
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


def record_input(held_on=date(2026, 2, 23), **overrides) -> RecordInput:
    values = {
        "held_on": held_on,
        "duration_minutes": 90,
        "sections": {"personal": "Fine.", "workload": "Caseload of 14."},
    }
    values.update(overrides)
    return RecordInput(**values)


def tasks_of(db, org_id, **where) -> list[HumanTask]:
    """The organisation's human tasks with these column values, by key."""
    with db() as session:
        query = select(HumanTask).where(HumanTask.organisation_id == org_id)
        for name, value in where.items():
            query = query.where(getattr(HumanTask, name) == value)
        return list(session.scalars(query.order_by(HumanTask.key)))


def held(db, pair: dict[str, int], record: RecordInput | None = None, *, by="manager", **more):
    """record_session for the pair's relationship today, signed unless
    `sign=False`, by the supervisor unless `by` names another of the pair."""
    return record_session(
        relationship_id=pair["rel"],
        recorder_staff_id=pair[by],
        record=record or record_input(),
        sign=more.pop("sign", True),
        on=TODAY,
        session_factory=db,
        **more,
    )
