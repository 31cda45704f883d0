"""Observations, the annual review questionnaire and registration checks:
each step is one transaction that records the fact, completes its human task,
puts the next step in the next inbox at once, and writes outbox and audit rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AgreementSignature,
    AgreementStatus,
    AuditEntry,
    CheckKind,
    HumanTask,
    Observation,
    ObservationSignature,
    OutboxEvent,
    RegistrationCheck,
    ReviewQuestionnaire,
    StaffRole,
    SupervisionAgreement,
)
from models.actions.oversight import (
    REVIEW_STATEMENTS,
    ActionError,
    AlreadySigned,
    NotPermitted,
    acknowledge_review,
    complete_observation_part,
    plan_observation,
    record_registration_check,
    registration_valid_until,
    sign_observation,
    sign_review_as_supervisee,
    sign_review_as_supervisor,
)
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff, make_team

# The worker started on 20 March 2025, so their first year of observations
# (Lancashire §1.16, three a year) ends on 20 March 2026, within the inbox window.
STARTED = date(2025, 3, 20)
TODAY = date(2026, 3, 2)
BEFORE = {
    "situation": "Home visit, case 1234567",
    "preparation": "Planned with the family; they are happy for it to go ahead.",
    "desired_outcomes": "Hear the child's views.",
    "feedback_areas": "Direct work with the child.",
}
AFTER = {"reflection": "Went well.", "strengths": "Warm and clear.", "development": "Pace."}


@pytest.fixture
def people(db):
    with db() as session, session.begin():
        org = make_organisation(session, profile="lancashire")
        team = make_team(session, org)
        head = make_staff(session, org, name="Helen Head", role=StaffRole.SENIOR_MANAGER)
        manager = make_staff(
            session,
            org,
            name="Grace Manager",
            role=StaffRole.TEAM_MANAGER,
            line_manager=head,
            team=team,
            started_on=date(2020, 1, 6),
        )
        worker = make_staff(
            session, org, name="Sam Worker", line_manager=manager, team=team, started_on=STARTED
        )
        stranger = make_staff(session, org, name="Sid Stranger", team=team)
        rel = make_relationship(session, manager, worker, started_on=STARTED)
        ids = {
            "org": org.id,
            "head": head.id,
            "manager": manager.id,
            "worker": worker.id,
            "stranger": stranger.id,
            "rel": rel.id,
        }
    reconcile(
        organisation_id=ids["org"], lifecycles={"observation"}, as_of=TODAY, session_factory=db
    )
    return ids


def _open(db, assignee_id, kind=None):
    with db() as session:
        query = select(HumanTask).where(
            HumanTask.assignee_id == assignee_id, HumanTask.status.in_(("open", "escalated"))
        )
        if kind:
            query = query.where(HumanTask.kind == kind)
        return list(session.scalars(query.order_by(HumanTask.key)))


def _task(db, key):
    with db() as session:
        return session.scalars(select(HumanTask).where(HumanTask.key == key)).one()


def _count(db, model, *where):
    with db() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _slot_key(people, n):
    return f"observation:staff-{people['worker']}:{STARTED.isoformat()}:{n}"


def _plan(db, people, n=1, observed_on=date(2026, 3, 5), with_family=True):
    return plan_observation(
        task_id=_task(db, _slot_key(people, n)).id,
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
    kinds = sorted(t.kind for t in _open(db, people["manager"]))
    assert kinds == [
        "practice_observation",
        "practice_observation_with_family",
        "practice_observation_with_family",
    ]


def test_planning_an_observation_puts_the_preparation_in_the_supervisees_inbox(db, people):
    result = _plan(db, people)
    [step] = _open(db, people["worker"], "observation_step")
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
    assert _count(db, Observation) == 1


def test_only_the_person_with_the_task_can_plan_the_observation(db, people):
    with pytest.raises(NotPermitted):
        plan_observation(
            task_id=_task(db, _slot_key(people, 1)).id,
            planner_staff_id=people["stranger"],
            observed_on=date(2026, 3, 5),
            with_family=True,
            on=TODAY,
            session_factory=db,
        )
    assert _count(db, Observation) == 0


def test_each_part_goes_to_its_authors_inbox_in_the_forms_order(db, people):
    observation_id = _plan(db, people).observation_id
    _write(
        db, observation_id, "before", people["worker"], {**BEFORE, "family_consent": True}, TODAY
    )
    [step] = _open(db, people["worker"], "observation_step")
    assert step.key == f"observation-form:{observation_id}:supervisee_after"

    _write(db, observation_id, "supervisee_after", people["worker"], AFTER, date(2026, 3, 5))
    assert _open(db, people["worker"], "observation_step") == []
    [step] = _open(db, people["manager"], "observation_step")
    assert step.title == "Write your feedback on Sam Worker's practice observation of 5 March 2026"

    _write(db, observation_id, "supervisor_after", people["manager"], AFTER, date(2026, 3, 6))
    signing = sorted(t.key for t in _open(db, people["manager"], "observation_step")) + sorted(
        t.key for t in _open(db, people["worker"], "observation_step")
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
    assert _count(db, ObservationSignature) == 1
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
    assert _task(db, _slot_key(people, 1)).status.value == "completed"
    # The other two are still owed, and a scheduled reconcile agrees.
    again = reconcile(
        organisation_id=people["org"], lifecycles={"observation"}, as_of=day, session_factory=db
    )
    assert again.reopened == ()
    assert sorted(t.key for t in _open(db, people["manager"]) if t.kind != "observation_step") == [
        _slot_key(people, 2),
        _slot_key(people, 3),
    ]
    assert _open(db, people["worker"], "observation_step") == []
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
    [task] = _open(db, head_id, "supervision_observation")
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
    assert _open(db, head_id, "supervision_observation") == []


# --- the annual review questionnaire --------------------------------------------------

ANSWERS = {n: ("Usually" if n < 15 else "Never") for n in range(1, len(REVIEW_STATEMENTS) + 1)}
LISTS = {
    "improve": ["More reflective time"],
    "i_could": ["Prepare an agenda"],
    "supervisor_could": [],
}


@pytest.fixture
def reviewing(db, people):
    """An agreement in force since 1 April 2025, so its annual review (and the
    questionnaire, Lancashire §1.4) falls due on 1 April 2026."""
    with db() as session, session.begin():
        agreement = SupervisionAgreement(
            relationship_id=people["rel"],
            version=1,
            status=AgreementStatus.IN_FORCE,
            content={},
            frequency_weeks=4,
            in_force_on=date(2025, 4, 1),
        )
        session.add(agreement)
        session.flush()
        for party, staff in (("supervisor", people["manager"]), ("supervisee", people["worker"])):
            session.add(
                AgreementSignature(
                    agreement_id=agreement.id,
                    party=party,
                    staff_id=staff,
                    signed_on=date(2025, 4, 1),
                )
            )
    reconcile(
        organisation_id=people["org"],
        lifecycles={"agreement_review"},
        as_of=TODAY,
        session_factory=db,
    )
    return people


def _supervisee_signs(db, people, on=TODAY):
    return sign_review_as_supervisee(
        relationship_id=people["rel"],
        supervisee_staff_id=people["worker"],
        statements=ANSWERS,
        lists=LISTS,
        on=on,
        session_factory=db,
    )


def test_the_supervisee_owes_the_questionnaire_and_the_supervisor_the_review(db, reviewing):
    assert [t.kind for t in _open(db, reviewing["worker"])] == ["review_questionnaire"]
    assert [t.kind for t in _open(db, reviewing["manager"], "agreement_review")] == [
        "agreement_review"
    ]


def test_the_supervisee_signs_and_the_supervisor_is_asked_to_sign_and_forward(db, reviewing):
    result = _supervisee_signs(db, reviewing)
    assert _open(db, reviewing["worker"]) == []
    [forward] = _open(db, reviewing["manager"], "review_questionnaire_forward")
    assert forward.id in result.next_task_ids
    with db() as session:
        row = session.get(ReviewQuestionnaire, result.questionnaire_id)
        assert row.answers["statements"]["15"] == "Never"
        assert row.answers["lists"]["improve"] == ["More reflective time"]
        assert row.answers["signatures"]["supervisee"]["staff_id"] == reviewing["worker"]
        assert row.forwarded_to_id is None


def test_every_statement_must_be_answered(db, reviewing):
    with pytest.raises(ActionError, match="statement 16"):
        sign_review_as_supervisee(
            relationship_id=reviewing["rel"],
            supervisee_staff_id=reviewing["worker"],
            statements=dict.fromkeys(range(1, 16), "Usually"),
            lists={},
            on=TODAY,
            session_factory=db,
        )
    assert _count(db, ReviewQuestionnaire) == 0


def test_the_supervisee_signing_twice_signs_once(db, reviewing):
    _supervisee_signs(db, reviewing)
    with pytest.raises(AlreadySigned):
        _supervisee_signs(db, reviewing)
    assert _count(db, ReviewQuestionnaire) == 1


def test_only_the_supervisee_answers_the_questionnaire(db, reviewing):
    with pytest.raises(NotPermitted):
        sign_review_as_supervisee(
            relationship_id=reviewing["rel"],
            supervisee_staff_id=reviewing["manager"],
            statements=ANSWERS,
            lists=LISTS,
            on=TODAY,
            session_factory=db,
        )


def test_the_supervisor_signs_and_it_is_forwarded_to_their_line_manager(db, reviewing):
    questionnaire_id = _supervisee_signs(db, reviewing).questionnaire_id
    day = date(2026, 3, 4)
    result = sign_review_as_supervisor(
        questionnaire_id=questionnaire_id,
        supervisor_staff_id=reviewing["manager"],
        findings="Sessions were sometimes interrupted; we will book a room.",
        on=day,
        session_factory=db,
    )
    assert result.forwarded_to_id == reviewing["head"]
    with db() as session:
        row = session.get(ReviewQuestionnaire, questionnaire_id)
        assert (row.forwarded_to_id, row.forwarded_on) == (reviewing["head"], day)
    assert _open(db, reviewing["manager"], "review_questionnaire_forward") == []
    [read] = _open(db, reviewing["head"], "review_questionnaire_read")
    assert read.title == "Read the annual supervision review for Grace Manager and Sam Worker"
    assert read.payload == {"questionnaire_id": questionnaire_id}
    # The engine agrees the forwarding is done: a scheduled reconcile reopens nothing.
    again = reconcile(
        organisation_id=reviewing["org"],
        lifecycles={"agreement_review"},
        as_of=day,
        session_factory=db,
    )
    assert again.reopened == () and again.created == ()


def test_the_supervisor_must_say_what_they_found(db, reviewing):
    questionnaire_id = _supervisee_signs(db, reviewing).questionnaire_id
    with pytest.raises(ActionError, match="what you found"):
        sign_review_as_supervisor(
            questionnaire_id=questionnaire_id,
            supervisor_staff_id=reviewing["manager"],
            findings="  ",
            on=TODAY,
            session_factory=db,
        )


def test_the_line_manager_acknowledges_once_and_their_task_closes(db, reviewing):
    questionnaire_id = _supervisee_signs(db, reviewing).questionnaire_id
    sign_review_as_supervisor(
        questionnaire_id=questionnaire_id,
        supervisor_staff_id=reviewing["manager"],
        findings="All good.",
        on=TODAY,
        session_factory=db,
    )
    with pytest.raises(NotPermitted):
        acknowledge_review(
            questionnaire_id=questionnaire_id,
            reader_staff_id=reviewing["manager"],
            on=TODAY,
            session_factory=db,
        )
    acknowledge_review(
        questionnaire_id=questionnaire_id,
        reader_staff_id=reviewing["head"],
        on=TODAY,
        session_factory=db,
    )
    assert _open(db, reviewing["head"], "review_questionnaire_read") == []
    with pytest.raises(AlreadySigned):
        acknowledge_review(
            questionnaire_id=questionnaire_id,
            reader_staff_id=reviewing["head"],
            on=TODAY,
            session_factory=db,
        )


# --- registration and DBS checks ------------------------------------------------------


@pytest.mark.parametrize(
    ("checked_on", "renewed", "valid_until"),
    [
        (date(2026, 3, 2), False, date(2026, 11, 30)),
        (date(2026, 10, 1), False, date(2026, 11, 30)),
        (date(2026, 10, 1), True, date(2027, 11, 30)),
        (date(2026, 12, 5), False, date(2027, 11, 30)),
        (date(2026, 3, 2), True, date(2026, 11, 30)),  # outside the window: no renewal yet
    ],
)
def test_a_registration_check_holds_until_the_next_social_work_england_renewal(
    checked_on, renewed, valid_until
):
    assert registration_valid_until(checked_on, renewed) == valid_until


def test_recording_a_registration_check_completes_the_task_and_the_next_is_a_year_on(db, people):
    # Registration renews on 30 November 2026; the check opens a month before.
    with db() as session, session.begin():
        session.add(
            RegistrationCheck(
                staff_id=people["worker"],
                kind=CheckKind.REGISTRATION,
                checked_on=date(2025, 11, 20),
                valid_until=date(2026, 11, 30),
                reference="SW1",
            )
        )
    as_of = date(2026, 11, 2)
    reconcile(
        organisation_id=people["org"], lifecycles={"registration"}, as_of=as_of, session_factory=db
    )
    [task] = _open(db, people["manager"], "registration_check")
    result = record_registration_check(
        staff_id=people["worker"],
        checker_staff_id=people["manager"],
        kind=CheckKind.REGISTRATION,
        checked_on=as_of,
        reference="SW123456",
        renewed_for_next_year=True,
        on=as_of,
        session_factory=db,
    )
    assert result.valid_until == date(2027, 11, 30)
    assert result.completed_task_id == task.id
    assert _open(db, people["manager"], "registration_check") == []
    with db() as session:
        assert session.get(HumanTask, task.id).status.value == "completed"
        [audit] = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "registration_check")
        )
        assert audit.subject_staff_id == people["worker"]


def test_a_dbs_recheck_is_due_after_the_configured_number_of_years(db, people, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_DBS_RECHECK_YEARS", "2")
    result = record_registration_check(
        staff_id=people["worker"],
        checker_staff_id=people["manager"],
        kind=CheckKind.DBS,
        checked_on=TODAY,
        reference="001234567890",
        on=TODAY,
        session_factory=db,
    )
    assert result.valid_until == date(2028, 3, 2)


def test_a_dbs_recheck_defaults_to_three_years(db, people, monkeypatch):
    monkeypatch.delenv("OVERSIGHT_DBS_RECHECK_YEARS", raising=False)
    result = record_registration_check(
        staff_id=people["worker"],
        checker_staff_id=people["manager"],
        kind=CheckKind.DBS,
        checked_on=TODAY,
        reference="001234567890",
        on=TODAY,
        session_factory=db,
    )
    assert result.valid_until == date(2029, 3, 2)


@pytest.mark.parametrize("who", ["stranger", "head", "worker"])
def test_only_the_supervisor_records_a_check(db, people, who):
    with pytest.raises(NotPermitted):
        record_registration_check(
            staff_id=people["worker"],
            checker_staff_id=people[who],
            kind=CheckKind.REGISTRATION,
            checked_on=TODAY,
            reference="SW1",
            on=TODAY,
            session_factory=db,
        )
    assert _count(db, RegistrationCheck) == 0


def test_a_check_dated_in_the_future_is_refused(db, people):
    with pytest.raises(ActionError, match="today or in the past"):
        record_registration_check(
            staff_id=people["worker"],
            checker_staff_id=people["manager"],
            kind=CheckKind.REGISTRATION,
            checked_on=date(2026, 3, 3),
            reference="SW1",
            on=TODAY,
            session_factory=db,
        )
