"""Recording an ASYE review and a DBS re-check: each records the fact,
completes the human task the engine owed, and reconciles so the next step is
in the inbox at once (DESIGN.md, "The engine", point 5)."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from models import AsyeReview, AuditEntry, CheckKind, HumanTask, OutboxEvent, StaffRole
from models.actions.asye import record_asye_review
from models.actions.checks import record_registration_check
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.engine.reconcile import reconcile
from tests.factories import make_organisation, make_relationship, make_staff, make_team

START = date(2026, 1, 5)
THREE_MONTHS = START + relativedelta(months=3)


def council(db, profile: str, *, asye: bool = True) -> dict[str, int]:
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        team = make_team(session, org)
        manager = make_staff(session, org, name="Grace Adeyemi", role=StaffRole.TEAM_MANAGER,
                             team=team)  # fmt: skip
        worker = make_staff(session, org, name="Sam Okafor", line_manager=manager, team=team,
                            asye=asye, started_on=START)  # fmt: skip
        stranger = make_staff(session, org, name="Kit Other", role=StaffRole.TEAM_MANAGER)
        make_relationship(session, manager, worker, started_on=START)
        return {"org": org.id, "manager": manager.id, "worker": worker.id, "other": stranger.id}


def open_tasks(db, org_id: int, kind: str) -> list[HumanTask]:
    with db() as session:
        return list(
            session.scalars(
                select(HumanTask)
                .where(
                    HumanTask.organisation_id == org_id,
                    HumanTask.kind == kind,
                    HumanTask.status.in_(("open", "escalated")),
                )
                .order_by(HumanTask.due_on)
            )
        )


def review(db, people, stage=3, reviewed_on=THREE_MONTHS, by=None, on=THREE_MONTHS, **kw):
    return record_asye_review(
        staff_id=people["worker"],
        recorder_staff_id=by or people["manager"],
        stage=stage,
        reviewed_on=reviewed_on,
        outcome=kw.pop("outcome", "Progressing well against the PCF at ASYE level."),
        on=on,
        session_factory=db,
        **kw,
    )


def test_recording_the_three_month_review_completes_its_task_and_leaves_the_others_owed(db):
    people = council(db, "wokingham")
    reconcile(organisation_id=people["org"], lifecycles={"asye"}, as_of=THREE_MONTHS,
              session_factory=db)  # fmt: skip
    [task] = open_tasks(db, people["org"], "asye_review")
    assert task.key == f"asye-review:staff-{people['worker']}:3"
    assert task.due_on == THREE_MONTHS and task.assignee_id == people["manager"]
    assert task.title == "Hold Sam Okafor's 3-month ASYE review"

    result = review(db, people)

    assert result.completed_task_id == task.id
    assert open_tasks(db, people["org"], "asye_review") == []
    with db() as session:
        [row] = session.scalars(select(AsyeReview))
        assert (row.stage, row.reviewed_on, row.recorded_by_id) == (3, THREE_MONTHS,
                                                                    people["manager"])  # fmt: skip
        events = session.scalars(
            select(OutboxEvent.event).where(
                OutboxEvent.resource_id == f"oversight.staff.{people['worker']}"
            )
        )
        assert "oversight.asye-review.recorded" in list(events)
        detail = session.scalar(
            select(AuditEntry.detail).where(AuditEntry.object_type == "asye_review")
        )
        assert detail.startswith("Recorded the 3-month ASYE review")
    # The 6-month review reaches the inbox when it is near (models/engine/lead_times.py).
    six = START + relativedelta(months=6)
    reconcile(organisation_id=people["org"], lifecycles={"asye"}, as_of=six, session_factory=db)
    assert [t.key for t in open_tasks(db, people["org"], "asye_review")] == [
        f"asye-review:staff-{people['worker']}:6"
    ]


def test_only_the_supervisor_records_an_asye_review(db):
    people = council(db, "lancashire")
    with pytest.raises(NotPermitted):
        review(db, people, by=people["other"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": 4}, "3-month, 6-month or 12-month"),
        ({"reviewed_on": THREE_MONTHS + relativedelta(days=1)}, "today or in the past"),
        ({"reviewed_on": START - relativedelta(days=1)}, "after they started"),
        ({"outcome": "   "}, "what the review concluded"),
    ],
)
def test_an_asye_review_that_cannot_be_right_is_refused(db, change, message):
    people = council(db, "nottingham")
    with pytest.raises(ActionError, match=message):
        review(db, people, **change)


def test_an_asye_review_is_recorded_once_per_stage(db):
    people = council(db, "nottingham")
    review(db, people)
    with pytest.raises(AlreadySigned, match="already recorded"):
        review(db, people)


def test_someone_not_in_their_asye_year_has_no_asye_review(db):
    people = council(db, "wokingham", asye=False)
    with pytest.raises(ActionError, match="not a newly qualified social worker"):
        review(db, people)


def test_a_dbs_check_completes_the_owed_re_check_and_the_next_falls_due_years_later(
    db, monkeypatch
):
    monkeypatch.setenv("OVERSIGHT_DBS_RECHECK_YEARS", "3")
    people = council(db, "nottingham", asye=False)
    today = date(2026, 3, 2)
    reconcile(organisation_id=people["org"], lifecycles={"registration"}, as_of=today,
              session_factory=db)  # fmt: skip
    # Nobody's DBS check is on file, so one is owed from their start date.
    [task] = open_tasks(db, people["org"], "dbs_check")
    assert task.key == f"dbs-check:staff-{people['worker']}:{START.isoformat()}"
    assert task.title == "Re-check Sam Okafor's DBS certificate"

    result = record_registration_check(
        staff_id=people["worker"],
        checker_staff_id=people["manager"],
        kind=CheckKind.DBS,
        checked_on=today,
        reference="001234567890",
        on=today,
        session_factory=db,
    )

    assert result.completed_task_id == task.id
    with db() as session:
        assert session.get(HumanTask, task.id).status.value == "completed"
    assert open_tasks(db, people["org"], "dbs_check") == []
    # The next re-check comes into the inbox as it nears, three years on.
    later = date(2029, 2, 20)
    reconcile(organisation_id=people["org"], lifecycles={"registration"}, as_of=later,
              session_factory=db)  # fmt: skip
    [again] = open_tasks(db, people["org"], "dbs_check")
    assert again.due_on == date(2029, 3, 2)
