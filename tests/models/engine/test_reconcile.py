"""The database-backed reconcile: human tasks follow the obligations, and
running it again, twice at once, or after a crash leaves the same state."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import HumanTask, HumanTaskStatus, StaffRole
from models.db import database_url
from models.engine.reconcile import reconcile
from models.engine.reconcile_counts import overdue_by_team
from tests.factories import make_relationship, make_staff
from tests.worlds import START, new_starter


def _tasks(db):
    with db() as session:
        return [
            (t.key, t.status.value, t.assignee_id, t.due_on, t.title)
            for t in session.scalars(select(HumanTask).order_by(HumanTask.key))
        ]


@pytest.mark.parametrize(
    ("profile", "due"),
    [
        ("lancashire", date(2026, 2, 16)),  # 000 §1.4: within 6 weeks
        ("bristol", date(2026, 2, 2)),  # 002 §3.1: within the first four weeks
        ("wokingham", date(2026, 2, 5)),  # 003 standard 4: within 1 month
    ],
)
def test_a_new_relationship_puts_the_agreement_in_the_supervisors_inbox_due_on_the_deadline(
    db, profile, due
):
    org_id, rel_id, manager_id, _, _ = new_starter(db, profile)
    result = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db
    )
    assert result.created == (f"agreement:rel-{rel_id}",)
    [(_key, status, assignee, due_on, title)] = _tasks(db)
    assert (status, assignee, due_on) == ("open", manager_id, due)
    assert title == "Draft and sign the supervision agreement with Sam Okafor"


def test_running_the_reconcile_twice_changes_nothing_the_second_time(db):
    org_id, *_ = new_starter(db)
    first = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db
    )
    before = _tasks(db)
    second = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db
    )
    assert first.created and not second.changed
    assert _tasks(db) == before


def test_an_overdue_agreement_is_escalated_to_the_supervisors_line_manager(db):
    org_id, rel_id, _, _, head_id = new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    result = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=date(2026, 3, 2), session_factory=db
    )
    assert result.escalated == (f"agreement:rel-{rel_id}",)
    tasks = {key: (status, assignee) for key, status, assignee, *_ in _tasks(db)}
    assert tasks[f"agreement:rel-{rel_id}"][0] == "escalated"
    assert tasks[f"escalation:agreement:rel-{rel_id}"] == ("open", head_id)
    with db() as session:
        overdue, _open = overdue_by_team(session, org_id, {"agreement"}, date(2026, 3, 2))
    assert overdue == {"Assessment Team 1": 2}


def test_a_first_run_that_finds_work_overdue_creates_it_escalated_once(db):
    org_id, rel_id, _, _, head_id = new_starter(db)
    late = date(2026, 3, 2)
    first = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=late, session_factory=db
    )
    again = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=late, session_factory=db
    )
    key = f"agreement:rel-{rel_id}"
    assert first.escalated == (key,) and not again.changed
    with db() as session:
        tasks = {t.key: t for t in session.scalars(select(HumanTask))}
        overdue, escalation = tasks[key], tasks[f"escalation:{key}"]
        assert (overdue.status, overdue.escalation_level) == (HumanTaskStatus.ESCALATED, 1)
        assert overdue.escalated_at is not None
        assert (escalation.status, escalation.assignee_id) == (HumanTaskStatus.OPEN, head_id)
        assert (escalation.escalation_level, escalation.escalated_at) == (0, None)


def test_a_relationship_that_ends_cancels_its_open_agreement_task(db):
    from models import SupervisionRelationship

    org_id, rel_id, *_ = new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    with db() as session, session.begin():
        session.get(SupervisionRelationship, rel_id).ended_on = date(2026, 1, 20)
    result = reconcile(
        organisation_id=org_id,
        lifecycles={"agreement"},
        as_of=date(2026, 1, 21),
        session_factory=db,
    )
    assert result.cancelled == (f"agreement:rel-{rel_id}",)
    assert _tasks(db)[0][1] == "cancelled"


def test_a_reconcile_for_one_subject_leaves_other_subjects_alone(db):
    org_id, _rel_id, manager_id, *_ = new_starter(db)
    with db() as session, session.begin():
        from models import Organisation, StaffMember

        org = session.get(Organisation, org_id)
        other = make_staff(session, org, name="Ella Price", started_on=START)
        other_rel = make_relationship(session, session.get(StaffMember, manager_id), other)
    result = reconcile(
        organisation_id=org_id,
        lifecycles={"agreement"},
        as_of=START,
        subjects={f"rel-{other_rel.id}"},
        session_factory=db,
    )
    assert result.created == (f"agreement:rel-{other_rel.id}",)
    assert [key for key, *_ in _tasks(db)] == [f"agreement:rel-{other_rel.id}"]


def test_two_reconciles_at_once_create_no_duplicate_and_lose_no_update(db, postgres_only):
    org_id, rel_id, *_ = new_starter(db)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(
                reconcile(
                    organisation_id=org_id,
                    lifecycles={"agreement"},
                    as_of=date(2026, 3, 2),
                    session_factory=db,
                )
            )
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    created = sorted(key for r in results for key in r.created)
    assert created == [f"agreement:rel-{rel_id}", f"escalation:agreement:rel-{rel_id}"]
    assert sum(len(r.escalated) for r in results) == 1
    assert [status for _, status, *_ in _tasks(db)] == ["escalated", "open"]


def test_a_reconcile_killed_half_way_leaves_the_same_state_as_one_clean_run(db, postgres_only):
    org_id, rel_id, *_ = new_starter(db)
    # A real process that has inserted the human tasks but not committed, killed with SIGKILL.
    script = textwrap.dedent(f"""
        import sys, time
        from datetime import date
        from models.db import get_sessionmaker
        from models.engine.reconcile import lock_organisation, reconcile_in_session
        with get_sessionmaker()() as session, session.begin():
            lock_organisation(session, {org_id})
            reconcile_in_session(session, organisation_id={org_id}, lifecycles={{"agreement"}},
                                 as_of=date(2026, 3, 2))
            session.flush()
            print("inserted, not committed", flush=True)
            time.sleep(120)
    """)
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={"DATABASE_URL": database_url(), "PATH": "/usr/bin:/bin"},
    )
    assert process.stdout.readline().strip() == "inserted, not committed"
    process.kill()
    process.wait()
    assert _tasks(db) == []

    reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=date(2026, 3, 2), session_factory=db
    )
    after_crash = _tasks(db)
    assert [key for key, *_ in after_crash] == [
        f"agreement:rel-{rel_id}",
        f"escalation:agreement:rel-{rel_id}",
    ]
    reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=date(2026, 3, 2), session_factory=db
    )
    assert _tasks(db) == after_crash


def test_a_human_task_owed_again_is_reopened_not_duplicated(db):
    org_id, rel_id, *_ = new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    with db() as session, session.begin():
        task = session.scalars(select(HumanTask)).one()
        task.status = HumanTaskStatus.CANCELLED
    result = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db
    )
    assert result.reopened == (f"agreement:rel-{rel_id}",)
    assert len(_tasks(db)) == 1


def test_an_obligation_far_from_due_waits_outside_the_inbox_until_its_lead_time(db, monkeypatch):
    from models.actions.agreements import countersign_agreement, sign_agreement_as_supervisor

    org_id, rel_id, manager_id, worker_id, _ = new_starter(db)
    sign_agreement_as_supervisor(
        relationship_id=rel_id,
        signer_staff_id=manager_id,
        content={},
        frequency_weeks=4,
        on=START,
        session_factory=db,
    )
    countersign_agreement(
        relationship_id=rel_id, signer_staff_id=worker_id, on=START, session_factory=db
    )
    review_key = f"agreement-review:rel-{rel_id}:2027-01-05"
    a_year_less_six_weeks = date(2026, 11, 24)
    reconcile(
        organisation_id=org_id,
        lifecycles={"agreement_review"},
        as_of=a_year_less_six_weeks - timedelta(days=1),
        session_factory=db,
    )
    assert review_key not in [key for key, *_ in _tasks(db)]
    result = reconcile(
        organisation_id=org_id,
        lifecycles={"agreement_review"},
        as_of=a_year_less_six_weeks,
        session_factory=db,
    )
    assert review_key in result.created

    monkeypatch.setenv("OVERSIGHT_LEAD_DAYS", "agreement_review=soon")
    with pytest.raises(ValueError, match="agreement_review=42"):
        reconcile(
            organisation_id=org_id,
            lifecycles={"agreement_review"},
            as_of=a_year_less_six_weeks,
            session_factory=db,
        )


def test_open_human_tasks_follow_a_cover_arrangement_and_come_back_on_return(db):
    from models import CoverArrangement, Organisation

    org_id, _rel_id, manager_id, _, head_id = new_starter(db)
    with db() as session, session.begin():
        cover = make_staff(
            session,
            session.get(Organisation, org_id),
            name="Tom Hughes",
            role=StaffRole.TEAM_MANAGER,
        )
        cover_id = cover.id
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    with db() as session, session.begin():
        session.add(
            CoverArrangement(
                absent_supervisor_id=manager_id,
                cover_supervisor_id=cover_id,
                starts_on=date(2026, 1, 12),
                ends_on=date(2026, 2, 6),
                arranged_by_id=head_id,
            )
        )

    def holder():
        with db() as session:
            task = session.scalars(select(HumanTask)).one()
            return task.assignee_id, task.original_assignee_id, task.reassignment

    reconcile(
        organisation_id=org_id,
        lifecycles={"agreement"},
        as_of=date(2026, 1, 12),
        session_factory=db,
    )
    assert holder() == (cover_id, manager_id, "cover")
    reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=date(2026, 2, 9), session_factory=db
    )
    assert holder() == (manager_id, None, None)


def test_a_delegated_human_task_stays_with_its_delegate(db):
    org_id, _, manager_id, worker_id, _ = new_starter(db)
    reconcile(organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db)
    with db() as session, session.begin():
        task = session.scalars(select(HumanTask)).one()
        task.original_assignee_id, task.assignee_id = manager_id, worker_id
        task.reassignment, task.reassigned_reason = "delegated", "Drafting practice"
    result = reconcile(
        organisation_id=org_id, lifecycles={"agreement"}, as_of=START, session_factory=db
    )
    assert not result.changed
