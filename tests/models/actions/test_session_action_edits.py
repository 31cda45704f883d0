"""Editing a session record keeps its actions' identity
(models/actions/sessions.py `_keep_actions`): an action sent back with its id
is changed in place, so its task (`action:act-{id}`) is neither closed nor
reopened and its owner's done mark stays; only actions taken off the record
are deleted. Wokingham standard 6: actions agreed at previous supervisions are
checked as completed, so a done mark lost on an edit would be owed again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import HumanTask, SessionAction
from models.actions.records import amend_record
from models.actions.session_actions import mark_action_done
from models.actions.sessions import NewAction
from tests.models.actions.supervision_pair import TODAY, build_pair, held, record_input

DUE = TODAY + timedelta(days=14)
LATE = "The team was covering a colleague's leave."


def recorded(db, pair, actions, **more):
    return held(db, pair, record_input(held_on=TODAY, late_reason=LATE, actions=actions), **more)


def actions_of(db, session_id) -> list[SessionAction]:
    with db() as session:
        query = select(SessionAction).where(SessionAction.session_id == session_id)
        return list(session.scalars(query.order_by(SessionAction.id)))


def action_tasks(db, org_id) -> list[tuple[int, str, str, object]]:
    with db() as session:
        rows = session.scalars(
            select(HumanTask)
            .where(HumanTask.organisation_id == org_id, HumanTask.kind == "session_action")
            .order_by(HumanTask.id)
        )
        return [(t.id, t.key, t.status, t.due_on) for t in rows]


def test_editing_a_draft_changes_its_actions_in_place_and_their_open_tasks_stay_open(db):
    pair = build_pair(db, profile="wokingham")
    first = recorded(db, pair, [NewAction("Send the chronology", pair["worker"], DUE)], sign=False)
    [action] = actions_of(db, first.session_id)
    [(task_id, key, status, _)] = action_tasks(db, pair["org"])
    assert (key, status) == (f"action:act-{action.id}", "open")

    later = DUE + timedelta(days=7)
    edited = [
        NewAction("Send the chronology to legal", pair["worker"], later, action_id=action.id),
        NewAction("Book the family meeting", pair["manager"], DUE),
    ]
    recorded(db, pair, edited, sign=False, session_id=first.session_id)

    kept, added = actions_of(db, first.session_id)
    assert kept.id == action.id and kept.description == "Send the chronology to legal"
    assert kept.due_on == later
    tasks = action_tasks(db, pair["org"])
    # The same task, moved to the new date; nothing cancelled, one new task for the new action.
    assert tasks == [
        (task_id, key, "open", later),
        (tasks[1][0], f"action:act-{added.id}", "open", DUE),
    ]


def test_an_owners_done_mark_survives_an_edit_of_the_record(db):
    pair = build_pair(db, profile="wokingham")
    first = recorded(db, pair, [NewAction("Send the chronology", pair["worker"], DUE)], sign=False)
    [action] = actions_of(db, first.session_id)
    mark_action_done(action_id=action.id, owner_staff_id=pair["worker"], done_on=TODAY,
                     note="Sent on Tuesday.", on=TODAY, session_factory=db)  # fmt: skip

    same = [NewAction("Send the chronology", pair["worker"], DUE, action_id=action.id)]
    recorded(db, pair, same, session_id=first.session_id)  # signed this time

    [kept] = actions_of(db, first.session_id)
    assert (kept.id, kept.done_on, kept.done_note) == (action.id, TODAY, "Sent on Tuesday.")
    assert [(key, status) for _, key, status, _ in action_tasks(db, pair["org"])] == [
        (f"action:act-{action.id}", "completed")
    ]


def test_an_amended_records_new_version_keeps_the_actions_sent_back_and_drops_the_rest(db):
    pair = build_pair(db, profile="wokingham")
    agreed = [
        NewAction("Send the chronology", pair["worker"], DUE),
        NewAction("Book the family meeting", pair["manager"], DUE),
    ]
    first = recorded(db, pair, agreed)
    keep, drop = actions_of(db, first.session_id)
    amend_record(session_id=first.session_id, by_staff_id=pair["manager"],
                 reason="Booked already.", on=TODAY, session_factory=db)  # fmt: skip

    again = [NewAction("Send the chronology", pair["worker"], DUE, action_id=keep.id)]
    recorded(db, pair, again, session_id=first.session_id)

    assert [a.id for a in actions_of(db, first.session_id)] == [keep.id]
    statuses = {key: status for _, key, status, _ in action_tasks(db, pair["org"])}
    assert statuses[f"action:act-{keep.id}"] == "open"
    assert statuses[f"action:act-{drop.id}"] != "open"


def test_an_action_id_from_another_session_is_a_new_action_not_that_one(db):
    pair = build_pair(db, profile="wokingham")
    first = recorded(db, pair, [NewAction("Send the chronology", pair["worker"], DUE)])
    [theirs] = actions_of(db, first.session_id)
    second = held(
        db,
        pair,
        record_input(
            held_on=TODAY - timedelta(days=1),
            late_reason=LATE,
            actions=[NewAction("Taken over", pair["manager"], DUE, action_id=theirs.id)],
        ),
    )
    [new] = actions_of(db, second.session_id)
    assert new.id != theirs.id and new.description == "Taken over"
    [untouched] = actions_of(db, first.session_id)
    assert (untouched.description, untouched.owner_id) == ("Send the chronology", pair["worker"])
