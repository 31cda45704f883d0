"""A person's ASYE start and probation end, kept by the workforce team, are
the facts the engine reads; and every change the team makes to a person or a
relationship is announced in the outbox, so the subject's lifecycle flow runs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AppRole, HumanTask, StaffRole
from models.actions.admin_relationships import end_relationship, name_supervisor
from models.actions.admin_staff import FieldProblem, add_staff, edit_staff, record_leaving
from models.engine.fact_rows.people import staff_facts
from models.events import (
    RELATIONSHIP_ENDED,
    RELATIONSHIP_STARTED,
    STAFF_ADDED,
    STAFF_CHANGED,
    STAFF_LEFT,
)
from models.tables.org import Employment
from models.tables.outbox import OutboxEvent
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
    """A Lancashire team with a team manager; Fay is the workforce team."""
    with db() as session, session.begin():
        org = make_organisation(session)
        team = make_team(session, org, area=make_service_area(session, org))
        boss = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
        fay = make_staff(session, org, role=StaffRole.BUSINESS_SUPPORT)
        return {
            "org": org.id,
            "team": team.id,
            "boss": boss.id,
            "fay": make_user(session, fay, AppRole.WORKFORCE_TEAM).id,
        }


def newly_qualified(council, **extra) -> dict:
    return {
        "name": "Nia New",
        "email": "nia@council.example",
        "role": StaffRole.SOCIAL_WORKER,
        "employment": Employment.PERMANENT,
        "started_on": date(2026, 1, 5),
        "asye": True,
        "team_id": council["team"],
        **extra,
    }


def asye_review_due(db, staff_id: int, stage: int) -> date:
    with db() as session:
        return session.scalars(
            select(HumanTask.due_on).where(
                HumanTask.key == f"asye-review:staff-{staff_id}:{stage}",
                HumanTask.status.in_(("open", "claimed")),
            )
        ).one()


def test_the_asye_start_given_on_the_admin_page_starts_the_asye_clock_and_a_change_moves_it(
    db, council
):
    # Near enough to the 3-month review for it to be in the supervisor's inbox.
    on = date(2026, 4, 20)
    added = add_staff(
        actor_user_id=council["fay"],
        staff_number="N1",
        values=newly_qualified(council, asye_started_on=date(2026, 2, 2)),
        on=on,
    )
    name_supervisor(
        actor_user_id=council["fay"],
        supervisee_id=added.staff_id,
        supervisor_id=council["boss"],
        reason="new_starter",
        started_on=date(2026, 1, 5),
        on=on,
    )
    assert asye_review_due(db, added.staff_id, 3) == date(2026, 5, 2)

    edit_staff(
        actor_user_id=council["fay"],
        staff_id=added.staff_id,
        values={"asye_started_on": date(2026, 2, 16)},
        on=on,
    )

    assert asye_review_due(db, added.staff_id, 3) == date(2026, 5, 16)


def test_the_engine_reads_the_asye_start_and_probation_end_the_workforce_team_keeps(db, council):
    added = add_staff(
        actor_user_id=council["fay"],
        staff_number="N2",
        values=newly_qualified(
            council, asye_started_on=date(2026, 2, 2), probation_ends_on=date(2026, 7, 5)
        ),
        on=ON,
    )
    with db() as session:
        (person,) = staff_facts(session, council["org"], [added.staff_id])

    assert (person.asye_started_on, person.probation_ends_on) == (
        date(2026, 2, 2),
        date(2026, 7, 5),
    )


def test_a_probation_end_before_the_start_or_an_asye_start_without_an_asye_is_refused(council):
    with pytest.raises(FieldProblem, match="Probation must end after") as early:
        add_staff(
            actor_user_id=council["fay"],
            staff_number="N3",
            values=newly_qualified(council, probation_ends_on=date(2026, 1, 1)),
            on=ON,
        )
    with pytest.raises(FieldProblem, match="only for someone in their ASYE") as stray:
        add_staff(
            actor_user_id=council["fay"],
            staff_number="N4",
            values=newly_qualified(council, asye=False, asye_started_on=date(2026, 2, 2)),
            on=ON,
        )
    assert (early.value.field, stray.value.field) == ("probation_ends_on", "asye_started_on")


def outbox(db) -> list[tuple[str, str]]:
    with db() as session:
        return [
            (e.event, e.resource_id)
            for e in session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))
        ]


def test_every_change_to_a_person_or_relationship_is_announced_for_its_subject(db, council):
    fay = council["fay"]
    added = add_staff(actor_user_id=fay, staff_number="N5", values=newly_qualified(council), on=ON)
    person = added.staff_id
    rel = name_supervisor(
        actor_user_id=fay,
        supervisee_id=person,
        supervisor_id=council["boss"],
        reason="new_starter",
        started_on=date(2026, 1, 5),
        on=ON,
    ).relationship_id
    edit_staff(actor_user_id=fay, staff_id=person, values={"job_title": "Social worker"}, on=ON)
    edit_staff(actor_user_id=fay, staff_id=person, values={"job_title": "Social worker"}, on=ON)
    end_relationship(actor_user_id=fay, relationship_id=rel, ended_on=date(2026, 2, 27), on=ON)
    record_leaving(actor_user_id=fay, staff_id=person, left_on=date(2026, 2, 27), on=ON)

    assert outbox(db) == [
        (STAFF_ADDED.name, f"oversight.staff.{person}"),
        (RELATIONSHIP_STARTED.name, f"oversight.relationship.{rel}"),
        # The second, identical edit changed nothing, so announces nothing.
        (STAFF_CHANGED.name, f"oversight.staff.{person}"),
        (RELATIONSHIP_ENDED.name, f"oversight.relationship.{rel}"),
        (STAFF_LEFT.name, f"oversight.staff.{person}"),
    ]
