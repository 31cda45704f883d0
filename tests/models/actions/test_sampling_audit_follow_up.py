"""A record audit's findings feed the next quarter's sample
(sampling.audit_follow_up; models/actions/sample_population.py): where the
council's policy follows audits up (Wokingham, Quality Assurance: "a robust
quality assurance process which will check that the expected standards of
supervision are being adhered to"; Nottingham Appendix 6: "future supervision
audits will recall previous files"), a supervisor whose last audit of their
supervision records found shortfalls has one of their records drawn first in
the sample drawn after the quarter the audit was made in. The draw stays
reproducible: the audits known at its moment decide it."""

from __future__ import annotations

from datetime import date

from models import SessionStatus, StaffRole
from models.actions.sample_population import AGREEMENT, SESSION, Candidate, choose, derive_seed
from models.actions.sampling import draw_sample, redraw
from models.tables.oversight import Sample, SampleItem
from tests.factories import (
    make_agreement,
    make_organisation,
    make_relationship,
    make_service_area,
    make_session,
    make_staff,
    make_team,
)
from tests.factories.record_audits import make_record_audit

QUARTER = "2026-Q3"  # reads the records of April to June 2026
FIRST_WORKING_DAY = date(2026, 7, 1)
SALTS = [f"{k:016x}" for k in range(1, 13)]
SIZE = 3


def _council(db, profile="wokingham", supervisors=8) -> dict:
    """A service area whose head of service line-manages `supervisors` team
    managers, each supervising one worker since 2025, with one session held in
    May 2026 (recorded the next day) and a signed agreement."""
    with db() as session, session.begin():
        org = make_organisation(session, profile=profile)
        head = make_staff(session, org, role=StaffRole.SENIOR_MANAGER)
        area = make_service_area(session, org, head=head)
        team = make_team(session, org, area=area)
        out = {"area": area.id, "head": head.id, "managers": [], "sessions": {}}
        for n in range(supervisors):
            manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team,
                                 line_manager=head)  # fmt: skip
            worker = make_staff(session, org, team=team, line_manager=manager)
            rel = make_relationship(session, manager, worker, started_on=date(2025, 6, 2))
            held = make_session(
                session,
                rel,
                held_on=date(2026, 5, 4 + n),
                recorded_on=date(2026, 5, 5 + n),
                status=SessionStatus.HELD,
            )
            make_agreement(session, rel, signed_on=date(2025, 6, 20))
            out["managers"].append(manager.id)
            out["sessions"][manager.id] = held.id
        return out


def _audit(db, people, manager, audited_on, shortfalls):
    with db() as session, session.begin():
        make_record_audit(session, manager, people["head"], audited_on=audited_on,
                          shortfalls=shortfalls)  # fmt: skip


def _drawn(db, people, salt, area=None, quarter=QUARTER, on=FIRST_WORKING_DAY):
    """The sample drawn with `salt`, as (object type, id) in drawing order."""
    with db() as session, session.begin():
        # Each salt draws the quarter afresh.
        session.query(SampleItem).delete()
        session.query(Sample).delete()
    result = draw_sample(area or people["area"], quarter, SIZE, on, salt=salt,
                         session_factory=db)  # fmt: skip
    with db() as session:
        return [(i.object_type, i.object_id) for i in session.get(Sample, result.sample_id).items]


def _always_drawn_first(db, people, manager) -> bool:
    """Whatever the salt, the manager's session record is drawn first."""
    wanted = (SESSION, people["sessions"][manager])
    return all(_drawn(db, people, salt)[0] == wanted for salt in SALTS)


def _ever_missed(db, people, manager) -> bool:
    wanted = (SESSION, people["sessions"][manager])
    return any(wanted not in _drawn(db, people, salt) for salt in SALTS)


def test_an_audit_on_the_last_day_of_the_quarter_that_found_shortfalls_puts_a_record_first(db):
    people = _council(db)
    manager = people["managers"][5]
    _audit(db, people, manager, date(2026, 6, 30), shortfalls=2)
    assert _always_drawn_first(db, people, manager)


