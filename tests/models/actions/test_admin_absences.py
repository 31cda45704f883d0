"""An absence recorded by the workforce team can be ended early or shortened,
and the cover arranged within it with it: one transaction that gives the
covered tasks back, audits the change from what to what and announces it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AppRole, AuditEntry, HumanTask, StaffRole
from models.actions.admin_absences import record_absence, shorten_absence
from models.actions.admin_relationships import name_supervisor
from models.actions.admin_staff import FieldProblem
from models.events import ABSENCE_SHORTENED
from models.tables.human_task import OPEN_STATUSES
from models.tables.outbox import OutboxEvent
from models.tables.oversight import Absence, CoverArrangement
from tests.factories.people import (
    make_organisation,
    make_service_area,
    make_staff,
    make_team,
    make_user,
)

ON = date(2026, 3, 2)


@pytest.fixture
def council(db):
    """Bea supervises Wes; Cal, another team manager, may cover for her; Fay
    is the workforce team."""
    with db() as session, session.begin():
        org = make_organisation(session)
        team = make_team(session, org, area=make_service_area(session, org))
        bea = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
        cal = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
        wes = make_staff(session, org, team=team, line_manager=bea)
        fay = make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT)
        make_user(session, cal, AppRole.SUPERVISOR)
        ids = {"bea": bea.id, "cal": cal.id, "wes": wes.id, "bea_number": bea.staff_number}
        ids["fay"] = make_user(session, fay, AppRole.WORKFORCE_TEAM).id
    name_supervisor(
        actor_user_id=ids["fay"],
        supervisee_id=ids["wes"],
        supervisor_id=ids["bea"],
        reason="new_starter",
        started_on=date(2026, 2, 23),
        on=ON,
    )
    return ids


def covered_absence(council) -> int:
    return record_absence(
        actor_user_id=council["fay"],
        staff_id=council["bea"],
        starts_on=ON,
        ends_on=date(2026, 3, 27),
        reason="Sick leave",
        cover_staff_id=council["cal"],
        on=ON,
    ).absence_id


def holders_of_wes_agreement(db, council) -> set[int]:
    with db() as session:
        return set(
            session.scalars(
                select(HumanTask.assignee_id).where(
                    HumanTask.kind == "agreement", HumanTask.status.in_(OPEN_STATUSES)
                )
            )
        )


def test_shortening_an_absence_ends_its_cover_and_gives_the_covered_tasks_back_at_once(db, council):
    absence_id = covered_absence(council)
    assert holders_of_wes_agreement(db, council) == {council["cal"]}

    done = shorten_absence(
        actor_user_id=council["fay"],
        absence_id=absence_id,
        ends_on=date(2026, 3, 4),
        on=date(2026, 3, 5),
    )

    assert holders_of_wes_agreement(db, council) == {council["bea"]}
    with db() as session:
        assert session.get(Absence, absence_id).ends_on == date(2026, 3, 4)
        [cover] = session.scalars(select(CoverArrangement)).all()
        assert (cover.id,) == done.cover_arrangement_ids
        assert cover.ends_on == date(2026, 3, 4)
        trail = {
            (a.object_type, a.detail)
            for a in session.scalars(select(AuditEntry).where(AuditEntry.action == "update"))
        }
        last_event = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id.desc())).first()
    assert (
        "cover_arrangement",
        f"changed {council['bea_number']}: ends_on: 2026-03-27 -> 2026-03-04",
    ) in trail
    assert any(
        kind == "absence" and "ends_on: 2026-03-27 -> 2026-03-04" in detail
        for kind, detail in trail
    )
    assert (last_event.event, last_event.resource_id) == (
        ABSENCE_SHORTENED.name,
        f"oversight.staff.{council['bea']}",
    )
    assert last_event.payload["cover_arrangement_ids"] == [cover.id]


def test_an_absence_with_no_last_day_is_ended_on_the_day_given(db, council):
    absence_id = record_absence(
        actor_user_id=council["fay"],
        staff_id=council["bea"],
        starts_on=ON,
        ends_on=None,
        reason="",
        cover_staff_id=None,
        on=ON,
    ).absence_id

    shorten_absence(
        actor_user_id=council["fay"], absence_id=absence_id, ends_on=date(2026, 3, 13), on=ON
    )

    with db() as session:
        assert session.get(Absence, absence_id).ends_on == date(2026, 3, 13)


@pytest.mark.parametrize(
    ("ends_on", "says"),
    [
        (date(2026, 2, 27), "on or after the first day, 2 March 2026"),
        (date(2026, 3, 27), "already ends on 27 March 2026"),
        (date(2026, 4, 10), "already ends on 27 March 2026"),
    ],
)
def test_a_last_day_before_the_first_or_not_earlier_than_now_is_refused_and_nothing_changes(
    db, council, ends_on, says
):
    absence_id = covered_absence(council)

    with pytest.raises(FieldProblem, match=says) as refused:
        shorten_absence(actor_user_id=council["fay"], absence_id=absence_id, ends_on=ends_on, on=ON)

    assert refused.value.field == "ends_on"
    with db() as session:
        assert session.get(Absence, absence_id).ends_on == date(2026, 3, 27)
        assert session.scalars(select(CoverArrangement.ends_on)).one() == date(2026, 3, 27)
        assert ABSENCE_SHORTENED.name not in session.scalars(select(OutboxEvent.event)).all()
