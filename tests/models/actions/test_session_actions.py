"""Actions agreed in supervision as obligations (policy/rules/actions.py,
models/actions/session_actions.py): recording a session with an action puts
it in its owner's inbox; overdue after its date; the owner marks it done with
a note, which completes the task; until the next session reviews it, the next
record's review of previous actions lists it."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import HumanTask, SessionAction
from models.actions.errors import ActionError, AlreadySigned, NotPermitted
from models.actions.records import previous_actions
from models.actions.session_actions import mark_action_done
from models.actions.sessions import NewAction
from models.engine.reconcile import reconcile
from tests.models.actions.supervision_pair import TODAY, build_pair, held, record_input

DUE = TODAY + timedelta(days=14)


def with_action(pair, owner="worker", due=DUE):
    return record_input(
        held_on=TODAY,
        late_reason="The team was covering a colleague's leave.",
        actions=[NewAction("Send the chronology to legal", pair[owner], due)],
    )


def action_tasks(db, org_id, status=("open", "escalated")) -> list[HumanTask]:
    with db() as session:
        return list(
            session.scalars(
                select(HumanTask).where(
                    HumanTask.organisation_id == org_id,
                    HumanTask.kind == "session_action",
                    HumanTask.status.in_(status),
                )
            )
        )


def the_action(db) -> SessionAction:
    with db() as session:
        return session.scalars(select(SessionAction)).one()


@pytest.mark.parametrize("profile", ["wokingham", "lancashire"])
def test_recording_an_action_puts_it_in_its_owners_inbox_at_once(db, profile):
    pair = build_pair(db, profile=profile)
    held(db, pair, with_action(pair))

    [task] = action_tasks(db, pair["org"])
    action = the_action(db)
    assert task.key == f"action:act-{action.id}"
    assert (task.assignee_id, task.due_on) == (pair["worker"], DUE)


def test_nottingham_whose_policy_names_no_actions_owes_none(db):
    pair = build_pair(db, profile="nottingham")
    held(db, pair, with_action(pair))
    assert action_tasks(db, pair["org"]) == []


def test_an_action_not_done_by_its_date_stays_open_in_the_owners_inbox_past_it(db):
    pair = build_pair(db, profile="wokingham")
    held(db, pair, with_action(pair, owner="manager"))
    [before] = action_tasks(db, pair["org"])
    reconcile(organisation_id=pair["org"], lifecycles={"recording"}, as_of=DUE + timedelta(days=1),
              session_factory=db)  # fmt: skip
    [task] = action_tasks(db, pair["org"])
    assert task.id == before.id and task.status == "open"
    assert task.assignee_id == pair["manager"] and task.due_on == DUE


def test_the_owner_marks_it_done_with_a_note_which_completes_the_task(db):
    pair = build_pair(db, profile="wokingham")
    held(db, pair, with_action(pair))
    [task] = action_tasks(db, pair["org"])
    action = the_action(db)

    done = mark_action_done(action_id=action.id, owner_staff_id=pair["worker"], done_on=TODAY,
                            note="Sent on Tuesday.", on=TODAY, session_factory=db)  # fmt: skip

    assert done.completed_task_id == task.id
    assert action_tasks(db, pair["org"]) == []
    assert (the_action(db).done_on, the_action(db).done_note) == (TODAY, "Sent on Tuesday.")
    with pytest.raises(AlreadySigned):
        mark_action_done(action_id=action.id, owner_staff_id=pair["worker"], done_on=TODAY,
                         note="Again.", on=TODAY, session_factory=db)  # fmt: skip


@pytest.mark.parametrize(
    ("change", "error", "reason"),
    [
        ({"owner_staff_id": "manager"}, NotPermitted, "Only the person who owns this action"),
        ({"note": "  "}, ActionError, "Enter what was done"),
        ({"done_on": TODAY + timedelta(days=1)}, ActionError, "today or in the past"),
        ({"done_on": TODAY - timedelta(days=1)}, ActionError, "on or after the session"),
    ],
)
def test_marking_an_action_done_wrongly_is_refused_and_nothing_changes(db, change, error, reason):
    pair = build_pair(db, profile="wokingham")
    held(db, pair, with_action(pair))
    values = {"owner_staff_id": pair["worker"], "done_on": TODAY, "note": "Done."}
    if change.get("owner_staff_id") == "manager":
        change = {"owner_staff_id": pair["manager"]}
    with pytest.raises(error, match=reason):
        mark_action_done(action_id=the_action(db).id, on=TODAY, session_factory=db,
                         **{**values, **change})  # fmt: skip
    assert the_action(db).done_on is None
    assert len(action_tasks(db, pair["org"])) == 1


def test_the_next_records_review_lists_an_action_still_open_or_marked_done(db):
    pair = build_pair(db, profile="wokingham")
    held(db, pair, with_action(pair))
    with db() as session:
        [listed] = previous_actions(session, pair["rel"], None)
        assert listed.description == "Send the chronology to legal"


def test_marking_done_twice_at_once_on_postgresql_completes_once(db, postgres_only):
    pair = build_pair(db, profile="wokingham")
    held(db, pair, with_action(pair))
    action_id = the_action(db).id
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def mark():
        barrier.wait()
        try:
            mark_action_done(action_id=action_id, owner_staff_id=pair["worker"], done_on=TODAY,
                             note="Done.", on=TODAY, session_factory=db)  # fmt: skip
            outcomes.append("done")
        except AlreadySigned:
            outcomes.append("already")

    threads = [threading.Thread(target=mark) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "already", "done"]
    assert len(action_tasks(db, pair["org"], status=("completed",))) == 1
