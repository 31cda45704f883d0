"""Who may arrange cover, and for whom: someone who manages the absent
supervisor (never the supervisor for themselves), giving it to a colleague
in post who may supervise, who is neither the absent supervisor nor one of
their supervisees. Anything else is refused and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import AppRole, CoverArrangement, StaffRole
from models.actions.cover import arrange_cover
from models.actions.errors import ActionError, NotPermitted
from tests.worlds.builder import Council

TODAY = date(2026, 3, 2)


@pytest.fixture
def team(db):
    """Helen manages Grace, who supervises Sam; Tom is another team manager
    who may supervise; Rob has left."""
    with db() as session, session.begin():
        council = Council.new(session)
        helen = council.person("Helen Head", StaffRole.SENIOR_MANAGER)
        grace = council.person("Grace Manager", StaffRole.TEAM_MANAGER, line_manager=helen)
        sam = council.person("Sam Worker", line_manager=grace)
        tom = council.person("Tom Other", StaffRole.TEAM_MANAGER, line_manager=helen)
        rob = council.person("Rob Gone", StaffRole.TEAM_MANAGER, left_on=date(2026, 2, 1))
        council.supervises(grace, sam)
        council.account(helen, AppRole.HEAD_OF_SERVICE, AppRole.LINE_MANAGER, username="helen")
        council.account(grace, AppRole.SUPERVISOR, AppRole.LINE_MANAGER, username="grace")
        council.account(sam, AppRole.SUPERVISEE, AppRole.SUPERVISOR, username="sam")
        council.account(tom, AppRole.SUPERVISOR, username="tom")
        council.account(rob, AppRole.SUPERVISOR, username="rob")
        people = {"helen": helen, "grace": grace, "sam": sam, "tom": tom, "rob": rob}
        return {name: person.id for name, person in people.items()}


def _arrange(db, team, *, by: str, cover: str, absent: str = "grace"):
    return arrange_cover(
        absent_staff_id=team[absent],
        cover_staff_id=team[cover],
        starts_on=TODAY,
        ends_on=date(2026, 3, 20),
        reason="Annual leave",
        by_staff_id=team[by],
        on=TODAY,
        session_factory=db,
    )


def _covers(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(CoverArrangement))


def test_the_supervisors_manager_arranges_cover_by_a_colleague_who_may_supervise(db, team):
    result = _arrange(db, team, by="helen", cover="tom")
    assert result.cover_arrangement_id and _covers(db) == 1


def test_a_supervisor_cannot_arrange_their_own_cover(db, team):
    with pytest.raises(NotPermitted, match="Only someone who manages Grace Manager"):
        _arrange(db, team, by="grace", cover="tom")
    assert _covers(db) == 0


def test_someone_who_does_not_manage_the_supervisor_cannot_arrange_their_cover(db, team):
    with pytest.raises(NotPermitted, match="Only someone who manages"):
        _arrange(db, team, by="tom", cover="tom")
    assert _covers(db) == 0


def test_cover_is_never_given_to_one_of_the_absent_supervisors_supervisees(db, team):
    """Sam holds a supervisor's login too, but supervises nobody covering himself."""
    with pytest.raises(NotPermitted, match="Sam Worker cannot cover for Grace Manager"):
        _arrange(db, team, by="helen", cover="sam")
    assert _covers(db) == 0


def test_cover_is_never_given_to_the_absent_supervisor_or_someone_who_has_left(db, team):
    with pytest.raises(ActionError, match="someone other than the absent supervisor"):
        _arrange(db, team, by="helen", cover="grace")
    with pytest.raises(ActionError, match="Rob Gone has left"):
        _arrange(db, team, by="helen", cover="rob")
    assert _covers(db) == 0
