"""A leaver recorded on the admin page leaves every inbox they should leave
(as supervisor, supervisee and case worker) at once, and their records'
retention starts (Nottingham §3.5: deleted 5 years after leaving)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from models import AppRole, HumanTask, StaffRole
from models.actions.admin_cases import allocate_or_reallocate
from models.actions.admin_relationships import name_supervisor
from models.actions.retention import due_for_deletion
from models.tables.human_task import OPEN_STATUSES
from models.tables.outbox import OutboxEvent
from models.tables.reconcile_state import ReconcileWake
from tests.factories.people import (
    PASSWORD,
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)
from tests.webapp.conftest import TODAY, build_app, login

LEFT_ON = date(2026, 2, 27)


def build_council(db) -> dict:
    """Nottingham: Lee manages Mia, who supervises Will and holds a case; Fay is
    the workforce team."""
    with db() as session, session.begin():
        org = make_organisation(session, profile="nottingham")
        team = make_team(session, org, area=make_service_area(session, org))
        lee = make_staff(session, org, role=StaffRole.MANAGER, team=team)
        mia = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team, line_manager=lee)
        will = make_staff(session, org, team=team, line_manager=mia)
        fay = make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT, team=team)
        fay_login = make_user(session, fay, AppRole.WORKFORCE_TEAM, username="fay").id
        make_user(session, mia, AppRole.SUPERVISOR, username="mia")
        ids = {"lee": lee.id, "mia": mia.id, "will": will.id, "fay": fay_login, "org": org.id}
    for supervisee, supervisor in (("mia", "lee"), ("will", "mia")):
        name_supervisor(
            actor_user_id=ids["fay"],
            supervisee_id=ids[supervisee],
            supervisor_id=ids[supervisor],
            reason="new_starter",
            started_on=date(2026, 1, 5),
            on=TODAY,
        )
    allocate_or_reallocate(
        actor_user_id=ids["fay"],
        case_ref="LCS-100200",
        case_type="child_in_need",
        worker_id=ids["mia"],
        allocated_on=date(2026, 1, 12),
        on=TODAY,
    )
    return ids


def open_tasks(session, *conditions) -> list[HumanTask]:
    return list(
        session.scalars(select(HumanTask).where(HumanTask.status.in_(OPEN_STATUSES), *conditions))
    )


def test_a_leaver_recorded_on_the_page_leaves_every_inbox_and_starts_retention(db, tmp_path):
    ids = build_council(db)
    mia, org_id = ids["mia"], ids["org"]
    with db() as session:
        assert open_tasks(session, HumanTask.assignee_id == mia), "Mia has work before she leaves"
    client = build_app(db, INSTANCE_PATH=str(tmp_path)).test_client()
    assert login(client, "fay", PASSWORD).status_code == 302
    data = {"left_on": [str(LEFT_ON.day), str(LEFT_ON.month), str(LEFT_ON.year)]}
    assert "Check your answers" in client.post(f"/admin/staff/{mia}/leaving", data=data).text

    done = client.post(f"/admin/staff/{mia}/leaving", data={**data, "confirm": "1"})

    assert done.status_code == 302
    with db() as session:
        # Nothing is left in her inbox, nor owed by or to her as a supervisor or supervisee.
        assert (
            open_tasks(
                session,
                or_(HumanTask.assignee_id == mia, HumanTask.original_assignee_id == mia),
                HumanTask.kind != "retention",
            )
            == []
        )
        # Retention has started: her records fall due for deletion 5 years on, and
        # the retention lifecycle will wake for her before then to put it in an inbox.
        assert due_for_deletion(session, org_id, date(2031, 2, 27)) == []
        assert due_for_deletion(session, org_id, date(2031, 2, 28)) == [mia]
        wake = session.scalars(
            select(ReconcileWake.wake_on).where(
                ReconcileWake.lifecycle == "retention", ReconcileWake.unit.contains(f"staff-{mia}")
            )
        ).one()
        assert TODAY < wake <= date(2031, 2, 27)
        assert session.scalars(
            select(OutboxEvent.resource_id).where(OutboxEvent.event == "oversight.staff.left")
        ).all() == [f"oversight.staff.{mia}"]
    # She has left, so her login no longer signs in.
    assert login(build_app(db).test_client(), "mia", PASSWORD).status_code == 200
