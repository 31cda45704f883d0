"""Recording group reflective supervision (Bristol §6.1-6.5): the attendance
meets the supervisor's "group_supervision" task, the next is four weeks on,
the same day twice is stored once, and only the supervisor (or their cover)
in a council whose policy has it may record it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import (
    AuditEntry,
    CoverArrangement,
    GroupSupervisionAttendance,
    HumanTask,
    OutboxEvent,
    StaffRole,
)
from models.actions.errors import ActionError, NotPermitted
from models.actions.group_attendance import record_group_attendance
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff

STARTED = date(2026, 1, 5)
TODAY = date(2026, 3, 2)
FIRST_DUE = STARTED + timedelta(weeks=4)  # 2 February 2026


@pytest.fixture
def pair(db):
    def build(profile="bristol"):
        with db() as session, session.begin():
            org = make_organisation(session, profile=profile)
            manager = make_staff(
                session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2020, 1, 6)
            )
            colleague = make_staff(
                session, org, role=StaffRole.TEAM_MANAGER, started_on=date(2020, 1, 6)
            )
            worker = make_staff(session, org, started_on=STARTED, line_manager=manager)
            other = make_staff(session, org, started_on=STARTED, line_manager=manager)
            rel = make_relationship(session, manager, worker, started_on=STARTED)
            make_relationship(session, manager, other, started_on=STARTED)
            ids = {
                "org": org.id,
                "rel": rel.id,
                "manager": manager.id,
                "colleague": colleague.id,
                "worker": worker.id,
                "other": other.id,
            }
        reconcile(
            organisation_id=ids["org"],
            lifecycles={"personal_supervision"},
            as_of=TODAY,
            session_factory=db,
        )
        return ids

    return build


def _record(db, p, attended_on=date(2026, 2, 25), by="manager", **extra):
    return record_group_attendance(
        relationship_id=p["rel"],
        recorder_staff_id=p[by],
        attended_on=attended_on,
        model=extra.pop("model", "restorative_circles"),
        on=TODAY,
        session_factory=db,
        **extra,
    )


def _group_tasks(db, p) -> list[HumanTask]:
    with db() as session:
        return list(
            session.scalars(
                select(HumanTask)
                .where(
                    HumanTask.organisation_id == p["org"],
                    HumanTask.kind == "group_supervision",
                    HumanTask.subject == f"rel-{p['rel']}",
                )
                .order_by(HumanTask.due_on)
            )
        )


def _stored(db):
    with db() as session:
        rows = session.scalars(select(GroupSupervisionAttendance)).all()
        events = session.scalars(
            select(OutboxEvent).where(OutboxEvent.event == "oversight.session.group-attended")
        ).all()
        return rows, events


def test_recording_attendance_meets_the_task_and_the_next_is_four_weeks_on(db, pair):
    p = pair()
    [owed] = _group_tasks(db, p)
    assert owed.key == f"group:rel-{p['rel']}:{FIRST_DUE.isoformat()}"
    assert owed.assignee_id == p["manager"] and owed.is_open
    assert owed.lifecycle == "personal_supervision"
    assert owed.title.endswith("'s group reflective supervision")
    assert owed.title.startswith("Record ")

    result = _record(db, p, facilitator_staff_id=p["colleague"])

    assert result.recorded and result.completed_task_ids == (owed.id,)
    done, following = _group_tasks(db, p)
    assert done.id == owed.id and done.status == "completed"
    assert done.completed_by_id == p["manager"]
    next_due = date(2026, 2, 25) + timedelta(weeks=4)
    assert following.key == f"group:rel-{p['rel']}:{next_due.isoformat()}"
    assert following.is_open and following.assignee_id == p["manager"]
    assert following.id in result.next_task_ids
    rows, events = _stored(db)
    assert [(r.staff_id, r.attended_on, r.facilitator_id, r.model) for r in rows] == [
        (p["worker"], date(2026, 2, 25), p["colleague"], "restorative_circles")
    ]
    assert len(events) == 1
    assert events[0].resource_id == f"oversight.relationship.{p['rel']}"
    assert events[0].payload["organisation_id"] == p["org"]
    with db() as session:
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "group_supervision_attendance")
        ).one()
        assert audit.subject_staff_id == p["worker"] and audit.actor == f"staff-{p['manager']}"


def test_recording_the_same_day_twice_records_it_once(db, pair):
    p = pair()
    first = _record(db, p)
    second = _record(db, p, model="intervision")
    assert first.recorded and not second.recorded
    assert second.attendance_id == first.attendance_id
    assert second.completed_task_ids == () and second.next_task_ids == ()
    rows, events = _stored(db)
    assert len(rows) == 1 and rows[0].model == "restorative_circles"
    assert len(events) == 1
    assert [t.status for t in _group_tasks(db, p)] == ["completed", "open"]


def test_a_date_in_the_future_is_refused_and_nothing_is_stored(db, pair):
    p = pair()
    with pytest.raises(ActionError, match="today or in the past"):
        _record(db, p, attended_on=TODAY + timedelta(days=1))
    assert _stored(db) == ([], [])
    assert [t.status for t in _group_tasks(db, p)] == ["open"]


def test_a_date_before_supervision_began_is_refused(db, pair):
    p = pair()
    with pytest.raises(ActionError, match=r"on or after supervision with .* began"):
        _record(db, p, attended_on=STARTED - timedelta(days=1))
    assert _stored(db) == ([], [])


@pytest.mark.parametrize("who", ["worker", "other", "colleague"])
def test_only_the_supervisor_or_their_cover_may_record_it(db, pair, who):
    p = pair()
    with pytest.raises(NotPermitted):
        _record(db, p, by=who)
    assert _stored(db) == ([], [])
    assert [t.status for t in _group_tasks(db, p)] == ["open"]


def test_the_colleague_covering_for_the_supervisor_may_record_it(db, pair):
    p = pair()
    with db() as session, session.begin():
        session.add(
            CoverArrangement(
                absent_supervisor_id=p["manager"],
                cover_supervisor_id=p["colleague"],
                starts_on=TODAY - timedelta(days=7),
                reason="Annual leave",
            )
        )
    result = _record(db, p, by="colleague")
    assert result.recorded
    assert len(result.completed_task_ids) == 1


def test_a_council_whose_policy_has_no_group_supervision_cannot_record_it(db, pair):
    p = pair(profile="lancashire")
    assert _group_tasks(db, p) == []
    with pytest.raises(ActionError, match="no group reflective supervision"):
        _record(db, p)
    assert _stored(db) == ([], [])


def test_a_model_that_is_not_on_the_list_is_refused(db, pair):
    p = pair()
    with pytest.raises(ActionError, match="Select the model"):
        _record(db, p, model="something else")
    assert _stored(db) == ([], [])
