"""Nottingham 001 §3.5: a leaver's supervision records are deleted five years
after they leave; case consultation stays with the child's file (§3.2-3.3).
Idempotent, one transaction per person, and a run stopped half-way finishes
on the next run."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AgreementStatus,
    AuditEntry,
    Base,
    CaseSupervision,
    GroupSupervisionAttendance,
    HumanTask,
    Observation,
    Organisation,
    ReviewQuestionnaire,
    SessionAction,
    SessionSignature,
    StaffMember,
    StaffRole,
    SupervisionAgreement,
    SupervisionSession,
)
from models.actions.retention import delete_expired_records, due_for_deletion
from tests.factories import (
    make_agreement,
    make_case,
    make_case_supervision,
    make_group_attendance,
    make_human_task,
    make_observation,
    make_organisation,
    make_relationship,
    make_review_questionnaire,
    make_session,
    make_staff,
    make_team,
)

AS_OF = date(2031, 6, 1)
SECRET = "Discussed a private health matter"


def _records(session, rel, supervisor_id, supervisee_id, *, with_case=False):
    """A session with a signature, an action and (optionally) a case discussion;
    a signed agreement; an observation with a signature; a questionnaire; a
    closed human task with a payload."""
    held = make_session(
        session,
        rel,
        held_on=date(2025, 3, 3),
        record={"wellbeing": SECRET},
        signatures={"supervisor": date(2025, 3, 3)},
    )
    session.add(SessionAction(session_id=held.id, description="Book training"))
    make_agreement(
        session,
        rel,
        signatures={"supervisee": date(2025, 1, 6)},
        status=AgreementStatus.IN_FORCE,
        content={"x": SECRET},
    )
    observation = make_observation(
        session,
        supervisee_id,
        observer=supervisor_id,
        observed_on=date(2025, 2, 3),
        content={"parts": {"before": {"situation": SECRET}}},
        signatures={"supervisor": date(2025, 2, 3)},
    )
    make_review_questionnaire(session, rel, reviewed_on=date(2025, 1, 6), answers={"x": SECRET})
    make_group_attendance(
        session, rel.supervisee_id, attended_on=date(2025, 1, 13), model="intervision"
    )
    make_human_task(
        session,
        rel.supervisee.organisation_id,
        kind="observation_step",
        lifecycle="observation_form",
        key=f"test:closed:{rel.id}",
        title="Old task",
        subject_staff=supervisee_id,
        assignee=supervisee_id,
        due_on=date(2025, 2, 3),
        status="completed",
        rule="observation.practice",
        payload={"observation_id": observation.id},
    )
    if not with_case:
        return None
    case = make_case(session, supervisee_id, case_ref="LCS-123456", allocated_on=date(2024, 1, 8))
    return make_case_supervision(
        session,
        case,
        supervisor=supervisor_id,
        supervised_on=date(2025, 3, 3),
        session_id=held.id,
        decision="Continue the plan",
    ).id


@pytest.fixture
def council(db):
    """Nottingham: a manager; Lee left in 2025 (six years before AS_OF), Rita
    left in 2027 (four years before), Sam still works here; all three have
    records with the manager. Lee was also a supervisor of Sam once."""
    with db() as session, session.begin():
        org = make_organisation(session, profile="nottingham")
        team = make_team(session, org)
        manager = make_staff(
            session, org, role=StaffRole.TEAM_MANAGER, team=team, started_on=date(2015, 1, 5)
        )
        lee = make_staff(
            session,
            org,
            name="Lee Leaver",
            team=team,
            started_on=date(2020, 1, 6),
            left_on=date(2025, 5, 30),
        )
        rita = make_staff(
            session,
            org,
            name="Rita Recent",
            team=team,
            started_on=date(2020, 1, 6),
            left_on=date(2027, 5, 30),
        )
        sam = make_staff(session, org, name="Sam Stays", team=team, started_on=date(2020, 1, 6))
        ids = {"org": org.id, "manager": manager.id, "lee": lee.id, "rita": rita.id, "sam": sam.id}
        lee_rel = make_relationship(session, manager, lee, started_on=date(2020, 1, 6))
        ids["lee_case"] = _records(session, lee_rel, manager.id, lee.id, with_case=True)
        rita_rel = make_relationship(session, manager, rita, started_on=date(2020, 1, 6))
        _records(session, rita_rel, manager.id, rita.id)
        sam_rel = make_relationship(session, lee, sam, started_on=date(2020, 1, 6))
        _records(session, sam_rel, lee.id, sam.id)
        ids.update(lee_rel=lee_rel.id, rita_rel=rita_rel.id, sam_rel=sam_rel.id)
        return ids


def _count(db, model, *where):
    with db() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _sessions_of(db, rel_id):
    return _count(db, SupervisionSession, SupervisionSession.relationship_id == rel_id)


def test_a_leavers_records_are_deleted_five_years_after_they_left(db, council):
    result = delete_expired_records(council["org"], AS_OF, session_factory=db)
    assert list(result.deleted) == [council["lee"]]
    assert result.deleted[council["lee"]] == {
        "supervision_sessions": 1,
        "session_signatures": 1,
        "session_record_versions": 0,
        "session_actions": 1,
        "agreements": 1,
        "agreement_signatures": 1,
        "observations": 1,
        "observation_signatures": 1,
        "review_questionnaires": 1,
        "group_supervision_attendance": 1,
        "record_audits": 0,
        "missed_sessions": 0,
        "mail_messages": 0,
        "task_payloads": 1,
    }
    assert (
        _count(
            db, GroupSupervisionAttendance, GroupSupervisionAttendance.staff_id == council["lee"]
        )
        == 0
    )
    assert _sessions_of(db, council["lee_rel"]) == 0
    assert (
        _count(db, SupervisionAgreement, SupervisionAgreement.relationship_id == council["lee_rel"])
        == 0
    )
    assert _count(db, Observation, Observation.staff_id == council["lee"]) == 0
    assert (
        _count(db, ReviewQuestionnaire, ReviewQuestionnaire.relationship_id == council["lee_rel"])
        == 0
    )
    with db() as session:
        lee = session.get(StaffMember, council["lee"])
        assert lee.records_deleted_on == AS_OF
        [audit] = session.scalars(select(AuditEntry).where(AuditEntry.action == "delete"))
        assert audit.subject_staff_id == council["lee"]
        assert "1 supervision sessions" in audit.detail and "1 June 2031" in audit.detail
        assert SECRET not in audit.detail
        task = session.scalars(
            select(HumanTask).where(HumanTask.key == f"test:closed:{council['lee_rel']}")
        ).one()
        assert task.payload == {}


def test_someone_who_left_less_than_five_years_ago_is_untouched(db, council):
    delete_expired_records(council["org"], AS_OF, session_factory=db)
    assert _sessions_of(db, council["rita_rel"]) == 1
    assert _count(db, Observation, Observation.staff_id == council["rita"]) == 1
    with db() as session:
        assert session.get(StaffMember, council["rita"]).records_deleted_on is None


def test_the_day_five_years_after_leaving_is_still_within_the_period(db, council):
    assert due_for_deletion_on(db, council, date(2030, 5, 30)) == []
    assert due_for_deletion_on(db, council, date(2030, 5, 31)) == [council["lee"]]


def due_for_deletion_on(db, council, day):
    with db() as session:
        return due_for_deletion(session, council["org"], day)


def test_records_they_kept_as_a_supervisor_belong_to_their_supervisees_and_stay(db, council):
    delete_expired_records(council["org"], AS_OF, session_factory=db)
    assert _sessions_of(db, council["sam_rel"]) == 1
    assert _count(db, Observation, Observation.staff_id == council["sam"]) == 1


def test_case_supervision_stays_with_the_childs_file(db, council):
    delete_expired_records(council["org"], AS_OF, session_factory=db)
    with db() as session:
        case = session.get(CaseSupervision, council["lee_case"])
        assert case is not None
        assert case.session_id is None
        assert case.decision == "Continue the plan"


def test_running_twice_deletes_nothing_more_and_writes_one_audit_entry(db, council):
    delete_expired_records(council["org"], AS_OF, session_factory=db)
    again = delete_expired_records(council["org"], date(2031, 6, 2), session_factory=db)
    assert again.deleted == {}
    assert _count(db, AuditEntry, AuditEntry.action == "delete") == 1
    with db() as session:
        assert session.get(StaffMember, council["lee"]).records_deleted_on == AS_OF


@pytest.mark.parametrize("profile", ["lancashire", "bristol", "wokingham", "north_west"])
def test_a_profile_without_the_retention_rule_deletes_nothing(db, council, profile):
    with db() as session, session.begin():
        session.get(Organisation, council["org"]).profile = profile
    result = delete_expired_records(council["org"], AS_OF, session_factory=db)
    assert result.deleted == {}
    assert _sessions_of(db, council["lee_rel"]) == 1


def test_a_run_stopped_between_people_finishes_on_the_next_run(db, council):
    """Two leavers due; the run dies after the first. The first is fully done,
    the second untouched; the next run finishes the second and nothing else."""
    with db() as session, session.begin():
        rita = session.get(StaffMember, council["rita"])
        rita.left_on = date(2025, 4, 1)

    class Crash(Exception):
        pass

    def crash(_staff_id):
        raise Crash

    with pytest.raises(Crash):
        delete_expired_records(council["org"], AS_OF, session_factory=db, after_person=crash)
    with db() as session:
        done = [
            s.id
            for s in session.scalars(
                select(StaffMember).where(StaffMember.records_deleted_on.is_not(None))
            )
        ]
    assert len(done) == 1
    [first] = done
    second = council["rita"] if first == council["lee"] else council["lee"]
    second_rel = council["rita_rel"] if second == council["rita"] else council["lee_rel"]
    assert _sessions_of(db, second_rel) == 1

    result = delete_expired_records(council["org"], AS_OF, session_factory=db)
    assert list(result.deleted) == [second]
    assert _sessions_of(db, second_rel) == 0
    assert _count(db, AuditEntry, AuditEntry.action == "delete") == 2


def test_a_failure_inside_one_persons_deletion_leaves_them_untouched(db, council, monkeypatch):
    import models.actions.retention

    def broken(session, person):
        session.execute(models.actions.retention.delete(SessionSignature))
        raise RuntimeError("disk full")

    monkeypatch.setattr(models.actions.retention, "_delete", broken)
    with pytest.raises(RuntimeError):
        delete_expired_records(council["org"], AS_OF, session_factory=db)
    assert _sessions_of(db, council["lee_rel"]) == 1
    assert _count(db, SessionSignature) == 3
    assert _count(db, AuditEntry, AuditEntry.action == "delete") == 0
    with db() as session:
        assert session.get(StaffMember, council["lee"]).records_deleted_on is None


def test_people_are_found_in_batches(db, council):
    with db() as session, session.begin():
        session.get(StaffMember, council["rita"]).left_on = date(2025, 4, 1)
    seen = []
    result = delete_expired_records(
        council["org"], AS_OF, batch_size=1, session_factory=db, after_person=seen.append
    )
    assert sorted(seen) == sorted([council["lee"], council["rita"]])
    assert sorted(result.deleted) == sorted(seen)


# Every foreign key into a table retention deletes from must be handled in
# models/actions/retention.py; a new table pointing at them must be added there too.
HANDLED = {
    ("session_signature", "session_id"),
    ("session_action", "session_id"),
    ("session_action", "reviewed_in_session_id"),
    ("session_record_version", "session_id"),
    ("supervision_session", "rescheduled_from_id"),
    ("case_supervision", "session_id"),
    ("agreement_signature", "agreement_id"),
    ("observation_signature", "observation_id"),
}


def test_every_reference_to_a_deleted_record_is_handled():
    deleted = {
        "supervision_session",
        "supervision_agreement",
        "observation",
        "review_questionnaire",
    }
    references = {
        (table.name, fk.parent.name)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name in deleted
    }
    assert references <= HANDLED, f"not handled by retention: {sorted(references - HANDLED)}"


def test_mail_to_a_leaver_or_about_their_tasks_is_deleted_with_their_records(db, council):
    from models import MailMessage, Notification

    with db() as session, session.begin():
        task = session.scalars(
            select(HumanTask).where(HumanTask.key == f"test:closed:{council['lee_rel']}")
        ).one()
        to_lee = MailMessage(
            organisation_id=council["org"],
            recipient_id=council["lee"],
            to_address="lee@example.test",
            kind="digest",
            dedupe_key="d:lee",
            subject="Your tasks",
            body="...",
            message_id="<1@x>",
        )
        about_lee = MailMessage(
            organisation_id=council["org"],
            recipient_id=council["manager"],
            to_address="m@example.test",
            kind="escalation",
            dedupe_key="e:lee",
            subject="Escalated",
            body="Lee ...",
            message_id="<2@x>",
        )
        session.add_all([to_lee, about_lee])
        session.flush()
        session.add(
            Notification(
                mail_id=about_lee.id,
                human_task_id=task.id,
                recipient_id=council["manager"],
                reason="escalation",
            )
        )
    result = delete_expired_records(council["org"], AS_OF, session_factory=db)
    assert result.deleted[council["lee"]]["mail_messages"] == 2
    assert _count(db, MailMessage) == 0 and _count(db, Notification) == 0
