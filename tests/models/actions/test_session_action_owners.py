"""The owner of an action agreed in supervision is checked by the action
itself (models.actions.sessions.record_session), not only by the form: the
supervisor, the supervisee or the colleague recording it while covering;
anyone else, in this organisation or another, is refused with an error that
names the action, and nothing is stored."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from sqlalchemy import func, select

from models import SessionAction, SupervisionSession
from models.actions.errors import ActionError
from models.actions.sessions import NewAction, record_session
from tests.factories import make_cover, make_organisation, make_staff
from tests.models.actions.supervision_pair import TODAY, build_pair, held, record_input


@pytest.fixture
def pair(db):
    return partial(build_pair, db)()


def _stored(db) -> tuple[int, int]:
    with db() as session:
        return (
            session.scalar(select(func.count(SupervisionSession.id))),
            session.scalar(select(func.count(SessionAction.id))),
        )


def _actions(*owners) -> list[NewAction]:
    return [NewAction(f"Action {n}", owner, TODAY) for n, owner in enumerate(owners, start=1)]


def _outsider(db) -> int:
    with db() as session, session.begin():
        return make_staff(session, make_organisation(session)).id


@pytest.mark.parametrize("who", ["other", "outsider", "unknown"])
def test_an_action_owned_by_someone_the_form_would_not_offer_is_refused_and_nothing_stored(
    db, pair, who
):
    """`other` is the supervisor's other supervisee, `outsider` works for
    another council, `unknown` is an id nobody has."""
    owner = {"other": pair["other"], "outsider": _outsider(db), "unknown": 987654}[who]
    before = _stored(db)
    with pytest.raises(ActionError, match=r"Action 2: choose who owns it"):
        held(db, pair, record_input(actions=_actions(pair["worker"], owner)))
    assert _stored(db) == before


def test_the_supervisor_the_supervisee_or_nobody_may_own_an_action(db, pair):
    result = held(db, pair, record_input(actions=_actions(pair["manager"], pair["worker"], None)))
    with db() as session:
        owners = session.scalars(
            select(SessionAction.owner_id)
            .where(SessionAction.session_id == result.session_id)
            .order_by(SessionAction.id)
        ).all()
    assert owners == [pair["manager"], pair["worker"], None]


def test_a_colleague_recording_while_covering_may_own_an_action_but_not_name_a_stranger(db, pair):
    with db() as session, session.begin():
        cover = make_staff(session, pair["org"], started_on=date(2020, 1, 6))
        make_cover(session, pair["manager"], cover, starts_on=date(2026, 2, 20))
    done = record_session(
        relationship_id=pair["rel"],
        recorder_staff_id=cover.id,
        record=record_input(actions=_actions(cover.id)),
        sign=True,
        on=TODAY,
        session_factory=db,
    )
    assert done.session_id is not None
    with pytest.raises(ActionError, match="Action 1: choose who owns it"):
        record_session(
            relationship_id=pair["rel"],
            recorder_staff_id=cover.id,
            record=record_input(held_on=date(2026, 2, 24), actions=_actions(pair["other"])),
            sign=True,
            on=TODAY,
            session_factory=db,
        )
