"""Auditing a supervisor's supervision records (models/actions/record_audits.py):
the line manager answers the council's checklist, which completes the audit
owed and (in Wokingham) puts the discussion in the supervisor's inbox at once;
the supervisor confirms the discussion. Bad input is refused with the reason."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from models import AuditEntry, HumanTask, OutboxEvent, StaffRole, SupervisionRecordAudit
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.record_audits import checklist_of, confirm_audit_discussed, record_audit
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff
from tests.factories.record_audits import make_record_audit

BEGAN = date(2025, 3, 17)
DUE = date(2026, 3, 17)
TODAY = date(2026, 3, 10)


def council(db, profile: str = "wokingham") -> dict[str, int]:
    """A head of service managing a team manager who has supervised a worker since BEGAN."""
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        head = make_staff(session, org, name="Ada Head", role=StaffRole.SENIOR_MANAGER,
                          started_on=date(2015, 4, 13))  # fmt: skip
        manager = make_staff(session, org, name="Grace Adeyemi", role=StaffRole.TEAM_MANAGER,
                             line_manager=head, started_on=date(2019, 9, 2))  # fmt: skip
        worker = make_staff(session, org, line_manager=manager, started_on=BEGAN)
        make_relationship(session, manager, worker, started_on=BEGAN)
        return {"org": org.id, "head": head.id, "manager": manager.id, "worker": worker.id}


def tasks(db, org_id: int, kind: str, status=("open", "escalated")) -> list[HumanTask]:
    with db() as session:
        return list(
            session.scalars(
                select(HumanTask).where(
                    HumanTask.organisation_id == org_id,
                    HumanTask.kind == kind,
                    HumanTask.status.in_(status),
                )
            )
        )


def all_yes(profile: str = "wokingham", **changed) -> dict[str, str]:
    return {q.id: "yes" for q in checklist_of(profile).questions} | changed


def audit(db, people, *, answers=None, by=None, on=TODAY, **kw):
    return record_audit(
        supervisor_id=people["manager"],
        auditor_staff_id=by or people["head"],
        audited_on=kw.pop("audited_on", on),
        answers=answers if answers is not None else all_yes(),
        findings=kw.pop("findings", "Two records were signed late."),
        on=on,
        session_factory=db,
        **kw,
    )


def test_the_audit_completes_its_task_and_puts_the_discussion_in_the_supervisors_inbox(db):
    people = council(db)
    reconcile(organisation_id=people["org"], lifecycles={"record_audit"}, as_of=TODAY,
              session_factory=db)  # fmt: skip
    [owed] = tasks(db, people["org"], "record_audit")
    assert owed.key == f"record-audit:staff-{people['manager']}:{DUE}"
    assert owed.assignee_id == people["head"]
    assert owed.title == "Audit Grace Adeyemi's supervision records"

    result = audit(db, people, answers=all_yes(signed_by_both="no", mosaic_id_only="no"))

    assert result.completed_task_id == owed.id
    assert tasks(db, people["org"], "record_audit") == []
    [discuss] = tasks(db, people["org"], "record_audit_discuss")
    assert discuss.assignee_id == people["manager"] and discuss.id in result.next_task_ids
    assert discuss.due_on == date(2026, 4, 10)
    with db() as session:
        row = session.get(SupervisionRecordAudit, result.audit_id)
        assert (row.shortfalls, row.auditor_id) == (2, people["head"])
        assert set(row.answers) == {q.id for q in checklist_of("wokingham").questions}
        assert session.scalar(select(OutboxEvent.event)) == "oversight.record-audit.recorded"
        assert session.scalar(select(AuditEntry.object_type)) == "supervision_record_audit"


def test_the_supervisor_confirming_the_discussion_completes_it(db):
    people = council(db)
    done = audit(db, people)

    confirmed = confirm_audit_discussed(
        audit_id=done.audit_id, supervisor_staff_id=people["manager"],
        discussed_on=date(2026, 3, 12), note="Agreed to sign within 5 days.",
        on=date(2026, 3, 12), session_factory=db,
    )  # fmt: skip

    assert confirmed.completed_task_id is not None
    assert tasks(db, people["org"], "record_audit_discuss") == []
    with db() as session:
        assert session.get(SupervisionRecordAudit, done.audit_id).discussed_on == date(2026, 3, 12)
    with pytest.raises(AlreadySigned):
        confirm_audit_discussed(
            audit_id=done.audit_id, supervisor_staff_id=people["manager"],
            discussed_on=date(2026, 3, 12), note="", on=date(2026, 3, 12), session_factory=db,
        )  # fmt: skip


def test_only_the_audited_supervisor_confirms_the_discussion(db):
    people = council(db)
    done = audit(db, people)
    with pytest.raises(NotPermitted):
        confirm_audit_discussed(
            audit_id=done.audit_id, supervisor_staff_id=people["head"],
            discussed_on=TODAY, note="", on=TODAY, session_factory=db,
        )  # fmt: skip


def test_nottingham_files_the_checklist_with_no_discussion_owed(db):
    people = council(db, "nottingham")
    audit(db, people, answers=all_yes("nottingham"))
    assert tasks(db, people["org"], "record_audit_discuss") == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"answers": {}}, "Answer question 1 of the checklist"),
        ({"answers": all_yes(agreement_current="maybe")}, "Answer question 1"),
        ({"findings": "  "}, "Enter the findings of the audit"),
        ({"audited_on": date(2026, 3, 11)}, "today or in the past"),
    ],
)
def test_an_incomplete_or_wrong_audit_is_refused_and_nothing_is_stored(db, change, reason):
    people = council(db)
    with pytest.raises(ActionError, match=reason):
        audit(db, people, **change)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionRecordAudit)) == 0


def test_the_supervisor_cannot_audit_their_own_records_nor_can_a_stranger(db):
    people = council(db)
    with pytest.raises(NotPermitted):
        audit(db, people, by=people["manager"])
    with pytest.raises(NotPermitted):
        audit(db, people, by=people["worker"])


def test_a_council_without_the_audit_refuses_it(db):
    people = council(db, "lancashire")
    with pytest.raises(ActionError, match="does not ask for audits"):
        audit(db, people, answers={})


def test_an_audit_already_on_file_meets_the_years_obligation(db):
    people = council(db)
    with db() as session, session.begin():
        make_record_audit(session, people["manager"], people["head"], audited_on=date(2026, 2, 2),
                          discussed_on=date(2026, 2, 9))  # fmt: skip
    reconcile(organisation_id=people["org"], lifecycles={"record_audit"}, as_of=TODAY,
              session_factory=db)  # fmt: skip
    assert tasks(db, people["org"], "record_audit") == []
    assert tasks(db, people["org"], "record_audit_discuss") == []


def test_the_same_audit_sent_twice_at_once_on_postgresql_is_stored_once(db, postgres_only):
    people = council(db)
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def send():
        barrier.wait()
        try:
            audit(db, people)
            outcomes.append("stored")
        except AlreadySigned:
            outcomes.append("already")

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "already", "stored"]
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionRecordAudit)) == 1


def test_reconciling_twice_at_once_on_postgresql_owes_one_task(db, postgres_only):
    people = council(db)
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        reconcile(organisation_id=people["org"], lifecycles={"record_audit"}, as_of=TODAY,
                  session_factory=db)  # fmt: skip

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (
        len(tasks(db, people["org"], "record_audit", status=("open", "escalated", "completed")))
        == 1
    )
