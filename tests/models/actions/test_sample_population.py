"""How a sample is drawn (models/actions/sample_population.py): the same seed
always chooses the same records, and a late or missing record is likelier to
be chosen than one on time."""

from __future__ import annotations

from datetime import date

from models import Sample, SessionStatus, StaffRole
from models.actions.sample_population import (
    AGREEMENT,
    SESSION,
    Candidate,
    candidates,
    choose,
    derive_seed,
)
from models.actions.sampling import draw_sample, period_sampled, redraw
from models.base import utcnow
from models.tables.org import ServiceArea
from tests.factories import (
    make_agreement,
    make_organisation,
    make_relationship,
    make_service_area,
    make_session,
    make_staff,
    make_team,
)
from tests.statements import statements_during

QUARTER = "2026-Q2"


def test_the_same_seed_always_chooses_the_same_records_and_another_seed_others():
    population = [Candidate(SESSION, n, n % 4 == 0) for n in range(40)]
    seed = derive_seed(1, QUARTER, "00000000000000aa")
    first = choose(population, seed, 10)
    assert choose(list(reversed(population)), seed, 10) == first
    assert choose(population, derive_seed(1, QUARTER, "00000000000000bb"), 10) != first


def test_overdue_records_are_likelier_to_be_drawn():
    population = [Candidate(SESSION, n, n < 50) for n in range(100)]
    drawn_overdue = total = 0
    for k in range(200):
        chosen = choose(population, derive_seed(1, QUARTER, f"{k:016x}"), 10)
        drawn_overdue += sum(c.overdue for c in chosen)
        total += len(chosen)
    # Half the population is overdue; weighted three to one, about three
    # quarters of what is drawn should be.
    assert 0.65 < drawn_overdue / total < 0.85


def _head_who_is_a_party(session):
    """A service area whose head of service supervises a team manager there and
    is supervised there herself, beside an ordinary worker's supervision; each
    relationship has one session in 2026-Q1 and an agreement."""
    org = make_organisation(session, profile="lancashire")
    head = make_staff(session, org, role=StaffRole.SENIOR_MANAGER)
    area = make_service_area(session, org, head=head)
    team = make_team(session, org, area=area)
    head.team_id = team.id
    director = make_staff(session, org, role=StaffRole.SENIOR_MANAGER, team=team)
    manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
    worker = make_staff(session, org, team=team, line_manager=manager)
    rels = {
        "supervises": make_relationship(session, head, manager, started_on=date(2025, 6, 2)),
        "supervised": make_relationship(session, director, head, started_on=date(2025, 6, 2)),
        "other": make_relationship(session, manager, worker, started_on=date(2025, 6, 2)),
    }
    ids = {}
    for name, rel in rels.items():
        held = make_session(
            session,
            rel,
            held_on=date(2026, 2, 2),
            recorded_on=date(2026, 2, 3),
            status=SessionStatus.HELD,
        )
        agreement = make_agreement(session, rel, signed_on=date(2025, 6, 20))
        ids[name] = {(SESSION, held.id), (AGREEMENT, agreement.id)}
    return area.id, ids


def test_a_sampler_never_draws_a_record_of_their_own_supervision(db):
    with db() as session, session.begin():
        area_id, ids = _head_who_is_a_party(session)
    # A sample larger than the population draws all of it: what is left out
    # is left out of the population, not merely unlucky in the draw.
    result = draw_sample(area_id, "2026-Q2", 50, date(2026, 4, 1), session_factory=db)
    with db() as session:
        drawn = {(i.object_type, i.object_id) for i in session.get(Sample, result.sample_id).items}
    assert drawn == ids["other"]
    assert not drawn & (ids["supervises"] | ids["supervised"])
    redrawn = {(c.object_type, c.object_id) for c in redraw(result.sample_id, session_factory=db)}
    assert redrawn == drawn


def _area_of(session, relationships: int):
    """A service area with `relationships` supervisions, each with a session
    held in 2026-Q1, half with a signed agreement and half with none."""
    org = make_organisation(session, profile="lancashire")
    head = make_staff(session, org, role=StaffRole.SENIOR_MANAGER)
    area = make_service_area(session, org, head=head)
    team = make_team(session, org, area=area)
    manager = make_staff(session, org, role=StaffRole.TEAM_MANAGER, team=team)
    for n in range(relationships):
        worker = make_staff(session, org, team=team, line_manager=manager)
        rel = make_relationship(session, manager, worker, started_on=date(2025, 6, 2))
        make_session(session, rel, held_on=date(2026, 2, 2), status=SessionStatus.HELD)
        if n % 2 == 0:
            make_agreement(session, rel, signed_on=date(2025, 6, 20))
    return area


def _statements_to_read(db, area_id: int) -> tuple[int, int]:
    """(statements, candidates) for reading the area's 2026-Q2 population."""
    with db() as session:
        area = session.get(ServiceArea, area_id)
        period = period_sampled(QUARTER, date(2026, 4, 1), utcnow())
        population, statements = statements_during(
            db.kw["bind"], lambda: candidates(session, area, period), kinds=("SELECT",)
        )
    return statements, len(population)


def test_the_population_is_read_in_the_same_statements_for_two_relationships_as_for_twenty(db):
    with db() as session, session.begin():
        small, large = _area_of(session, 2).id, _area_of(session, 20).id
    # The council (for its profile), the sessions, and the relationships with
    # their latest agreements and signatures: three, however many there are.
    assert _statements_to_read(db, small) == (3, 4)
    assert _statements_to_read(db, large) == (3, 40)
