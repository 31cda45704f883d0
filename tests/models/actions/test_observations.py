"""Observations: planning one answers the engine's observation task, each
part of the council's form goes to its author's inbox in turn, then both
sign; each step is one transaction that records the fact, completes its human
task, puts the next step in the next inbox at once, and writes outbox and
audit rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditEntry, Observation, ObservationSignature, OutboxEvent, StaffRole
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.observations import (
    complete_observation_part,
    plan_observation,
    sign_observation,
)
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff, make_team
from tests.models.actions.supervised_worker import (
    STARTED,
    TODAY,
    build,
    count_rows,
    open_tasks,
    task_with_key,
)

BEFORE = {
    "situation": "Home visit, case 1234567",
    "preparation": "Planned with the family; they are happy for it to go ahead.",
    "desired_outcomes": "Hear the child's views.",
    "feedback_areas": "Direct work with the child.",
}
AFTER = {"reflection": "Went well.", "strengths": "Warm and clear.", "development": "Pace."}


@pytest.fixture
def people(db):
    return build(db)


def _slot_key(people, n):
    return f"observation:staff-{people['worker']}:{STARTED.isoformat()}:{n}"


def _plan(db, people, n=1, observed_on=date(2026, 3, 5), with_family=True):
    return plan_observation(
        task_id=task_with_key(db, _slot_key(people, n)).id,
        planner_staff_id=people["manager"],
        observed_on=observed_on,
        with_family=with_family,
        on=TODAY,
        session_factory=db,
    )


def _write(db, observation_id, part, staff_id, answers, on):
    return complete_observation_part(
        observation_id=observation_id,
        part=part,
        author_staff_id=staff_id,
        answers=answers,
        on=on,
        session_factory=db,
    )


def _all_parts(db, people, observation_id, day=date(2026, 3, 5)):
    _write(
        db, observation_id, "before", people["worker"], {**BEFORE, "family_consent": True}, TODAY
    )
    _write(db, observation_id, "supervisee_after", people["worker"], AFTER, day)
    _write(db, observation_id, "supervisor_after", people["manager"], AFTER, day)


def test_the_reconcile_owes_three_practice_observations_two_of_them_with_families(db, people):
    kinds = sorted(t.kind for t in open_tasks(db, people["manager"]))
    assert kinds == [
        "practice_observation",
        "practice_observation_with_family",
        "practice_observation_with_family",
    ]


def test_planning_an_observation_puts_the_preparation_in_the_supervisees_inbox(db, people):
    result = _plan(db, people)
    [step] = open_tasks(db, people["worker"], "observation_step")
    assert step.id in result.next_task_ids
    assert step.title == "Prepare for your practice observation on 5 March 2026"
    assert step.payload == {"observation_id": result.observation_id}
    assert step.due_on == date(2026, 3, 5)
    with db() as session:
        observation = session.get(Observation, result.observation_id)
        assert (observation.observer_id, observation.staff_id) == (
            people["manager"],
            people["worker"],
        )
        assert observation.with_family is True


def test_planning_twice_for_the_same_task_plans_once(db, people):
    _plan(db, people)
    with pytest.raises(AlreadySigned):
        _plan(db, people)
    assert count_rows(db, Observation) == 1


def test_only_the_person_with_the_task_can_plan_the_observation(db, people):
    with pytest.raises(NotPermitted):
        plan_observation(
            task_id=task_with_key(db, _slot_key(people, 1)).id,
            planner_staff_id=people["stranger"],
            observed_on=date(2026, 3, 5),
            with_family=True,
            on=TODAY,
            session_factory=db,
        )
    assert count_rows(db, Observation) == 0


def test_each_part_goes_to_its_authors_inbox_in_the_forms_order(db, people):
    observation_id = _plan(db, people).observation_id
    _write(
        db, observation_id, "before", people["worker"], {**BEFORE, "family_consent": True}, TODAY
    )
    [step] = open_tasks(db, people["worker"], "observation_step")
    assert step.key == f"observation-form:{observation_id}:supervisee_after"

    _write(db, observation_id, "supervisee_after", people["worker"], AFTER, date(2026, 3, 5))
    assert open_tasks(db, people["worker"], "observation_step") == []
    [step] = open_tasks(db, people["manager"], "observation_step")
    assert step.title == "Write your feedback on Sam Worker's practice observation of 5 March 2026"

    _write(db, observation_id, "supervisor_after", people["manager"], AFTER, date(2026, 3, 6))
    signing = sorted(t.key for t in open_tasks(db, people["manager"], "observation_step")) + sorted(
        t.key for t in open_tasks(db, people["worker"], "observation_step")
    )
    assert signing == [
        f"observation-form:{observation_id}:sign-supervisor",
        f"observation-form:{observation_id}:sign-supervisee",
    ]


def test_a_part_cannot_be_written_before_the_parts_ahead_of_it(db, people):
    observation_id = _plan(db, people).observation_id
    with pytest.raises(ActionError, match="earlier parts"):
        _write(db, observation_id, "supervisee_after", people["worker"], AFTER, date(2026, 3, 5))


def test_the_reflection_cannot_be_written_before_the_day_of_the_observation(db, people):
    observation_id = _plan(db, people).observation_id
    _write(
        db, observation_id, "before", people["worker"], {**BEFORE, "family_consent": True}, TODAY
    )
    with pytest.raises(ActionError, match="written after the observation"):
        _write(db, observation_id, "supervisee_after", people["worker"], AFTER, TODAY)


def test_a_part_is_written_only_by_its_author(db, people):
    observation_id = _plan(db, people).observation_id
    with pytest.raises(NotPermitted):
        _write(db, observation_id, "before", people["manager"], BEFORE, TODAY)


def test_preparing_for_an_observation_with_a_family_needs_their_agreement(db, people):
    observation_id = _plan(db, people).observation_id
    with pytest.raises(ActionError, match="happy for the observation to go ahead"):
        _write(db, observation_id, "before", people["worker"], BEFORE, TODAY)


def test_a_part_locks_once_the_next_part_is_written(db, people):
    observation_id = _plan(db, people).observation_id
    _write(
        db, observation_id, "before", people["worker"], {**BEFORE, "family_consent": True}, TODAY
    )
    # Rewriting before the next part is fine.
    _write(
        db, observation_id, "before", people["worker"], {**BEFORE, "family_consent": True}, TODAY
    )
    _write(db, observation_id, "supervisee_after", people["worker"], AFTER, date(2026, 3, 5))
    with pytest.raises(AlreadySigned):
        _write(db, observation_id, "before", people["worker"], BEFORE, date(2026, 3, 5))


def test_signing_needs_every_part(db, people):
    observation_id = _plan(db, people).observation_id
    with pytest.raises(ActionError, match="Every part"):
        sign_observation(
            observation_id=observation_id,
            signer_staff_id=people["manager"],
            on=TODAY,
            session_factory=db,
        )


def test_signing_twice_signs_once_and_a_signed_observation_cannot_change(db, people):
    observation_id = _plan(db, people).observation_id
    _all_parts(db, people, observation_id)
    sign = {"observation_id": observation_id, "on": date(2026, 3, 6), "session_factory": db}
    sign_observation(signer_staff_id=people["manager"], **sign)
    with pytest.raises(AlreadySigned):
        sign_observation(signer_staff_id=people["manager"], **sign)
    assert count_rows(db, ObservationSignature) == 1
    with pytest.raises(AlreadySigned):
        _write(db, observation_id, "supervisor_after", people["manager"], AFTER, date(2026, 3, 6))


def test_only_the_two_people_in_the_observation_sign_it(db, people):
    observation_id = _plan(db, people).observation_id
    _all_parts(db, people, observation_id)
    with pytest.raises(NotPermitted):
        sign_observation(
            observation_id=observation_id,
            signer_staff_id=people["head"],
            on=date(2026, 3, 6),
            session_factory=db,
        )


def test_when_both_sign_the_observation_task_is_met_and_stays_met(db, people):
    observation_id = _plan(db, people).observation_id
    _all_parts(db, people, observation_id)
    day = date(2026, 3, 6)
    sign_observation(
        observation_id=observation_id, signer_staff_id=people["worker"], on=day, session_factory=db
    )
    result = sign_observation(
        observation_id=observation_id, signer_staff_id=people["manager"], on=day, session_factory=db
    )
    assert result.complete
    assert task_with_key(db, _slot_key(people, 1)).status.value == "completed"
    # The other two are still owed, and a scheduled reconcile agrees.
    again = reconcile(
        organisation_id=people["org"], lifecycles={"observation"}, as_of=day, session_factory=db
    )
    assert again.reopened == ()
    assert sorted(
        t.key for t in open_tasks(db, people["manager"]) if t.kind != "observation_step"
    ) == [
        _slot_key(people, 2),
        _slot_key(people, 3),
    ]
    assert open_tasks(db, people["worker"], "observation_step") == []
    with db() as session:
        events = list(session.scalars(select(OutboxEvent.event)))
        assert "oversight.observation.completed" in events
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.object_type == "observation",
                    AuditEntry.object_id == str(observation_id),
                )
            )
        )
        assert actions.count("sign") == 2


def test_the_supervisors_manager_observes_supervision_under_wokingham(db):
    with db() as session, session.begin():
        org = make_organisation(session, profile="wokingham")
        team = make_team(session, org)
        head = make_staff(session, org, role=StaffRole.SENIOR_MANAGER, started_on=date(2019, 1, 7))
        manager = make_staff(
            session,
            org,
            name="Grace Manager",
            role=StaffRole.TEAM_MANAGER,
            line_manager=head,
            team=team,
            started_on=date(2019, 1, 7),
        )
        worker = make_staff(session, org, line_manager=manager, team=team, started_on=STARTED)
        make_relationship(session, head, manager, started_on=date(2019, 1, 7))
        make_relationship(session, manager, worker, started_on=STARTED)
        org_id, head_id, manager_id = org.id, head.id, manager.id
    as_of = date(2026, 3, 2)
    reconcile(organisation_id=org_id, lifecycles={"observation"}, as_of=as_of, session_factory=db)
    [task] = open_tasks(db, head_id, "supervision_observation")
    assert task.subject_staff_id == manager_id
    result = plan_observation(
        task_id=task.id,
        planner_staff_id=head_id,
        observed_on=as_of,
        with_family=True,  # ignored: not a practice observation
        on=as_of,
        session_factory=db,
    )
    observation_id = result.observation_id
    _write(
        db,
        observation_id,
        "observer",
        head_id,
        {"session_observed": "Part of a session", "strengths": "Reflective", "development": "Time"},
        as_of,
    )
    _write(
        db,
        observation_id,
        "reflection",
        manager_id,
        {"reflection": "Useful", "discussed_in_supervision": "At my next supervision"},
        as_of,
    )
    for signer in (head_id, manager_id):
        sign_observation(
            observation_id=observation_id, signer_staff_id=signer, on=as_of, session_factory=db
        )
    with db() as session:
        observation = session.get(Observation, observation_id)
        assert observation.kind.value == "supervision"
        assert observation.with_family is False
    assert open_tasks(db, head_id, "supervision_observation") == []