def test_an_audit_made_on_the_first_day_of_the_next_quarter_waits_for_the_sample_after(db):
    people = _council(db)
    manager = people["managers"][5]
    _audit(db, people, manager, date(2026, 7, 1), shortfalls=2)
    assert _ever_missed(db, people, manager)


def test_an_audit_of_the_quarter_before_fed_that_quarters_sample_not_this_one(db):
    people = _council(db)
    manager = people["managers"][5]
    _audit(db, people, manager, date(2026, 3, 31), shortfalls=2)
    assert _ever_missed(db, people, manager)


def test_an_audit_that_found_no_shortfalls_changes_nothing(db):
    people = _council(db)
    manager = people["managers"][5]
    before = [_drawn(db, people, salt) for salt in SALTS]
    _audit(db, people, manager, date(2026, 6, 30), shortfalls=0)
    assert [_drawn(db, people, salt) for salt in SALTS] == before


def test_a_later_audit_that_found_none_lifts_the_follow_up(db):
    people = _council(db)
    manager = people["managers"][5]
    _audit(db, people, manager, date(2026, 4, 20), shortfalls=3)
    _audit(db, people, manager, date(2026, 6, 29), shortfalls=0)
    assert _ever_missed(db, people, manager)


def test_a_council_whose_policy_does_not_follow_audits_up_draws_as_before(db):
    people = _council(db, profile="lancashire")
    manager = people["managers"][5]
    before = [_drawn(db, people, salt) for salt in SALTS]
    _audit(db, people, manager, date(2026, 6, 30), shortfalls=2)
    assert [_drawn(db, people, salt) for salt in SALTS] == before


def test_more_followed_up_supervisors_than_places_fill_the_sample_with_theirs(db):
    people = _council(db)
    flagged = people["managers"][:4]
    for manager in flagged:
        _audit(db, people, manager, date(2026, 6, 15), shortfalls=1)
    theirs = {(SESSION, people["sessions"][m]) for m in flagged}
    for salt in SALTS:
        drawn = _drawn(db, people, salt)
        assert len(drawn) == SIZE and set(drawn) <= theirs


def test_the_draw_is_reproducible_and_an_audit_entered_after_it_does_not_change_it(db):
    people = _council(db)
    manager = people["managers"][2]
    _audit(db, people, manager, date(2026, 6, 30), shortfalls=1)
    first = draw_sample(people["area"], QUARTER, SIZE, FIRST_WORKING_DAY, salt=SALTS[0],
                        session_factory=db)  # fmt: skip
    again = draw_sample(people["area"], QUARTER, SIZE, FIRST_WORKING_DAY, salt=SALTS[1],
                        session_factory=db)  # fmt: skip
    assert (again.sample_id, again.created) == (first.sample_id, False)
    with db() as session:
        stored = [(i.object_type, i.object_id) for i in session.get(Sample, first.sample_id).items]
    assert stored[0] == (SESSION, people["sessions"][manager])
    # Another supervisor's audit of June, entered after the draw, was not known to it.
    _audit(db, people, people["managers"][6], date(2026, 6, 29), shortfalls=4)
    redrawn = redraw(first.sample_id, session_factory=db)
    assert [(c.object_type, c.object_id) for c in redrawn] == stored


def test_choose_draws_a_followed_up_supervisors_session_before_their_agreement():
    population = [Candidate(SESSION, n, False, n % 5) for n in range(20)] + [
        Candidate(AGREEMENT, n, True, n % 5) for n in range(20)
    ]
    for k in range(30):
        seed = derive_seed(1, QUARTER, f"{k:016x}")
        plain = choose(population, seed, 4)
        chosen = choose(population, seed, 4, frozenset({3}))
        assert chosen[0].object_type == SESSION and chosen[0].supervisor_id == 3
        # The rest is the weighted draw without the record drawn first.
        assert chosen[1:] == [c for c in plain if c != chosen[0]][:3]


def test_two_records_each_draws_two_of_the_supervisors_records():
    population = [Candidate(SESSION, n, False, n % 5) for n in range(20)]
    seed = derive_seed(1, QUARTER, "00000000000000aa")
    chosen = choose(population, seed, 5, frozenset({1, 2}), each=2)
    assert sorted(c.supervisor_id for c in chosen[:4]) == [1, 1, 2, 2]
